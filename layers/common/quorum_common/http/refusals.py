"""Answers given before Powertools routes a request: a wrong role, or a body Quorum will not read."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import content_types

from quorum_common import errors
from quorum_common.http.error_format import error_body, status_for
from quorum_common.jsonbody import BodyRefused, body_text, check_body


def early_answer(exc: errors.QuorumError) -> dict[str, Any]:
    """The API Gateway response of an error found before Powertools routes the request."""
    return {"statusCode": status_for(exc), "headers": {"Content-Type": content_types.APPLICATION_JSON},
            "body": json.dumps(error_body(exc.code, exc.message, exc.details)), "isBase64Encoded": False}


def refuse_bad_body(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """Answer 422 for a JSON body too deep, with a duplicate key or a control character (quorum_common.jsonbody)."""
    text = body_text(event)
    if text is None:
        return None
    try:
        check_body(text)
    except BodyRefused as refused:
        return early_answer(refused)
    return None
