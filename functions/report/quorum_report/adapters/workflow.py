"""The voting state machine: one execution per case, completed through task tokens."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from botocore.exceptions import ClientError

from quorum_common import aws

log = logging.getLogger(__name__)
GONE = {"InvalidToken", "TaskTimedOut", "TaskDoesNotExist"}
SEND_ATTEMPTS = 3


class StepFunctionsWorkflow:
    """Starts executions named after the case and sends the callbacks."""

    def __init__(self, state_machine_arn: str, client: Any = None):
        self.state_machine_arn = state_machine_arn
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or aws.client("stepfunctions")

    def start(self, case_id: str, name: str | None = None) -> None:
        """Start an execution for the case (named after it unless `name`); an existing one is the same."""
        try:
            self.client.start_execution(stateMachineArn=self.state_machine_arn, name=name or case_id,
                                        input=json.dumps({"case_id": case_id}))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ExecutionAlreadyExists":
                raise

    def execution_arn(self, name: str) -> str:
        """An execution's ARN: the machine's, unqualified (cases start through its alias), then the name."""
        machine = ":".join(self.state_machine_arn.split(":")[:7])
        return machine.replace(":stateMachine:", ":execution:") + f":{name}"

    def status(self, name: str) -> str | None:
        """RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED; None when no such execution exists."""
        try:
            return self.client.describe_execution(executionArn=self.execution_arn(name))["status"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ExecutionDoesNotExist":
                return None
            raise

    def complete(self, token: str, output: dict[str, Any]) -> bool:
        """SendTaskSuccess; False when the task is gone (timed out, or already completed)."""
        for attempt in range(SEND_ATTEMPTS):
            try:
                self.client.send_task_success(taskToken=token, output=json.dumps(output))
                return True
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in GONE:
                    return False
                if attempt == SEND_ATTEMPTS - 1:
                    raise
            time.sleep(0.05 * 2 ** attempt)
        return False
