"""What the release command's adapters share about boto3: the code of a refused call.

Each adapter (`aliases`, `release_log`, `alarms`, `registry`, `machines`) wraps one boto3 client,
turns "that does not exist" into `Refused` (so the command stops before any change) and returns
plain models, never raw responses.
"""

from __future__ import annotations

from botocore.exceptions import ClientError


def error_code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")
