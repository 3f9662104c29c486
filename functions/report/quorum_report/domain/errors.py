"""Errors of the voting lifecycle.

Their class names double as Step Functions `ErrorEquals` values in
infra/statemachines/voting.asl.json: keep them stable.
"""

from __future__ import annotations

from quorum_common.errors import Conflict, TransientError


class CaseSettled(Conflict):
    """The case already has its decision (by votes, by the final rule or by ops): go decide."""

    code = "case_settled"


class CaseAlreadyDecided(Conflict):
    """The case is closed; it can be neither escalated nor reopened."""

    code = "case_already_decided"


class CaseNotSettled(Conflict):
    """`decide` ran on a case without a decision: a defect upstream, escalated to ops."""

    code = "case_not_settled"


class CaseStateChanged(Conflict):
    """The case moved on (another round, another status) since the caller read it."""

    code = "case_state_changed"



class EffectFailed(TransientError):
    """An effect of a decided case (CaseDecided for the modules) failed; Decide retries, the sweeper redrives."""

    code = "effect_failed"
