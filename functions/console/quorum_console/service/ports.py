"""What the console's use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from quorum_console.domain.release import ReleaseRecord


class ConsoleFiles(Protocol):
    """The console's static files, shipped with the function's code."""

    def read(self, name: str) -> str | None:
        """The text of file `name` (a path relative to the console's root), or None if there is none."""


class Aliases(Protocol):
    """Lambda aliases of the environment's functions."""

    def get(self, function: str, alias: str) -> Mapping[str, Any] | None:
        """The `GetAlias` answer, or None when the function or alias does not exist."""


class StateMachines(Protocol):
    """The voting state machine's alias and executions."""

    def routes(self, alias_arn: str) -> list[tuple[str, float]] | None:
        """(version, percent of new cases) the alias routes, live first; None when it does not exist."""

    def running_cases(self, machine_arn: str) -> Mapping[str, int]:
        """Running executions per version (`-`: of no version); none when the machine does not exist."""


class ReleaseLog(Protocol):
    """The environment's release-log table."""

    def latest(self, limit: int) -> list[ReleaseRecord]:
        """The newest `limit` records, newest first."""
