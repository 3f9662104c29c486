"""Reward use cases, written as `f(command, ports)`."""
