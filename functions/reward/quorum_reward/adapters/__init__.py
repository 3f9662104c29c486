"""DynamoDB adapters of the reward ports (boto3 is imported on first use, never at import)."""
