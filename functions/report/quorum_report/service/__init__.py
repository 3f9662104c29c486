"""Use cases of the report capability, written as `f(command, ports)`."""
