"""How the report capability's models are stored in its single table (values in plain Python;
`quorum_common.dynamo.Table` turns them into DynamoDB's).

| item        | pk                         | sk          | gsi1pk              | gsi1sk                |
|-------------|----------------------------|-------------|---------------------|-----------------------|
| case        | CASE#<case_id>             | CASE        | CASES#<status>      | <created_at>#<case_id>|
|             | (decided, effects pending: gsi2pk EFFECTS#pending, gsi2sk <decided_at>#<case_id>)    |
|             | (given up by the sweep: gsi2pk EFFECTS#abandoned, same gsi2sk)                       |
| seat / vote | CASE#<case_id>             | SEAT#<user> |                     |                       |
| reporter    | CASE#<case_id>             | REPORTER#<module>#<user> (the report id: one per reporter, module and case) |
| report      | REPORT#<report_id>         | REPORT      | REPORTS#<case_id>   | <created_at>#<id>     |
| target lock | TARGET#<module>#<target>   | LOCK        |                     |                       |
| quota       | QUOTA#<reporter>           | DAY#<date>  |                     |                       |
| policy      | POLICY#<module>            | V#<version> / CURRENT (gsi1pk POLICIES, gsi1sk module) |
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quorum_common.vocabulary import DECISIONS, Decision
from quorum_report.domain.case import Case, Report, Resolution, Seat, Tally, Target, TargetLock, TimelineEntry
from quorum_report.domain.policy import Policy


def tally_attribute(side: Decision) -> str:
    """The case row's counter of votes for `side`."""
    return f"votes_{side}"


EFFECTS_PENDING = "EFFECTS#pending"  # gsi2pk of a decided case until its effects complete
EFFECTS_ABANDONED = "EFFECTS#abandoned"  # gsi2pk of one the sweep gave up (max_restarts), for ops to find


def case_key(case_id: str) -> dict[str, str]:
    return {"pk": f"CASE#{case_id}", "sk": "CASE"}


def seat_key(case_id: str, reviewer_id: str) -> dict[str, str]:
    return {"pk": f"CASE#{case_id}", "sk": f"SEAT#{reviewer_id}"}


def reporter_key(case_id: str, submitted_by: str, reporter_id: str) -> dict[str, str]:
    return {"pk": f"CASE#{case_id}", "sk": f"REPORTER#{submitted_by}#{reporter_id}"}


def report_key(report_id: str) -> dict[str, str]:
    return {"pk": f"REPORT#{report_id}", "sk": "REPORT"}


def lock_key(module: str, target_id: str) -> dict[str, str]:
    return {"pk": f"TARGET#{module}#{target_id}", "sk": "LOCK"}


def quota_key(reporter_id: str, day: str) -> dict[str, str]:
    return {"pk": f"QUOTA#{reporter_id}", "sk": f"DAY#{day}"}


def policy_key(module: str, sk: str) -> dict[str, str]:
    return {"pk": f"POLICY#{module}", "sk": sk}


def iso(at: datetime) -> str:
    return at.isoformat()


def entry_value(entry: TimelineEntry) -> dict[str, Any]:
    return entry.model_dump(mode="json")


# ---------------------------------------------------------------- case
def case_item(case: Case) -> dict[str, Any]:
    """The stored row of a new case."""
    return {
        **case_key(case.case_id), "kind": "case", "case_id": case.case_id,
        "target": case.target.model_dump(mode="json"), "reason": case.reason, "detail": case.detail,
        "policy": case.policy.model_dump(mode="json", exclude_none=True), "status": case.status,
        "round": case.round, **{tally_attribute(side): case.tally.of(side) for side in DECISIONS},
        "invited": set(case.invited) or None, "reporters": set(case.reporters) or None,
        "reasons": {case.reason}, "report_count": case.report_count, "created_at": iso(case.created_at),
        "updated_at": iso(case.created_at), "timeline": [entry_value(e) for e in case.timeline],
        "gsi1pk": f"CASES#{case.status}", "gsi1sk": f"{iso(case.created_at)}#{case.case_id}",
    }


def case_from(row: dict[str, Any]) -> Case:
    """A case from its stored row."""
    return Case(
        case_id=row["case_id"], target=Target.model_validate(row["target"]), reason=row["reason"],
        detail=row.get("detail"), policy=Policy.model_validate(row["policy"]), status=row["status"],
        round=row["round"], tally=Tally(**{side: row.get(tally_attribute(side), 0) for side in DECISIONS}),
        invited=frozenset(row.get("invited", ())), reporters=frozenset(row.get("reporters", ())),
        report_count=row.get("report_count", 1), settled=row.get("settled"), settled_by=row.get("settled_by"),
        decision=row.get("decision"), decided_at=row.get("decided_at"),
        resolution=Resolution.model_validate(row["resolution"]) if row.get("resolution") else None,
        created_at=row["created_at"], round_deadline=row.get("deadline"),
        timeline=tuple(TimelineEntry.model_validate(e) for e in row.get("timeline", ())),
        execution=row.get("execution"), restarts=row.get("restarts", 0),
        announced="announced_at" in row, effects_done="effects_done_at" in row, pins=dict(row.get("pins") or {}))


# ---------------------------------------------------------------- seat
def seat_item(seat: Seat) -> dict[str, Any]:
    return {**seat_key(seat.case_id, seat.reviewer_id), "kind": "seat", "case_id": seat.case_id,
            "reviewer_id": seat.reviewer_id, "round": seat.round, "status": seat.status,
            "deadline": iso(seat.deadline), "deadline_epoch_ms": int(seat.deadline.timestamp() * 1000),
            "invited_at": iso(seat.invited_at)}


def seat_from(row: dict[str, Any]) -> Seat:
    return Seat(case_id=row["case_id"], reviewer_id=row["reviewer_id"], round=row["round"], status=row["status"],
                deadline=row["deadline"], invited_at=row["invited_at"], verdict=row.get("verdict"),
                comment=row.get("comment"), voted_at=row.get("voted_at"), ended_at=row.get("ended_at"))


# ---------------------------------------------------------------- report and lock
def report_item(report: Report) -> dict[str, Any]:
    return {**report_key(report.report_id), "kind": "report", "report_id": report.report_id,
            "case_id": report.case_id, "reporter_id": report.reporter_id, "submitted_by": report.submitted_by,
            "target": report.target.model_dump(mode="json"), "reason": report.reason, "detail": report.detail,
            "created_at": iso(report.created_at), "aggregated": report.aggregated,
            "gsi1pk": f"REPORTS#{report.case_id}", "gsi1sk": f"{iso(report.created_at)}#{report.report_id}"}


def reporter_item(report: Report) -> dict[str, Any]:
    """The marker that `report.reporter_id` reported `report.case_id` through `report.submitted_by` (a second
    report finds it; per module, because a module reads only the reports it submitted)."""
    return {**reporter_key(report.case_id, report.submitted_by, report.reporter_id), "kind": "reporter",
            "case_id": report.case_id, "submitted_by": report.submitted_by,
            "reporter_id": report.reporter_id, "report_id": report.report_id}


def report_from(row: dict[str, Any]) -> Report:
    return Report(report_id=row["report_id"], case_id=row["case_id"], reporter_id=row["reporter_id"],
                  submitted_by=row["submitted_by"], target=Target.model_validate(row["target"]),
                  reason=row["reason"], detail=row.get("detail"), created_at=row["created_at"],
                  aggregated=row.get("aggregated", False))


def lock_item(case: Case) -> dict[str, Any]:
    return {**lock_key(case.module, case.target.id), "kind": "target_lock", "module": case.module,
            "target_id": case.target.id, "case_id": case.case_id, "created_at": iso(case.created_at)}


def lock_from(row: dict[str, Any]) -> TargetLock:
    return TargetLock(module=row["module"], target_id=row["target_id"], case_id=row["case_id"])


# ---------------------------------------------------------------- policy
def policy_items(policy: Policy) -> tuple[dict[str, Any], dict[str, Any]]:
    """The immutable version row and the module's CURRENT pointer row."""
    body = {"kind": "policy", **policy.model_dump(mode="json", exclude_none=True)}
    version = {**policy_key(policy.module, f"V#{policy.version:06d}"), **body}
    current = {**policy_key(policy.module, "CURRENT"), **body, "gsi1pk": "POLICIES", "gsi1sk": policy.module}
    return version, current


def policy_from(row: dict[str, Any]) -> Policy:
    return Policy.model_validate({k: v for k, v in row.items() if k in Policy.model_fields})

