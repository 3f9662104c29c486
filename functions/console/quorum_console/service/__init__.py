"""Use cases of the console: find a console file, read the releases of the environment."""
