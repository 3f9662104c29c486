"""Answers given before Powertools routes a request: a wrong role, or a body Quorum will not read."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler import content_types

from quorum_common import errors
from quorum_common.http.error_format import error_body, status_for
from quorum_common.jsonbody import BodyRefused, body_text, check_body, declared_not_json

NOT_JSON = errors.UnsupportedMediaType("Send the body as application/json.")


def early_answer(exc: errors.QuorumError) -> dict[str, Any]:
    """The API Gateway response of an error found before Powertools routes the request."""
    return {"statusCode": status_for(exc), "headers": {"Content-Type": content_types.APPLICATION_JSON},
            "body": json.dumps(error_body(exc.code, exc.message, exc.details)), "isBase64Encoded": False}


def refuse_bad_body(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """Answer 415 for a body declared as something other than JSON (Powertools would parse a form or a
    multipart body itself, and fails on a multipart one without a boundary), and 422 for a JSON body too
    deep, with a duplicate key or a control character (quorum_common.jsonbody)."""
    if declared_not_json(event):
        return early_answer(NOT_JSON)
    text = body_text(event)
    if text is None:
        return None
    try:
        check_body(text)
    except BodyRefused as refused:
        return early_answer(refused)
    return None
