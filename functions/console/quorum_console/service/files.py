"""Answer a console path with a file: the app's page for its routes, the asset for a file name."""

from __future__ import annotations

from dataclasses import dataclass, field

from quorum_common.errors import NotFound
from quorum_console.domain.assets import INDEX, content_security_policy, content_type, wanted
from quorum_console.service.ports import ConsoleFiles

# Files are not fingerprinted, so the browser asks again each time (they are small); never framed, never sniffed.
COMMON_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


class AssetNotFound(NotFound):
    """No console file has this name."""

    code = "asset_not_found"


@dataclass(frozen=True)
class ServedFile:
    content_type: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)


def serve(path: str, files: ConsoleFiles) -> ServedFile:
    """The file `path` names (`index.html` for the app's pages); `AssetNotFound` for anything else."""
    want = wanted(path)
    kind = content_type(want.name) if want else None
    body = files.read(want.name) if want and kind else None
    if want is None or kind is None or body is None:
        raise AssetNotFound(f"The console has no file at {path}.")
    headers = dict(COMMON_HEADERS)
    if want.name == INDEX:
        headers["Content-Security-Policy"] = content_security_policy(body)
    return ServedFile(kind, body, headers)
