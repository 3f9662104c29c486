"""The reviewer capability, reached through the common layer's Cloud Map RPC client.

Releasing a seat is fire-and-forget and reviewer stats are a nicety of the ops view: neither
may fail the caller's request, so an absent or failing reviewer service is logged and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from quorum_report.adapters.peers import RpcPeer

log = logging.getLogger(__name__)


class RpcReviewerDirectory(RpcPeer):
    """`release_seat` and `reviewer_stats` on the reviewer service."""

    def release_seat(self, case_id: str, reviewer_id: str, outcome: str) -> None:
        try:
            self.client.call("reviewer", "release_seat",
                             {"case_id": case_id, "reviewer_id": reviewer_id, "outcome": outcome},
                             user_id=reviewer_id, asynchronous=True)
        except Exception:  # the vote stands even if the fatigue slot is freed late
            log.warning("could not release the reviewer's seat", extra={"case_id": case_id}, exc_info=True)

    def stats(self, reviewer_ids: Sequence[str]) -> dict[str, Any] | None:
        if not reviewer_ids:
            return {}
        try:
            answer = self.client.call("reviewer", "reviewer_stats", {"reviewer_ids": list(reviewer_ids)})
            return answer.get("stats", answer) if isinstance(answer, dict) else None
        except Exception:  # the ops view works without stats
            log.warning("reviewer stats unavailable", exc_info=True)
            return None
