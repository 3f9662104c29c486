"""Routes for modules: report content, read a report's status."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.metrics import MetricUnit

from quorum_common.http import QuorumRouter, allow, current_caller, refuses
from quorum_common.idempotency import IdempotencyKeyHeader
from quorum_report.domain.case import Content, Target
from quorum_report.handlers.schemas import CreateReportRequest, ReportAcceptedResponse
from quorum_report.handlers.wiring import api_deps, logger, metrics
from quorum_report.service.reports import SubmitReport, check_report, get_report, submit_report
from quorum_report.service.views import ReportView, report_view

router = QuorumRouter()


def _command(sub: str, request: CreateReportRequest) -> SubmitReport:
    target = request.target
    content = Content(text=target.content.text, image_urls=tuple(target.content.image_urls))
    return SubmitReport(submitted_by=sub, reporter_id=request.reporter_id, reason=request.reason,
                        detail=request.detail,
                        target=Target(module=target.module, id=target.id, owner_id=target.owner_id, content=content))


@router.post("/v1/reports", status_code=202, summary="Report content", tags=["reports"])
@allow("module")
@refuses(409, 429)
def create_report(request: CreateReportRequest, idempotency_key: IdempotencyKeyHeader = None) -> ReportAcceptedResponse:
    """A module reports a piece of content of its own module (the token's `quorum_module` claim; 403
    `module_claim_missing` / `wrong_module` otherwise); one case per target, one vote per case (202: the
    report joined or opened a case)."""
    caller = current_caller()
    caller.require_module(request.target.module)
    cmd = _command(caller.sub, request)
    check_report(cmd)
    deps = api_deps()

    def work() -> ReportAcceptedResponse:
        accepted = submit_report(cmd, store=deps.store, policies=deps.policies, workflow=deps.workflow,
                                 clock=deps.clock, new_id=deps.new_id, limits=deps.limits)
        logger.set_correlation_id(accepted.case_id)
        metrics.add_metric(name="ReportsReceived", unit=MetricUnit.Count, value=1)
        if not accepted.aggregated:
            metrics.add_metric(name="CasesOpened", unit=MetricUnit.Count, value=1)
        return ReportAcceptedResponse(**asdict(accepted))

    return deps.intake_once(caller.sub, idempotency_key, request.model_dump(mode="json"), work, router.lambda_context)


@router.get("/v1/reports/<report_id>", summary="Status and decision of a report", tags=["reports"])
@allow("module", "ops")
@refuses(404)
def read_report(report_id: Annotated[str, Path(max_length=64)]) -> ReportView:
    """The report's case status and, once decided, its decision."""
    caller = current_caller()
    status = get_report(report_id, caller.sub, "ops" in caller.groups, store=api_deps().store)
    return report_view(status.report, status.case)
