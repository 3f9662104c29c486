"""Each scheduled job reaches the capability that owns its data, and only known jobs run."""

from __future__ import annotations

from typing import Any

import pytest

from quorum_scheduler.jobs import JOBS, UnknownJob, run_job


class FakeRpc:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def call(self, service: str, action: str, payload: dict[str, Any], **kwargs: Any) -> Any:
        self.calls.append((service, action, payload))
        return {"changed": 2}


@pytest.mark.parametrize("job, service, action", [
    ("enrollment", "reviewer", "run_enrollment"),
    ("auto_adjustment", "reviewer", "auto_adjust"),
    ("sweep_stuck_cases", "report", "sweep_stuck_cases"),
])
def test_job_is_run_by_its_capability(job: str, service: str, action: str) -> None:
    rpc = FakeRpc()
    outcome = run_job(job, rpc)
    assert rpc.calls == [(service, action, {})]
    assert outcome == {"job": job, "service": service, "batches": [{"changed": 2}]}


def test_a_job_that_answers_with_a_cursor_is_continued_until_done() -> None:
    class PagedRpc(FakeRpc):
        def call(self, service: str, action: str, payload: dict[str, Any], **kwargs: Any) -> Any:
            self.calls.append((service, action, payload))
            return {"enrolled": 1, "next_cursor": {"1": "c1", "c1": "c2"}.get(str(payload.get("cursor", "1")))}

    rpc = PagedRpc()
    outcome = run_job("enrollment", rpc)
    assert [payload for _, _, payload in rpc.calls] == [{}, {"cursor": "c1"}, {"cursor": "c2"}]
    assert len(outcome["batches"]) == 3 and outcome["batches"][-1]["next_cursor"] is None


def test_unknown_job_is_refused_without_any_call() -> None:
    rpc = FakeRpc()
    with pytest.raises(UnknownJob):
        run_job("drop_tables", rpc)
    assert rpc.calls == []


def test_every_schedule_in_the_template_names_a_known_job() -> None:
    import json

    from quorum_local.template import Template

    template = Template.load("local")
    inputs = [json.loads(ev["Properties"]["Input"])["job"]
              for ev in template.properties("SchedulerFunction")["Events"].values()]
    assert sorted(inputs) == sorted(JOBS)
