"""Pure reward rules: arithmetic, ledger entries, mall items. Standard library and pydantic only."""
