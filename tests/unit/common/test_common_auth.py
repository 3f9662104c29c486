"""Caller identity from the authorizer's claims, in both forms API Gateway may pass groups."""

from __future__ import annotations

import pytest

from quorum_common.auth import caller_from_event, parse_groups
from quorum_common.errors import PermissionDenied, Unauthenticated


def _event(claims: dict | None) -> dict:
    return {"requestContext": {"authorizer": {"jwt": {"claims": claims}}}} if claims is not None else {}


@pytest.mark.parametrize("raw, expected", [
    (["module", "ops"], {"module", "ops"}),
    ("[module ops]", {"module", "ops"}),
    ("[user]", {"user"}),
    ("user", {"user"}),
    ("module,ops", set()),  # one name with a comma in it, not two groups (issue 15 #11)
    ("", set()),
    (None, set()),
])
def test_groups_are_read_from_list_and_flattened_forms(raw: object, expected: set[str]) -> None:
    assert parse_groups(raw) == expected


@pytest.mark.parametrize("raw", [["user,ops"], ["[ops]"], "[[ops]]", "[user,ops]", "user ops", ["ops "], [["ops"]],
                                 "[user\tops]", {"ops": True}, 7])
def test_no_spelling_of_a_group_name_smuggles_in_another_group(raw: object) -> None:
    # API Gateway flattens the list claim ["[ops]"] to "[[ops]]" and ["user,ops"] to "[user,ops]"
    assert "ops" not in parse_groups(raw)


def test_missing_claims_are_unauthenticated() -> None:
    with pytest.raises(Unauthenticated):
        caller_from_event(_event(None))
    with pytest.raises(Unauthenticated):
        caller_from_event(_event({"groups": "[ops]"}))


def test_wrong_role_is_refused_and_right_role_passes() -> None:
    caller = caller_from_event(_event({"sub": "u-1", "groups": "[user]"}))
    assert caller.require("user", "ops").sub == "u-1"
    with pytest.raises(PermissionDenied) as err:
        caller.require("ops")
    assert err.value.code == "wrong_role"


@pytest.mark.parametrize(("claim", "speaks_for"), [("listing", "listing"), ("chat", "chat"), (None, None), ("", None),
                                                   ("Listing", None), ("auction", None), (["listing"], None)])
def test_a_module_token_speaks_for_the_one_module_its_claim_names(claim: object, speaks_for: str | None) -> None:
    caller = caller_from_event(_event({"sub": "m-1", "groups": "[module]", "quorum_module": claim}))
    if speaks_for:
        assert caller.speaks_for() == speaks_for == caller.require_module(speaks_for)
        with pytest.raises(PermissionDenied) as other:
            caller.require_module("review")
        assert other.value.code == "wrong_module"
    else:
        with pytest.raises(PermissionDenied) as missing:
            caller.require_module("listing")
        assert missing.value.code == "module_claim_missing"
