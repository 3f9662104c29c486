"""Settings and adapters, built once per cold start on first use (never at import)."""

from __future__ import annotations

from functools import cache

from pydantic import Field, field_validator

from quorum_common.dynamo import Table
from quorum_common.observability import observability
from quorum_common.settings import EnvSettings, load_settings
from quorum_console.adapters.aliases import LambdaAliases
from quorum_console.adapters.machines import StepFunctionsMachines
from quorum_console.adapters.package_files import PackagedFiles
from quorum_console.adapters.release_log import DynamoReleaseLog
from quorum_console.service.ports import Aliases, ConsoleFiles, ReleaseLog, StateMachines

logger, metrics, tracer = observability("console")


class ConsoleSettings(EnvSettings):
    """The console function's environment (template.yaml, ConsoleFunction)."""

    env: str = Field(alias="QUORUM_ENV", min_length=1)
    release_log_table: str = Field(alias="QUORUM_RELEASE_LOG_TABLE", min_length=3)
    functions: tuple[str, ...] = Field(alias="QUORUM_RELEASE_FUNCTIONS", min_length=1)
    voting_alias_arn: str = Field(alias="QUORUM_VOTING_STATE_MACHINE_ARN", pattern=r":stateMachine:[^:]+:[^:]+$")

    @field_validator("functions", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return tuple(name.strip() for name in value.split(",") if name.strip()) if isinstance(value, str) else value


def settings() -> ConsoleSettings:
    return load_settings(ConsoleSettings)


@cache
def files() -> ConsoleFiles:
    return PackagedFiles()


@cache
def aliases() -> Aliases:
    return LambdaAliases()


@cache
def machines() -> StateMachines:
    return StepFunctionsMachines()


@cache
def release_log() -> ReleaseLog:
    return DynamoReleaseLog(Table(settings().release_log_table))
