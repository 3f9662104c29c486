"""Pure console rules: which file a console path names and how it is typed; what a live alias says. Standard library and pydantic only."""
