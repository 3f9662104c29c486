"""The reviewer capability, reached through the common layer's Cloud Map RPC client.

Releasing a seat is fire-and-forget and reviewer stats are a nicety of the ops view: neither
may fail the caller's request, so an absent or failing reviewer service is logged and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from quorum_report.adapters.peers import RpcPeer
from quorum_report.service.steps import DrawRound

log = logging.getLogger(__name__)


class RpcReviewerDirectory(RpcPeer):
    """`release_seat`, `draw_panel` (one recused seat's substitute) and `reviewer_stats` on the reviewer service."""

    def release_seat(self, case_id: str, reviewer_id: str, outcome: str) -> None:
        try:
            self.client.call("reviewer", "release_seat",
                             {"case_id": case_id, "reviewer_id": reviewer_id, "outcome": outcome},
                             user_id=reviewer_id, asynchronous=True)
        except Exception:  # the vote stands even if the fatigue slot is freed late
            log.warning("could not release the reviewer's seat", extra={"case_id": case_id}, exc_info=True)

    def draw(self, draw: DrawRound) -> list[str]:
        """Reviewers for `draw.seats_needed` seats outside the state machine's draw (no round: the round's
        own draw answers a retry of that round with its first reviewers)."""
        answer = self.client.call("reviewer", "draw_panel", {
            "case_id": draw.case_id, "seats": draw.seats_needed, "exclude": draw.exclude, "tags": draw.tags,
            "max_region_share": draw.max_region_share, "balance": draw.balance,
            "module": draw.module, "reason": draw.reason, "content": draw.content.model_dump(),
            "deadline": draw.deadline})
        return list(answer.get("reviewer_ids", [])) if isinstance(answer, dict) else []

    def stats(self, reviewer_ids: Sequence[str]) -> dict[str, Any] | None:
        if not reviewer_ids:
            return {}
        try:
            answer = self.client.call("reviewer", "reviewer_stats", {"reviewer_ids": list(reviewer_ids)})
            return answer.get("stats", answer) if isinstance(answer, dict) else None
        except Exception:  # the ops view works without stats
            log.warning("reviewer stats unavailable", exc_info=True)
            return None
