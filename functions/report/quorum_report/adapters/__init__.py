"""boto3 adapters of the report capability's ports (imported lazily by the handlers)."""
