"""`make demo`: a scenario played on a running local cloud (`make run`), with visible progress.

Reports arrive from all five modules (three of them on one chat message, aggregated into one
case); reviewers vote; a listing is decided early; a post's no-shows are replaced by
substitutes; a review escalates and ops resolve it. It ends with a table of cases, decisions
and the points each case earned its reviewers.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass, field

import requests

from quorum_local.cli import mint_local_token
from quorum_local.journeys import DecisionInbox, Journey
from quorum_local.server import Settings

POOL = 8


@dataclass
class Played:
    module: str
    case_id: str
    reports: int
    path: str
    voters: list[str] = field(default_factory=list)
    decision: str = ""
    points: int = 0


def say(message: str) -> None:
    print(message, flush=True)


class Demo:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.run_tag = uuid.uuid4().hex[:4]
        self.played: list[Played] = []

    def journey(self, module: str, **policy: int) -> tuple[Journey, DecisionInbox]:
        journey = Journey(self.settings.api_url, mint_local_token, module,
                          tag=f"demo-{module}-{self.run_tag}")
        journey.set_policy(**policy)
        journey.enroll_pool(POOL)
        say(f"  {module:8} policy {policy['panel_size']} seats / {policy['votes_to_win']} to win, "
            f"window {policy['vote_window_seconds']} s; {POOL} reviewers enrolled")
        return journey, DecisionInbox(self.settings.aws_url, module)

    def finish(self, journey: Journey, inbox: DecisionInbox, played: Played) -> None:
        message = inbox.wait_for(played.case_id)
        played.decision = message["decision"]
        say(f"    CaseDecided {played.case_id}: {message['decision']} "
            f"({message['votes_for_violation']} violation / {message['votes_for_no_violation']} no violation)")
        self.played.append(played)

    def early_decision(self) -> None:
        say("\n[1] listing: a counterfeit bag, decided early 3-0 on a 5-seat panel")
        journey, inbox = self.journey("listing", panel_size=5, votes_to_win=3, vote_window_seconds=120,
                                      substitute_rounds=1, min_votes=3)
        report = journey.report(f"listing-{uuid.uuid4().hex[:6]}", "buyer-1", reason="counterfeit")
        panel = journey.seats(report["case_id"], 1, 5)
        say(f"    case {report['case_id']} opened, panel {', '.join(panel)}")
        for reviewer in panel[:3]:
            journey.vote(report["case_id"], reviewer, "violation")
            say(f"    {reviewer} votes violation")
        self.finish(journey, inbox, Played("listing", report["case_id"], 1, "early 3-0", panel[:3]))

    def split(self) -> None:
        say("\n[2] comment: abuse under a listing, a 2-1 split on a 3-seat panel")
        journey, inbox = self.journey("comment", panel_size=3, votes_to_win=2, vote_window_seconds=120,
                                      substitute_rounds=1, min_votes=2)
        report = journey.report(f"comment-{uuid.uuid4().hex[:6]}", "reader-1", reason="abuse")
        panel = journey.seats(report["case_id"], 1, 3)
        for reviewer, verdict in zip(panel, ["violation", "no_violation", "violation"], strict=True):
            journey.vote(report["case_id"], reviewer, verdict)
            say(f"    {reviewer} votes {verdict}")
        self.finish(journey, inbox, Played("comment", report["case_id"], 1, "2-1 split", panel))

    def substitutes(self) -> None:
        say("\n[3] post: two reviewers never answer; substitutes are drawn and decide")
        journey, inbox = self.journey("post", panel_size=3, votes_to_win=2, vote_window_seconds=3,
                                      substitute_rounds=1, min_votes=2)
        report = journey.report(f"post-{uuid.uuid4().hex[:6]}", "reader-2", reason="spam")
        first = journey.seats(report["case_id"], 1, 3)
        journey.vote(report["case_id"], first[0], "violation")
        say(f"    {first[0]} votes violation; {first[1]} and {first[2]} stay silent (window 3 s) ...")
        subs = journey.seats(report["case_id"], 2, 2)
        say(f"    round 2: substitutes {', '.join(subs)} invited for the 2 missing seats")
        journey.vote(report["case_id"], subs[0], "violation")
        say(f"    {subs[0]} votes violation")
        self.finish(journey, inbox, Played("post", report["case_id"], 1, "substitute round", [first[0], subs[0]]))

    def escalation(self) -> None:
        say("\n[4] review: nobody answers within 2 s, the case escalates and ops resolve it")
        journey, inbox = self.journey("review", panel_size=3, votes_to_win=2, vote_window_seconds=2,
                                      substitute_rounds=0, min_votes=2)
        report = journey.report(f"review-{uuid.uuid4().hex[:6]}", "buyer-3", reason="fake_review")
        journey.seats(report["case_id"], 1, 3)
        journey.wait_for_status(report["case_id"], "escalated")
        say(f"    case {report['case_id']} escalated; ops decide: no_violation")
        journey.resolve(report["case_id"], "no_violation", "the review matches the order history")
        self.finish(journey, inbox, Played("review", report["case_id"], 1, "escalated, ops"))

    def aggregation(self) -> None:
        say("\n[5] chat: three people report the same message; one case, one vote")
        journey, inbox = self.journey("chat", panel_size=3, votes_to_win=2, vote_window_seconds=120,
                                      substitute_rounds=1, min_votes=2)
        target = f"chat-{uuid.uuid4().hex[:6]}"
        reports = [journey.report(target, f"chatter-{i}", reason="harassment") for i in range(3)]
        say(f"    3 reports -> case {reports[0]['case_id']} (aggregated: {[r['aggregated'] for r in reports]})")
        panel = journey.seats(reports[0]["case_id"], 1, 3)
        for reviewer in panel[:2]:
            journey.vote(reports[0]["case_id"], reviewer, "violation")
            say(f"    {reviewer} votes violation")
        self.finish(journey, inbox, Played("chat", reports[0]["case_id"], 3, "aggregated", panel[:2]))

    def summary(self) -> None:
        for played in self.played:
            journey = Journey(self.settings.api_url, mint_local_token, played.module)
            played.points = sum(self._balance(journey, voter) for voter in played.voters)
        say(f"\n{'case':40} {'module':8} {'reports':>7}  {'path':18} {'decision':13} {'points':>6}")
        for p in self.played:
            say(f"{p.case_id:40} {p.module:8} {p.reports:7}  {p.path:18} {p.decision:13} {p.points:6}")

    @staticmethod
    def _balance(journey: Journey, voter: str) -> int:
        try:
            return int(journey.rewards(voter)["balance"])
        except AssertionError:
            return 0


def main() -> int:
    settings = Settings.from_environ()
    try:
        requests.get(f"{settings.api_url}/v1/health", timeout=3).raise_for_status()
    except requests.RequestException:
        print(f"No local cloud at {settings.api_url}: start it with `make run` in another terminal.", file=sys.stderr)
        return 1
    demo = Demo(settings)
    say(f"Quorum demo against {settings.api_url}")
    for step in (demo.early_decision, demo.split, demo.substitutes, demo.escalation, demo.aggregation):
        step()
    demo.summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
