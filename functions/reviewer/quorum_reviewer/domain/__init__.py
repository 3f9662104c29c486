"""Pure reviewer rules: standard library and pydantic only (no boto3, no Powertools, no environment)."""
