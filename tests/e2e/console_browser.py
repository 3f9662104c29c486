"""The console in a real browser: Playwright driving Debian's Chromium over the session's local cloud.

One browser per test session (each xdist worker is a session; the browser tests share one xdist
group, so one worker runs them all), a fresh context per test. Every page a test opens records
its console errors, uncaught exceptions and requests: a test fails on a script error, on any
request to a host other than the API's, and on a failed request that is not an API refusal.
Screenshots go to test-output/console/<name>-desktop.png and -mobile.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from e2e_cloud import LocalCloudProcess
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright

from quorum_local.template import ROOT

CHROMIUM = os.environ.get("QUORUM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SHOTS = ROOT / "test-output" / "console"
WAIT_MS = 15_000  # the longest any expectation waits, unless it says otherwise
API_REFUSAL = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():  # never a silent skip: the console's tests are part of the suite
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `apt-get install -y chromium` (as root), "
                    "or `make test`, which installs it when it can", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watch:
    """What a page did: console errors, uncaught exceptions, every request and every failed response."""

    api_host: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    refused_api_urls: set[str] = field(default_factory=set)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("response", self._response)

    def _response(self, response: Response) -> None:
        path = urlsplit(response.url).path
        if 400 <= response.status < 500 and (path.startswith("/v1/") or path.startswith("/local/")):
            self.refused_api_urls.add(response.url)
        elif response.status >= 400:
            self.errors.append(f"{response.status} for {response.url}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # The browser logs every 4xx it receives; an API refusal the page shows in words is not a page error.
        if API_REFUSAL.match(message.text) and message.location.get("url") in self.refused_api_urls:
            return
        self.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def other_hosts(self) -> set[str]:
        return {urlsplit(url).netloc for url in self.requests if not url.startswith(("data:", "blob:"))} - {self.api_host}


@dataclass
class Console:
    """One browser context on the console, with its page and its watch."""

    cloud: LocalCloudProcess
    page: Page
    watch: Watch

    def open(self, path: str = "/console/") -> None:
        self.page.goto(self.cloud.api_url + path)

    def sign_in(self, sub: str, role: str) -> None:
        """The local cloud's sign-in form: a user id, a role, "Sign in"."""
        self.open()
        form = self.page.get_by_role("form", name="Local sign-in")
        form.get_by_label("User id").fill(sub)
        form.get_by_label("Role").select_option(role)
        form.get_by_role("button", name="Sign in").click()
        self.page.get_by_role("button", name="Sign out").wait_for(timeout=WAIT_MS)

    def go(self, link: str, heading: str | None = None) -> None:
        self.page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()
        self.page.get_by_role("heading", level=1, name=heading or link).wait_for(timeout=WAIT_MS)

    def shoot(self, name: str) -> None:
        """A full-page screenshot at 1280x800 and at 390x844 (then back to the desktop size)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
        self.page.set_viewport_size(PHONE)
        self.page.wait_for_timeout(150)  # one frame of re-layout
        self.page.screenshot(path=str(SHOTS / f"{name}-mobile.png"), full_page=True)
        self.page.set_viewport_size(DESKTOP)


@pytest.fixture
def console(browser: Browser, local_cloud: LocalCloudProcess) -> Iterator[Console]:
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    watch = Watch(urlsplit(local_cloud.api_url).netloc)
    watch.attach(page)
    yield Console(local_cloud, page, watch)
    context.close()
    assert not watch.errors, f"the page had errors: {watch.errors}"
    assert not watch.other_hosts(), f"the page asked other hosts: {watch.other_hosts()}"
