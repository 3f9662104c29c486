"""Substituting a recused seat: the report API asks its own worker, through the Cloud Map RPC client."""

from __future__ import annotations

import logging

from quorum_report.adapters.peers import RpcPeer
from quorum_report.domain.case import Seat

log = logging.getLogger(__name__)


class RpcRecusals(RpcPeer):
    """`substitute_seat` on the report worker, asynchronously: the report's answer never waits for a draw."""

    def substitute(self, seat: Seat) -> None:
        try:
            self.client.call("report", "substitute_seat",
                             {"case_id": seat.case_id, "round": seat.round, "reviewer_id": seat.reviewer_id},
                             asynchronous=True)
        except Exception:  # the seat is recused either way; the round's close draws for the missing seat
            log.warning("could not ask for a substitute", extra={"case_id": seat.case_id}, exc_info=True)
