"""SNS topics: reviewer invitations, `CaseDecided` for the modules, alerts for ops."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel

from quorum_common import aws
from quorum_report.domain.errors import EffectFailed
from quorum_report.domain.events import CaseDecided, CaseEscalated, ReviewerInvited

BATCH = 10  # PublishBatch's limit


def _attributes(**values: str) -> dict[str, dict[str, str]]:
    return {name: {"DataType": "String", "StringValue": value} for name, value in values.items()}


def _body(event: BaseModel) -> str:
    return json.dumps(event.model_dump(mode="json"), separators=(",", ":"))


class SnsNotifier:
    """Publishes each event with message attributes subscribers filter on."""

    def __init__(self, invitations_topic_arn: str, events_topic_arn: str, alerts_topic_arn: str, client: Any = None):
        self.invitations_topic_arn = invitations_topic_arn
        self.events_topic_arn = events_topic_arn
        self.alerts_topic_arn = alerts_topic_arn
        self._client = client

    @property
    def client(self) -> Any:
        return self._client or aws.client("sns")

    def invite(self, invitations: Sequence[ReviewerInvited]) -> None:
        """One message per reviewer, in batches of ten."""
        for start in range(0, len(invitations), BATCH):
            entries = [{"Id": str(i), "Message": _body(inv), "MessageAttributes": _attributes(
                event_type="ReviewerInvited", reviewer_id=inv.reviewer_id, case_id=inv.case_id, module=inv.module)}
                for i, inv in enumerate(invitations[start:start + BATCH])]
            response = self.client.publish_batch(TopicArn=self.invitations_topic_arn, PublishBatchRequestEntries=entries)
            if response.get("Failed"):
                raise RuntimeError(f"{len(response['Failed'])} invitations were not published")

    def case_decided(self, event: CaseDecided) -> None:
        """Publish CaseDecided; a refused publish is an `EffectFailed` (Decide retries it)."""
        try:
            self.client.publish(TopicArn=self.events_topic_arn, Message=_body(event), MessageAttributes=_attributes(
                event_type="CaseDecided", module=event.module, decision=event.decision, case_id=event.case_id))
        except (ClientError, BotoCoreError) as exc:
            raise EffectFailed(f"CaseDecided for {event.case_id} was not published: {exc}") from exc

    def case_escalated(self, event: CaseEscalated) -> None:
        self.client.publish(TopicArn=self.alerts_topic_arn, Subject=f"Quorum case {event.case_id} escalated",
                            Message=_body(event), MessageAttributes=_attributes(
                                event_type="CaseEscalated", module=event.module, reason=event.reason))
