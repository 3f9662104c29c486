"""The lifecycle steps as the state machine sees them: JSON state in, JSON state out.

Each function calls `quorum_report.service.lifecycle` and returns its typed output as the worker
would hand it to Step Functions (`model_dump(mode="json")`), so a test reads `state["next"]`
exactly as voting.asl.json does.
"""

from __future__ import annotations

from typing import Any

from quorum_report.service import closing, lifecycle
from quorum_report.service.steps import EscalationState


def _json(step: Any) -> dict[str, Any]:
    return step.model_dump(mode="json")


def load_case(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return _json(lifecycle.load_case(*args, **kwargs))


def open_round(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return _json(lifecycle.open_round(*args, **kwargs))


def await_votes(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return _json(lifecycle.await_votes(*args, **kwargs))


def close_round(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return _json(lifecycle.close_round(*args, **kwargs))


def escalate(state: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return _json(closing.escalate(EscalationState.model_validate(state), **kwargs))


def await_resolution(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return _json(closing.await_resolution(*args, **kwargs))


def decide(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return _json(closing.decide(*args, **kwargs))


def complete_decision(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return _json(closing.complete_decision(*args, **kwargs))
