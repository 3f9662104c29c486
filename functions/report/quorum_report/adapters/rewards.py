"""The reward capability, reached through the common layer's Cloud Map RPC client.

The case timeline shows a case's grants; an absent or failing reward service leaves them out
(logged), it never fails the ops view.
"""

from __future__ import annotations

import logging
from typing import Any

from quorum_report.adapters.peers import RpcPeer

log = logging.getLogger(__name__)


class RpcRewardLedger(RpcPeer):
    """`case_grants` on the reward worker."""

    def case_grants(self, case_id: str) -> list[dict[str, Any]] | None:
        try:
            answer = self.client.call("reward", "case_grants", {"case_id": case_id})
        except Exception:  # the timeline works without the rewards
            log.warning("case grants unavailable", extra={"case_id": case_id}, exc_info=True)
            return None
        grants = answer.get("grants") if isinstance(answer, dict) else None
        return grants if isinstance(grants, list) else None
