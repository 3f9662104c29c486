"""Step Functions' `DescribeStateMachineAlias` and `ListExecutions`, read as `quorum-release status` reads them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quorum_common import aws, machine_versions


class StepFunctionsMachines:
    """The voting machine's alias and running cases; a machine or alias that does not exist reads as none."""

    def __init__(self, client: Any = None):
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or aws.client("stepfunctions")

    def routes(self, alias_arn: str) -> list[tuple[str, float]] | None:
        try:
            return machine_versions.alias_routes(self.client.describe_state_machine_alias(stateMachineAliasArn=alias_arn))
        except Exception as exc:
            if aws.error_code(exc) in machine_versions.MISSING:
                return None
            raise

    def running_cases(self, machine_arn: str) -> Mapping[str, int]:
        try:
            return machine_versions.running_cases(self.client, machine_arn)
        except Exception as exc:
            if aws.error_code(exc) in machine_versions.MISSING:
                return {}
            raise
