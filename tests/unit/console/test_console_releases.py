"""What the releases view says about a function's and the voting machine's live alias, from AWS's own answers."""

from __future__ import annotations

from quorum_console.domain.release import LiveAlias, MachineAlias, MachineVersion, ReleaseRecord, function_names, live_alias, machine_alias
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

    class Machines:
        def routes(self, alias_arn: str) -> list[tuple[str, float]] | None:
            return [("3", 100.0)] if alias_arn == ALIAS_ARN else None

        def running_cases(self, machine_arn: str) -> dict[str, int]:
            return {"3": 2} if machine_arn == ALIAS_ARN.removesuffix(":live") else {}

    aliases = Aliases()
    releases = read_releases("staging", ["report-api", "console"], ALIAS_ARN, 5, aliases=aliases, machines=Machines(),
                             log=Log())
    assert function_names("staging", ["report-api"]) == ["quorum-staging-report-api"]
    assert aliases.asked == ["quorum-staging-report-api:live", "quorum-staging-console:live"]
    assert [(f.function, f.deployed, f.version) for f in releases.functions] == [
        ("quorum-staging-report-api", True, "2"), ("quorum-staging-console", False, None)]
    assert releases.machines == [MachineAlias(machine="quorum-staging-voting", deployed=True,
                                              versions=[MachineVersion(version="3", weight=1.0, running_cases=2)])]


ALIAS_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:quorum-staging-voting:live"


def test_a_machine_canary_weighs_new_cases_and_old_versions_show_while_they_hold_cases() -> None:
    # Given version 8 live at 90 %, 9 at 10 %, and cases still running on 2, 7 and the unversioned machine
    voting = machine_alias(ALIAS_ARN, [("8", 90.0), ("9", 10.0)], {"9": 1, "7": 4, "-": 1, "10": 0, "2": 3})
    # Then the routed versions come first, with their fraction of new cases; the others follow, oldest first
    assert [(v.version, v.weight, v.running_cases) for v in voting.versions] == [
        ("8", 0.9, 0), ("9", 0.1, 1), ("2", None, 3), ("7", None, 4), ("10", None, 0), ("-", None, 1)]


def test_a_machine_without_its_alias_reads_as_not_deployed() -> None:
    assert machine_alias(ALIAS_ARN, None, {}) == MachineAlias(machine="quorum-staging-voting", deployed=False)
