"""Published versions of a function that coexist: each runs its own code snapshot in a child process.

`quorum-local publish` snapshots a function's code (and the common layer) as it is on disk and
publishes a version whose zip names that snapshot. Version 1, provisioned from the working tree,
runs in this process as before; a snapshot version runs in a child process of its own
(`version_host.py`), so versions 1 and 2 answer side by side, each with its own modules.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

SNAPSHOT_MARKER = "QUORUM_LOCAL_SNAPSHOT"  # a zip entry: the snapshot's import roots, one a line
_HOST = Path(__file__).with_name("version_host.py")
_hosts: dict[tuple[str, ...], VersionHost] = {}
_hosts_lock = threading.Lock()


def snapshot_zip(roots: list[str]) -> bytes:
    """The zip a snapshot version is published with."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(SNAPSHOT_MARKER, "\n".join(roots))
    return buffer.getvalue()


def snapshot_roots(code_zip: bytes) -> tuple[str, ...] | None:
    """The import roots a published zip names, or None for code that runs from the working tree."""
    try:
        with zipfile.ZipFile(io.BytesIO(code_zip)) as archive:
            if SNAPSHOT_MARKER in archive.namelist():
                return tuple(archive.read(SNAPSHOT_MARKER).decode().splitlines())
    except zipfile.BadZipFile:
        return None
    return None


class VersionHost:
    """One child process serving the handlers of one snapshot, one invoke at a time."""

    def __init__(self, roots: tuple[str, ...]):
        self.process = subprocess.Popen([sys.executable, str(_HOST), *roots], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        self.lock = threading.Lock()

    def invoke(self, handler: str, event: Any, context: dict[str, Any]) -> tuple[str, bool, str]:
        request = json.dumps({"handler": handler, "event": event, "context": context}, default=str)
        with self.lock:
            assert self.process.stdin and self.process.stdout
            self.process.stdin.write(request + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        if not line:
            error = {"errorMessage": "the version's process exited", "errorType": "Runtime.ExitError"}
            return json.dumps(error), True, ""
        answer = json.loads(line)
        return answer["payload"], answer["error"], answer.get("log", "")

    def stop(self) -> None:
        self.process.terminate()


def host_for(roots: tuple[str, ...]) -> VersionHost:
    with _hosts_lock:
        if roots not in _hosts or _hosts[roots].process.poll() is not None:
            _hosts[roots] = VersionHost(roots)
        return _hosts[roots]


def stop_all() -> None:
    with _hosts_lock:
        for host in _hosts.values():
            host.stop()
        _hosts.clear()
