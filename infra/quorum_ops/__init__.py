"""Operations tooling for a deployed Quorum environment (the release command: `quorum-release`).

Each adapter (`aliases`, `release_log`, `alarms`, `registry`, `machines`) wraps one boto3 client,
turns "that does not exist" into `Refused` (so the command stops before any change) and returns
plain models, never raw responses; error codes are read with `quorum_common.aws.error_code`.
"""
