"""Settings and adapters, built once per cold start on first use (never at import), typed with the ports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from pydantic import Field

from quorum_common.observability import observability
from quorum_common.settings import EnvSettings, load_settings
from quorum_common.vocabulary import utc_now
from quorum_report.service.ports import Clock, NewId, Notifier, PolicyStore, ReportStore, ReviewerDirectory, RewardLedger, Workflow
from quorum_report.service.reports import IntakeLimits

if TYPE_CHECKING:  # the worker never loads Powertools' HTTP modules (the idempotency helper pulls them in)
    from quorum_common.idempotency import Idempotent
    from quorum_report.handlers.schemas import ReportAcceptedResponse

logger, metrics, tracer = observability("report")
DENIED_METRIC = "StepFunctionsAccessDenied"  # template.yaml: StepFunctionsAccessDeniedAlarm


def count_denied(operation: str) -> None:
    """One `StepFunctionsAccessDenied` datapoint: a Step Functions grant is missing (alarmed)."""
    from aws_lambda_powertools.metrics import MetricUnit

    metrics.add_metric(name=DENIED_METRIC, unit=MetricUnit.Count, value=1)


class ApiSettings(EnvSettings):
    """The report API's environment (template.yaml, ReportApiFunction)."""

    report_table: str = Field(alias="QUORUM_REPORT_TABLE")
    idempotency_table: str = Field(alias="QUORUM_IDEMPOTENCY_TABLE")
    state_machine_arn: str = Field(alias="QUORUM_VOTING_STATE_MACHINE_ARN")
    daily_cap: int = Field(default=20, ge=1, le=10_000, alias="QUORUM_REPORT_DAILY_CAP")
    decision_reuse_seconds: int = Field(default=604_800, ge=0, alias="QUORUM_REPORT_DECISION_REUSE_SECONDS")


class WorkerSettings(EnvSettings):
    """The report worker's environment (template.yaml, ReportWorkerFunction)."""

    report_table: str = Field(alias="QUORUM_REPORT_TABLE")
    state_machine_arn: str = Field(alias="QUORUM_VOTING_STATE_MACHINE_ARN")  # the sweep restarts executions
    invitations_topic_arn: str = Field(alias="QUORUM_INVITATIONS_TOPIC_ARN")
    events_topic_arn: str = Field(alias="QUORUM_EVENTS_TOPIC_ARN")
    alerts_topic_arn: str = Field(alias="QUORUM_ALERTS_TOPIC_ARN")


def new_id(prefix: str) -> str:
    """An id that is also a valid Step Functions execution name."""
    return f"{prefix}-{uuid.uuid4().hex}"


@dataclass
class ApiDeps:
    store: ReportStore
    policies: PolicyStore
    workflow: Workflow
    reviewers: ReviewerDirectory
    rewards: RewardLedger
    limits: IntakeLimits
    intake_once: Idempotent[ReportAcceptedResponse]
    clock: Clock = utc_now
    new_id: NewId = new_id


@dataclass
class WorkerDeps:
    store: ReportStore
    notifier: Notifier
    reviewers: ReviewerDirectory
    workflow: Workflow
    clock: Clock = utc_now


@cache
def api_deps() -> ApiDeps:
    from quorum_common.idempotency import Idempotent
    from quorum_report.adapters.policy_store import DynamoPolicyStore
    from quorum_report.adapters.report_store import DynamoReportStore
    from quorum_report.adapters.reviewers import RpcReviewerDirectory
    from quorum_report.adapters.rewards import RpcRewardLedger
    from quorum_report.adapters.workflow import StepFunctionsWorkflow
    from quorum_report.handlers.schemas import ReportAcceptedResponse

    settings = load_settings(ApiSettings)
    return ApiDeps(store=DynamoReportStore(settings.report_table), policies=DynamoPolicyStore(settings.report_table),
                   workflow=StepFunctionsWorkflow(settings.state_machine_arn, on_denied=count_denied),
                   reviewers=RpcReviewerDirectory(),
                   rewards=RpcRewardLedger(), limits=IntakeLimits(settings.daily_cap, timedelta(seconds=settings.decision_reuse_seconds)),
                   intake_once=Idempotent(settings.idempotency_table, "quorum-report.create_report",
                                          ReportAcceptedResponse))


@cache
def worker_deps() -> WorkerDeps:
    from quorum_report.adapters.notifications import SnsNotifier
    from quorum_report.adapters.report_store import DynamoReportStore
    from quorum_report.adapters.reviewers import RpcReviewerDirectory
    from quorum_report.adapters.workflow import StepFunctionsWorkflow

    settings = load_settings(WorkerSettings)
    return WorkerDeps(store=DynamoReportStore(settings.report_table),
                      notifier=SnsNotifier(settings.invitations_topic_arn, settings.events_topic_arn,
                                           settings.alerts_topic_arn),
                      reviewers=RpcReviewerDirectory(),
                      workflow=StepFunctionsWorkflow(settings.state_machine_arn, on_denied=count_denied))
