"""Build the OpenAPI document of the whole public API from every API function's resolver.

Each API function knows only its own routes, and functions never import each other at run
time, so the merged document is generated here (Powertools' OpenAPIMerge) and shipped as a file
in the common layer, which `GET /v1/openapi.json` serves. A template test fails when the file
is stale: regenerate it with `make openapi`.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

from quorum_local import runtime
from quorum_local.template import ROOT, Template

DOCUMENT_PATH = ROOT / "layers/common/quorum_common/openapi.json"
DESCRIPTION = ("Quorum's public HTTP API v1. Errors always look like "
               '{"error": {"code", "message", "details"}}. Identity comes from the bearer token\'s '
               "`sub` and `groups` (module, user, ops) claims; a module's token also carries `quorum_module`, "
               "the one module (listing, post, comment, chat, review) whose content it may report.")


def api_handlers(template: Template) -> list[str]:
    """The handler of every function that serves HttpApi events, in template order."""
    handlers = []
    for lid in template.of_type("AWS::Serverless::Function"):
        props = template.properties(lid)
        if any(ev["Type"] == "HttpApi" for ev in props.get("Events", {}).values()):
            handlers.append(props["Handler"])
    return handlers


def build_document(template: Template | None = None) -> dict[str, Any]:
    template = template or Template.load("local")
    runtime.add_code_paths(template)
    merge = OpenAPIMerge(title="Quorum API", version="1.0.0", description=DESCRIPTION,
                         security_schemes={"bearer": HTTPBearer(bearerFormat="JWT")}, security=[{"bearer": []}],
                         on_conflict="error")
    for dotted in api_handlers(template):
        app = runtime.load_handler(dotted.rsplit(".", 1)[0] + ".app")
        merge.add_schema(app.get_openapi_schema(title="Quorum API", version="1.0.0"))
    return json.loads(merge.get_openapi_json_schema())


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def main() -> int:
    DOCUMENT_PATH.write_text(render(build_document()))
    print(f"wrote {DOCUMENT_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
