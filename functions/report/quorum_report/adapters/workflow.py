"""The voting state machine: one execution per case, completed through task tokens.

An AccessDenied from Step Functions is a grant missing from the function's role (issue 15 #1):
it becomes `WorkflowDenied` after `on_denied(operation)` has counted it, never a retry or a False.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from quorum_common import aws
from quorum_report.service.ports import WorkflowDenied

log = logging.getLogger(__name__)
GONE = {"InvalidToken", "TaskTimedOut", "TaskDoesNotExist"}
DENIED = {"AccessDeniedException", "AccessDenied"}
SEND_ATTEMPTS = 3


class StepFunctionsWorkflow:
    """Starts executions named after the case and sends the callbacks."""

    def __init__(self, state_machine_arn: str, client: Any = None,
                 on_denied: Callable[[str], None] = lambda _operation: None):
        self.state_machine_arn = state_machine_arn
        self._client = client
        self._on_denied = on_denied

    @property
    def client(self) -> Any:
        return self._client or aws.client("stepfunctions")

    def start(self, case_id: str, name: str | None = None) -> None:
        """Start an execution for the case (named after it unless `name`); an existing one is the same."""
        try:
            self.client.start_execution(stateMachineArn=self.state_machine_arn, name=name or case_id,
                                        input=json.dumps({"case_id": case_id}))
        except ClientError as exc:
            code = aws.error_code(exc)
            if code in DENIED:
                raise self._denied("StartExecution", exc) from exc
            if code != "ExecutionAlreadyExists":
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
            code = aws.error_code(exc)
            if code in DENIED:
                raise self._denied("DescribeExecution", exc) from exc
            if code == "ExecutionDoesNotExist":
                return None
            raise

    def complete(self, token: str, output: dict[str, Any]) -> bool:
        """SendTaskSuccess; False when the task is gone (timed out, or already completed)."""
        for attempt in range(SEND_ATTEMPTS):
            try:
                self.client.send_task_success(taskToken=token, output=json.dumps(output))
                return True
            except ClientError as exc:
                code = aws.error_code(exc)
                if code in GONE:
                    return False
                if code in DENIED:
                    raise self._denied("SendTaskSuccess", exc) from exc
                if attempt == SEND_ATTEMPTS - 1:
                    raise
            time.sleep(0.05 * 2 ** attempt)
        return False

    def _denied(self, operation: str, exc: ClientError) -> WorkflowDenied:
        self._on_denied(operation)
        log.error("Step Functions denied %s: the role lacks the grant", operation, extra={"operation": operation})
        return WorkflowDenied(f"Step Functions denied {operation}: {exc}")
