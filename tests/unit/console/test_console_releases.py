"""What the releases view says about a function's live alias, from Lambda's own answers."""

from __future__ import annotations

from quorum_console.domain.release import LiveAlias, ReleaseRecord, function_names, live_alias
from quorum_console.service.releases import read_releases


def test_a_plain_alias_has_no_canary() -> None:
    assert live_alias("quorum-dev-scheduler", {"FunctionVersion": "4", "RoutingConfig": {}}) == LiveAlias(
        function="quorum-dev-scheduler", deployed=True, version="4")


def test_weighted_routing_is_the_canary_with_its_share_of_requests() -> None:
    alias = {"FunctionVersion": "4", "RoutingConfig": {"AdditionalVersionWeights": {"5": 0.1}}}
    found = live_alias("quorum-prod-reward-api", alias)
    assert (found.version, found.canary_version, found.canary_weight) == ("4", "5", 0.1)


def test_a_missing_function_reads_as_not_deployed() -> None:
    assert live_alias("quorum-dev-console", None) == LiveAlias(function="quorum-dev-console", deployed=False)


def test_only_the_environment_s_own_functions_are_read() -> None:
    class Aliases:
        asked: list[str] = []

        def get(self, function: str, alias: str) -> dict | None:
            self.asked.append(f"{function}:{alias}")
            return {"FunctionVersion": "2"} if function.endswith("report-api") else None

    class Log:
        def latest(self, limit: int) -> list[ReleaseRecord]:
            return []

    aliases = Aliases()
    releases = read_releases("staging", ["report-api", "console"], 5, aliases=aliases, log=Log())
    assert function_names("staging", ["report-api"]) == ["quorum-staging-report-api"]
    assert aliases.asked == ["quorum-staging-report-api:live", "quorum-staging-console:live"]
    assert [(f.function, f.deployed, f.version) for f in releases.functions] == [
        ("quorum-staging-report-api", True, "2"), ("quorum-staging-console", False, None)]
