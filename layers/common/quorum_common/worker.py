"""One worker idiom: typed inputs per action, typed outputs, one dispatcher for every worker.

A worker declares its inputs as pydantic models with a literal `action`, and one function per
action that takes the input and returns an output model:

    worker = Worker("reviewer", logger)

    @worker.action
    def draw_panel(task: DrawPanelTask, context: Any) -> PanelDrawnResult: ...

    def handler(event, context):   # under Powertools' Logger, Metrics and Tracer decorators
        return worker.dispatch(event, context)

`action` selects the input model, and only that model validates the event: Task and Result
models build on first use, so a cold start builds the models of the action it runs, not every
worker model. An event naming no known action raises `UnknownAction` (a caller's defect); one
that fails its model raises `InvalidInput` with `details` of `{field, message}`, the HTTP edge's shape. The output is returned as JSON; the
state machine reads its fields. Errors leave with their class name, which Step Functions matches.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, get_args, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError

from quorum_common import pins
from quorum_common.errors import InvalidInput, UnknownAction

Action = Callable[[Any, Any], BaseModel]


class Task(BaseModel):
    """Base of every worker input: strict about unknown fields, so a contract drift fails loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    action: str  # each input narrows it to its own literal: the union's discriminator


class Result(BaseModel):
    """Base of every worker output."""

    model_config = ConfigDict(frozen=True, defer_build=True)


def error_details(exc: ValidationError) -> list[dict[str, str]]:
    """Pydantic errors as `{field, message}`, without echoing the input's values."""
    return [{"field": ".".join(str(part) for part in err.get("loc", ())), "message": err.get("msg", "")}
            for err in exc.errors(include_url=False, include_context=False, include_input=False)]


class Worker:
    """The actions of one capability's worker function."""

    def __init__(self, name: str, logger: Any = None, *, invalid_code: str = "invalid_event"):
        self.name = name
        self.logger = logger
        self.invalid_code = invalid_code  # the code of `InvalidInput` when an event fails its model
        self._actions: dict[str, tuple[type[Task], Action]] = {}

    def action(self, func: Callable[[Any, Any], BaseModel]) -> Callable[[Any, Any], BaseModel]:
        """Register `func` for the action its first parameter's model names."""
        model = next(iter(get_type_hints(func).values()))
        name = get_args(model.model_fields["action"].annotation)[0]
        if len(inspect.signature(func).parameters) != 2:
            raise TypeError(f"{func.__name__} must take (task, context)")
        self._actions[name] = (model, func)
        return func

    @property
    def actions(self) -> Mapping[str, type[Task]]:
        """Each action's input model."""
        return {name: model for name, (model, _) in self._actions.items()}

    def parse(self, event: Any) -> Task:
        """The event as its action's input model."""
        action = event.get("action") if isinstance(event, dict) else None
        if not isinstance(action, str) or action not in self._actions:
            raise UnknownAction(f"The {self.name} worker has no action {action!r}; it has {sorted(self._actions)}.")
        try:
            parsed: Task = self._actions[action][0].model_validate(event)
            return parsed
        except ValidationError as exc:
            raise InvalidInput(f"Invalid {action} event for the {self.name} worker.", code=self.invalid_code,
                               details=error_details(exc)) from exc

    def dispatch(self, event: Any, context: Any) -> dict[str, Any]:
        """Validate, run the action, return its output as JSON (RPC it makes follows the event's pins)."""
        task = self.parse(pins.take(event))
        action = task.action
        if self.logger is not None:
            self.logger.append_keys(action=action)
        result = self._actions[action][1](task, context)
        return result.model_dump(mode="json")
