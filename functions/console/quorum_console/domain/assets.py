"""Which console file a request path names, how it is typed, and the policy the page runs under.

The console is a single-page app: a path whose last segment has a file extension names a file
(`/console/js/main.js`); any other path under `/console` is a page of the app, answered with
`index.html` so the browser's router can draw it (`/console/cases/c-1`). Only plain segments are
accepted, so no path can climb out of the console's files.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import Literal

CONSOLE_PREFIX = "/console"
INDEX = "index.html"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}
_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
_IMPORT_MAP = re.compile(r'<script type="importmap">(.*?)</script>', re.S)


@dataclass(frozen=True)
class Wanted:
    """What a console path asks for: a `file` by name, or a `page` (always `index.html`)."""

    kind: Literal["file", "page"]
    name: str


def wanted(path: str) -> Wanted | None:
    """The file or page `path` names; None when it is not a console path or has an unsafe segment."""
    if path != CONSOLE_PREFIX and not path.startswith(CONSOLE_PREFIX + "/"):
        return None
    rest = path[len(CONSOLE_PREFIX):].strip("/")
    if not rest:
        return Wanted("page", INDEX)
    segments = rest.split("/")
    if not all(_SEGMENT.match(segment) for segment in segments):
        return None
    return Wanted("file", rest) if "." in segments[-1] else Wanted("page", INDEX)


def content_type(name: str) -> str | None:
    """The Content-Type of a console file; None for a kind of file the console does not serve."""
    dot = name.rfind(".")
    return CONTENT_TYPES.get(name[dot:].lower()) if dot >= 0 else None


def content_security_policy(index_html: str) -> str:
    """Scripts, styles, fetches and images from this origin only; the page's inline import map by its hash."""
    hashes = " ".join(f"'sha256-{_sha256(script)}'" for script in _IMPORT_MAP.findall(index_html))
    return ("default-src 'none'; "
            f"script-src 'self' {hashes}".rstrip() + "; "
            "style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
