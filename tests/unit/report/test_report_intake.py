"""Report intake: aggregation, recent decisions, the daily cap, and what is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from report_fakes import FakeClock, FakeIds, FakePolicyStore, FakeRecusals, FakeStore, FakeWorkflow

from quorum_common.errors import InvalidInput, NotFound, RateLimited
from quorum_report.domain.case import Content, Target
from quorum_report.service.reports import IntakeLimits, SubmitReport, get_report, submit_report


class Intake:
    def __init__(self, cap: int = 20) -> None:
        self.store, self.policies, self.workflow = FakeStore(), FakePolicyStore(), FakeWorkflow()
        self.clock, self.ids, self.limits = FakeClock(), FakeIds(), IntakeLimits(daily_cap=cap)
        self.recusals = FakeRecusals()

    def submit(self, reporter: str = "alice", target_id: str = "item-1", reason: str = "fraud",
               owner: str = "bob", module: str = "listing"):
        cmd = SubmitReport(submitted_by="listing-svc", reporter_id=reporter, reason=reason,
                           target=Target(module=module, id=target_id, owner_id=owner, content=Content(text="x")))
        return submit_report(cmd, store=self.store, policies=self.policies, workflow=self.workflow,
                             recusals=self.recusals, clock=self.clock, new_id=self.ids, limits=self.limits)


def test_three_reports_on_one_target_make_one_case_and_one_execution() -> None:
    intake = Intake()
    first, second, third = (intake.submit(reporter=r) for r in ("alice", "carol", "dave"))
    assert (first.aggregated, second.aggregated, third.aggregated) == (False, True, True)
    assert first.case_id == second.case_id == third.case_id
    assert intake.workflow.started == [first.case_id]
    case = intake.store.get_case(first.case_id)
    assert case.report_count == 3 and case.reporters == {"alice", "carol", "dave"}


def test_a_recent_decision_answers_without_a_new_vote() -> None:
    intake = Intake()
    first = intake.submit()
    _decide(intake, first.case_id, "violation")
    intake.clock.advance(3600)
    again = intake.submit(reporter="carol")
    assert (again.case_id, again.status, again.decision, again.aggregated) == (first.case_id, "decided", "violation", True)
    assert intake.workflow.started == [first.case_id]
    status = get_report(again.report_id, "listing-svc", False, store=intake.store)
    assert status.case.decision == "violation"


def test_an_old_decision_opens_a_new_case() -> None:
    intake = Intake()
    first = intake.submit()
    _decide(intake, first.case_id, "no_violation")
    intake.clock.advance(timedelta(days=8).total_seconds())
    again = intake.submit(reporter="carol")
    assert again.case_id != first.case_id and not again.aggregated and again.status == "voting"
    assert intake.workflow.started == [first.case_id, again.case_id]


def test_the_daily_cap_answers_429_until_utc_midnight_and_stores_nothing() -> None:
    intake = Intake(cap=2)
    intake.submit(target_id="a")
    intake.submit(target_id="b")
    before = (dict(intake.store.reports), dict(intake.store.cases), dict(intake.store.quotas))
    with pytest.raises(RateLimited) as raised:
        intake.submit(target_id="c")
    assert raised.value.code == "daily_cap_reached"
    assert raised.value.retry_after == 12 * 3600  # the fake clock is at 12:00 UTC
    assert (dict(intake.store.reports), dict(intake.store.cases), dict(intake.store.quotas)) == before
    intake.clock.advance(12 * 3600)
    assert intake.submit(target_id="c").status == "voting"  # a new UTC day


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"reporter": "bob", "owner": "bob"}, "self_report"),
    ({"reason": "counterfeit", "module": "chat"}, "unknown_reason"),
    ({"reason": "harassment", "module": "listing"}, "unknown_reason"),
])
def test_refused_reports_store_nothing(kwargs: dict[str, str], code: str) -> None:
    intake = Intake()
    with pytest.raises(InvalidInput) as raised:
        intake.submit(**kwargs)
    assert raised.value.code == code
    assert not intake.store.reports and not intake.store.cases and not intake.workflow.started


@pytest.mark.parametrize(("module", "reason"), [("listing", "prohibited_item"), ("listing", "counterfeit"),
                                                 ("chat", "harassment"), ("review", "fake_review"),
                                                 ("post", "spam"), ("comment", "other")])
def test_module_reasons_are_accepted(module: str, reason: str) -> None:
    assert Intake().submit(module=module, reason=reason).status == "voting"


def test_a_module_reads_only_its_own_reports() -> None:
    intake = Intake()
    accepted = intake.submit()
    assert get_report(accepted.report_id, "listing-svc", False, store=intake.store).case.status == "voting"
    with pytest.raises(NotFound):
        get_report(accepted.report_id, "chat-svc", False, store=intake.store)
    assert get_report(accepted.report_id, "ops-1", True, store=intake.store)


def test_a_failed_start_still_accepts_the_report() -> None:
    intake = Intake()

    def broken(case_id: str) -> None:
        raise RuntimeError("states is down")

    intake.workflow.start = broken  # type: ignore[method-assign]
    accepted = intake.submit()
    assert accepted.status == "voting" and intake.store.get_case(accepted.case_id)


def _decide(intake: Intake, case_id: str, decision: str) -> None:
    case = intake.store.get_case(case_id)
    intake.store.cases[case_id] = case.model_copy(update={"status": "decided", "settled": decision,
                                                          "decision": decision, "decided_at": intake.clock()})


def test_a_repeat_report_on_the_open_case_returns_the_first_and_uses_no_unit_of_the_cap() -> None:
    intake = Intake(cap=2)
    first = intake.submit(reporter="alice")
    joined = intake.submit(reporter="carol")
    assert intake.submit(reporter="alice", reason="counterfeit") == replace(first, existing=True)
    assert intake.submit(reporter="carol") == replace(joined, existing=True)
    case = intake.store.get_case(first.case_id)
    assert case.report_count == 2 and len(intake.store.reports) == 2
    assert intake.submit(reporter="alice", target_id="item-2").status == "voting"  # her second unit of the day
    with pytest.raises(RateLimited):
        intake.submit(reporter="alice", target_id="item-3")
    assert intake.submit(reporter="alice").report_id == first.report_id  # a repeat at the cap is still answered
