"""The console's files, read from the `static/` folder packaged with the function's code."""

from __future__ import annotations

from functools import cached_property
from importlib import resources
from importlib.resources.abc import Traversable

PACKAGE = "quorum_console"
FOLDER = "static"


class PackagedFiles:
    """Only files that exist under `static/` when the function starts are served; each is read once."""

    def __init__(self, package: str = PACKAGE, folder: str = FOLDER):
        self.root = resources.files(package).joinpath(folder)
        self._texts: dict[str, str] = {}

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(_walk(self.root, ""))

    def read(self, name: str) -> str | None:
        if name not in self.names:
            return None
        if name not in self._texts:
            self._texts[name] = self.root.joinpath(*name.split("/")).read_text(encoding="utf-8")
        return self._texts[name]


def _walk(folder: Traversable, prefix: str) -> list[str]:
    found = []
    for entry in folder.iterdir():
        if entry.is_dir():
            found += _walk(entry, f"{prefix}{entry.name}/")
        elif entry.is_file():
            found.append(prefix + entry.name)
    return found
