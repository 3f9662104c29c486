"""The console capability: the ops console and reviewer app, served by the platform, and the releases view."""
