"""Fixtures of the end-to-end tests (the session's local cloud lives in e2e_cloud.py, the browser in console_browser.py)."""

from console_browser import browser, console  # noqa: F401  (fixtures)
from e2e_cloud import local_cloud  # noqa: F401  (fixture)
