"""The console's journeys in a real browser (Chromium) over the local cloud, as ops and reviewers live them.

Each journey prepares its world over the API (a Journey owns one module's policy and reviewer
pool), then does in the browser what a person would: sign in, read, type, click. What the page
shows is checked in the page; what it changed is checked again through the API. Every page is
photographed at 1280x800 and 390x844 (test-output/console/).
"""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from console_browser import Console
from e2e_cloud import LocalCloudProcess
from playwright.sync_api import Locator, expect

from quorum_local.journeys import Journey, poll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PHONE_NUMBER = "13800138000"


@pytest.fixture
def journey_for(local_cloud: LocalCloudProcess):
    return lambda module: Journey(local_cloud.api_url, local_cloud.mint, module)


def event(timeline: Locator, name: str) -> Locator:
    """The timeline's items of one event (its name is the item's bold text)."""
    return timeline.get_by_role("listitem").filter(has=timeline.page.locator("strong", has_text=re.compile(f"^{name}$")))


def test_a_ops_resolve_an_escalated_case_from_the_top_of_the_queue(console: Console, journey_for) -> None:
    # Given a review case whose 1 s window passed with no votes: escalated to ops
    journey = journey_for("review")
    journey.set_policy(panel_size=3, votes_to_win=2, vote_window_seconds=1, substitute_rounds=0, min_votes=2)
    journey.enroll_pool(3)
    case_id = journey.report(f"review-{uuid.uuid4().hex[:8]}", "buyer-7", reason="fake_review")["case_id"]
    journey.wait_for_status(case_id, "escalated", deadline_s=30)
    page = console.page
    # When ops sign in and filter the queue to reviews
    console.sign_in("ops-console", "ops")
    expect(page.get_by_role("heading", level=1, name="Queue")).to_be_visible()
    page.get_by_label("Module").select_option("review")
    first = page.get_by_role("table").locator("tbody tr").first
    # Then the escalated case is the first row, with a deadline that counts down live
    expect(first.get_by_role("link", name=case_id, exact=True)).to_be_visible()
    expect(first).to_contain_text("escalated")
    countdown = first.locator("time.countdown")
    before = countdown.inner_text()
    assert re.fullmatch(r"29 d 23 h \d+ min \d+ s left", before), before
    expect(countdown).not_to_have_text(before, timeout=3000)
    console.shoot("queue")
    # When they open it
    first.get_by_role("link", name=case_id, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case_id}")
    # Then they read its whole history, one item per event
    timeline = page.get_by_role("list", name="Timeline")
    expect(event(timeline, "round opened")).to_have_count(1)
    expect(event(timeline, "escalated")).to_have_count(1)
    expect(page.locator("#case-status")).to_contain_text("escalated")
    expect(page.get_by_role("table").first).to_contain_text("expired")
    expect(page.locator(".content-text").first).to_contain_text(PHONE_NUMBER)  # ops read the content unmasked
    console.shoot("case")
    # And they can read it as the panel does: masked
    page.get_by_role("button", name="Show what reviewers see").click()
    seen = page.get_by_role("region", name="Reviewers' view")
    expect(seen).to_contain_text("Cheap phones")
    assert PHONE_NUMBER not in seen.inner_text() and "deals@example.com" not in seen.inner_text()
    # When they type a note and resolve
    page.get_by_label("Note").fill("Checked by hand: the review is genuine.")
    page.get_by_role("button", name="Resolve: no violation").click()
    # Then the status reads "decided" without a reload, and the API agrees
    expect(page.locator("#case-status")).to_contain_text("decided", timeout=30_000)
    expect(event(timeline, "decided")).to_have_count(1)
    case = journey.case(case_id)
    assert (case["status"], case["decision"]) == ("decided", "no_violation")
    assert case["resolution"]["note"] == "Checked by hand: the review is genuine."
    assert case["resolution"]["by"] == "ops-console"
    console.shoot("case-decided")


def test_b_an_invited_reviewer_reads_the_masked_case_and_votes(console: Console, journey_for) -> None:
    # Given a listing case whose content carries a phone number, on a panel of three
    journey = journey_for("listing")
    journey.set_policy(panel_size=3, votes_to_win=2, vote_window_seconds=600, substitute_rounds=0, min_votes=2)
    journey.enroll_pool(3)
    report = journey.report(f"listing-{uuid.uuid4().hex[:8]}", "buyer-8", owner="seller-8",
                            text=f"Genuine bags, call {PHONE_NUMBER} or mail deals@example.com")
    case_id = report["case_id"]
    reviewer = journey.seats(case_id, 1, 3)[0]
    page = console.page
    # When the reviewer signs in
    console.sign_in(reviewer, "user")
    expect(page.get_by_role("heading", level=1, name="My tasks")).to_be_visible()
    task = page.get_by_role("link", name=re.compile(re.escape(case_id)))
    expect(task).to_be_visible()
    expect(page.get_by_role("list", name="Open tasks")).to_contain_text("listing")
    console.shoot("tasks")
    task.click()
    # Then the case is masked: no phone number, no party ids
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case_id}")
    expect(page.locator(".content-text")).to_contain_text("Genuine bags")
    shown = page.locator("main").inner_text()
    for secret in (PHONE_NUMBER, "deals@example.com", "seller-8", "buyer-8", journey.module_auth["Authorization"]):
        assert secret not in shown
    console.shoot("review-case")
    # When they vote, the page confirms; the task leaves "My tasks"
    page.get_by_role("button", name="Vote: violation").click()
    expect(page.get_by_role("status").filter(has_text="Vote recorded")).to_be_visible()
    console.shoot("review-case-voted")
    page.get_by_role("link", name="Back to My tasks").click()
    expect(page.get_by_role("heading", level=1, name="My tasks")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(re.escape(case_id)))).to_have_count(0)
    seat = next(s for s in journey.case(case_id)["panel"] if s["reviewer_id"] == reviewer)
    assert (seat["status"], seat["verdict"]) == ("voted", "violation")


def test_c_an_invalid_policy_shows_the_field_error_and_saves_nothing(console: Console, journey_for) -> None:
    journey = journey_for("comment")
    before = journey.set_policy(panel_size=3, votes_to_win=2, vote_window_seconds=600, substitute_rounds=0, min_votes=2)
    page = console.page
    console.sign_in("ops-policies", "ops")
    console.go("Policies")
    form = page.get_by_role("form", name="comment")
    expect(form.get_by_label("votes_to_win")).to_have_value("2")
    # When ops ask for 1 vote to win on 3 seats, and a window that is not a number
    form.get_by_label("votes_to_win").fill("1")
    form.get_by_label("vote_window_seconds").fill("soon")
    form.get_by_role("button", name="Save").click()
    # Then the API's error stands beside its field
    alert = form.locator("#policy-comment-vote_window_seconds-error")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("integer")
    expect(form.get_by_label("vote_window_seconds")).to_have_attribute("aria-invalid", "true")
    console.shoot("policies-invalid")
    # When the window is fixed, the rule about votes_to_win is next, beside its own field
    form.get_by_label("vote_window_seconds").fill("600")
    form.get_by_role("button", name="Save").click()
    expect(form.locator("#policy-comment-votes_to_win-error")).to_contain_text("more than half of panel_size")
    # And nothing was saved
    policies = requests.get(journey.url("/v1/policies"), headers=journey.ops, timeout=10).json()["policies"]
    comment = next(p for p in policies if p["module"] == "comment")
    assert (comment["version"], comment["votes_to_win"]) == (before["version"], 2)
    console.shoot("policies")


def test_c_ops_save_a_decimal_region_share_and_the_balance_mode_is_kept(console: Console, journey_for) -> None:
    journey = journey_for("review")
    before = journey.set_policy(panel_size=5, votes_to_win=3, vote_window_seconds=600, substitute_rounds=0, min_votes=3,
                                max_region_share=0.6, balance="strict")
    page = console.page
    console.sign_in("ops-policies", "ops")
    console.go("Policies")
    form = page.get_by_role("form", name="review")
    expect(form.get_by_label("max_region_share")).to_have_value("0.6")
    expect(form.get_by_label("balance")).to_have_value("strict")
    # When ops lower the share to 0.4 and save
    form.get_by_label("max_region_share").fill("0.4")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text(f"Saved version {before['version'] + 1}.")).to_be_visible()
    # Then the next version holds the decimal share, and the balance mode the form showed is kept
    policies = requests.get(journey.url("/v1/policies"), headers=journey.ops, timeout=10).json()["policies"]
    review = next(p for p in policies if p["module"] == "review")
    assert (review["max_region_share"], review["balance"], review["votes_to_win"]) == (0.4, "strict", 3)


def test_d_ops_suspend_a_reviewer_with_a_reason_and_lift_it(console: Console, journey_for) -> None:
    journey = journey_for("post")
    reviewer = journey.enroll_pool(1)[0]
    page = console.page
    console.sign_in("ops-reviewers", "ops")
    console.go("Reviewers")
    page.get_by_label("Reviewer id").fill(reviewer)
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#reviewer-status")).to_contain_text("active")
    # When ops suspend without a reason, the refusal stands beside the Reason box
    page.get_by_role("button", name="Suspend").click()
    expect(page.locator("#status-reason-error")).to_be_visible()
    # When they give one
    page.get_by_label("Reason").fill("Three no-shows this week")
    page.get_by_role("button", name="Suspend").click()
    expect(page.locator("#reviewer-status")).to_contain_text("suspended")
    seen = requests.get(journey.url(f"/v1/reviewers/{reviewer}"), headers=journey.ops, timeout=10).json()
    assert seen["status"] == "suspended" and seen["status_note"]["reason"] == "Three no-shows this week"
    console.shoot("reviewers")
    page.get_by_label("Reason").fill("Explained: the app lost the invitations")
    page.get_by_role("button", name="Lift suspension").click()
    expect(page.locator("#reviewer-status")).to_contain_text("active")
    seen = requests.get(journey.url(f"/v1/reviewers/{reviewer}"), headers=journey.ops, timeout=10).json()
    assert seen["status"] == "active"


def test_e_a_reviewer_redeems_and_a_second_redemption_is_refused_in_words(console: Console, journey_for) -> None:
    # Given a reviewer whose one vote decided a chat case (points per vote + consensus bonus)
    journey = journey_for("chat")
    journey.set_policy(panel_size=1, votes_to_win=1, vote_window_seconds=600, substitute_rounds=0, min_votes=1)
    journey.enroll_pool(1)
    case_id = journey.report(f"chat-{uuid.uuid4().hex[:8]}", "chatter-9", reason="harassment")["case_id"]
    reviewer = journey.seats(case_id, 1, 1)[0]
    assert journey.vote(case_id, reviewer, "violation").status_code == 201
    balance = poll(lambda: journey.rewards(reviewer)["balance"], what="the reviewer's points")
    tag = uuid.uuid4().hex[:6]
    items = {"mug": f"Juror mug {tag}", "pin": f"Juror pin {tag}", "cap": f"Juror cap {tag}"}
    for key, stock in (("mug", 3), ("pin", 3), ("cap", 0)):
        body = {"name": items[key], "cost_points": balance, "stock": stock}
        assert requests.put(journey.url(f"/v1/mall/items/{key}-{tag}"), json=body, headers=journey.ops, timeout=10).ok
    page = console.page
    console.sign_in(reviewer, "user")
    console.go("Rewards")
    expect(page.locator("#balance")).to_contain_text(f"{balance} points")
    mall = page.get_by_role("list", name="Mall items")
    # When they redeem the mug, the balance is spent
    mall.get_by_role("listitem", name=items["mug"]).get_by_role("button", name="Redeem").click()
    expect(page.get_by_role("status").filter(has_text=f"Redeemed 1 × {items['mug']}")).to_be_visible()
    expect(page.locator("#balance")).to_contain_text("0 points")
    # Then the pin is beyond the balance, and the cap is out of stock: both refused in words
    pin = mall.get_by_role("listitem", name=items["pin"])
    pin.get_by_role("button", name="Redeem").click()
    expect(pin.get_by_role("alert")).to_contain_text("Not enough points")
    expect(pin.get_by_role("alert")).to_contain_text(f"costs {balance} points")
    cap = mall.get_by_role("listitem", name=items["cap"])
    cap.get_by_role("button", name="Redeem").click()
    expect(cap.get_by_role("alert")).to_contain_text("Out of stock")
    assert journey.rewards(reviewer)["balance"] == 0
    console.shoot("my-rewards")


def test_f_every_page_asks_only_the_api_host_and_works_by_keyboard(console: Console, local_cloud: LocalCloudProcess) -> None:
    page = console.page
    console.open()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    expect(page.get_by_label("Bearer token")).to_be_visible()
    console.shoot("signin")
    # Sign in with the keyboard only: focus moves field to field, Enter submits
    page.get_by_label("User id").focus()
    page.keyboard.type("ops-tour")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Role")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("form", name="Local sign-in").get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Queue")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Queue")).to_be_focused()
    for link in ("Reviewers", "Policies", "Rewards", "Releases"):
        console.go(link)
    expect(page.get_by_role("table").first).to_contain_text("quorum-local-console")
    console.shoot("releases")
    console.go("Rewards")
    console.shoot("rewards")
    console.go("Queue")
    # Every control has a name a screen reader can say
    unnamed = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
        .map((el) => el.outerHTML)""")
    assert unnamed == []
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    assert page.evaluate("() => sessionStorage.length") == 0
    # The page's own policy forbids other hosts, and it asked none
    served = requests.get(f"{local_cloud.api_url}/console/", timeout=10)
    assert "connect-src 'self'" in served.headers["content-security-policy"]
    assert console.watch.requests and not console.watch.other_hosts()


def test_g_ops_see_where_new_cases_go_and_how_many_cases_each_machine_version_runs(console: Console,
                                                                                    journey_for) -> None:
    # Given an open case (its execution waits for votes, on the version the voting machine's alias drew)
    journey = journey_for("listing")
    journey.set_policy(panel_size=3, votes_to_win=2, vote_window_seconds=3600, substitute_rounds=0, min_votes=2)
    journey.enroll_pool(3)
    journey.report(f"listing-{uuid.uuid4().hex[:8]}", "buyer-rel")
    page = console.page
    # When ops open the Releases page
    console.sign_in("ops-releases", "ops")
    console.go("Releases")
    machines = page.get_by_role("region", name="Voting state machine")
    # Then the voting machine's row says version 1 takes every new case and runs at least that case
    row = machines.get_by_role("row").filter(has_text="quorum-local-voting")
    expect(row).to_have_count(1)
    cells = row.get_by_role("cell")
    expect(cells.nth(0)).to_have_text("1")
    expect(cells.nth(1)).to_have_text("100 %")
    assert int(cells.nth(2).inner_text()) >= 1  # other journeys' cases share this cloud
    expect(machines.get_by_role("columnheader")).to_have_text(
        ["State machine", "Version", "Share of new cases", "Running cases"])
    console.shoot("releases-voting")
