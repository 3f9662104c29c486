"""Substituting a recused seat: the report API asks its own worker, through the Cloud Map RPC client."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from quorum_report.adapters.peers import RpcPeer
from quorum_report.domain.case import Seat

log = logging.getLogger(__name__)


class RpcRecusals(RpcPeer):
    """`substitute_seat` on the report worker, asynchronously: the report's answer never waits for a draw."""

    def substitute(self, seat: Seat, pins: Mapping[str, str]) -> None:
        """`pins` are the case's (the worker versions of its state-machine version): the substitute's
        draw and the seat's release run on those, as every other RPC made for the case does."""
        payload = {"case_id": seat.case_id, "round": seat.round, "reviewer_id": seat.reviewer_id}
        try:
            self.client.call("report", "substitute_seat", {**payload, **({"pins": dict(pins)} if pins else {})},
                             asynchronous=True)
        except Exception:  # the seat is recused either way; the round's close draws for the missing seat
            log.warning("could not ask for a substitute", extra={"case_id": seat.case_id}, exc_info=True)
