"""The one worker idiom: typed inputs by action, typed outputs, one error shape."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from pydantic import Field

from quorum_common.errors import InvalidInput, UnknownAction
from quorum_common.worker import Result, Task, Worker

worker = Worker("test")


class Double(Task):
    action: Literal["double"]
    n: int = Field(ge=0)


class Greet(Task):
    action: Literal["greet"]
    name: str


class Number(Result):
    n: int


@worker.action
def double(task: Double, context: Any) -> Number:
    return Number(n=task.n * 2)


@worker.action
def greet(task: Greet, context: Any) -> Result:
    return Number(n=len(task.name))


def test_each_action_gets_its_typed_input_and_returns_json() -> None:
    assert worker.dispatch({"action": "double", "n": 4}, None) == {"n": 8}
    assert worker.dispatch({"action": "greet", "name": "abc"}, None) == {"n": 3}
    assert set(worker.actions) == {"double", "greet"}


@pytest.mark.parametrize("event", [{}, {"action": "triple"}, {"action": 3}, "double", None])
def test_an_unknown_action_is_a_callers_defect(event: Any) -> None:
    with pytest.raises(UnknownAction):
        worker.dispatch(event, None)


@pytest.mark.parametrize("event", [{"action": "double", "n": -1}, {"action": "double"},
                                   {"action": "double", "n": 1, "extra": True}])
def test_an_invalid_input_is_invalid_input_with_field_details(event: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        worker.dispatch(event, None)
    assert refused.value.code == "invalid_event"
    assert refused.value.details and set(refused.value.details[0]) == {"field", "message"}
