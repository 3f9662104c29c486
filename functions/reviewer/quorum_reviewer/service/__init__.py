"""Use cases of the reviewer capability, written as `f(command, ports)`."""
