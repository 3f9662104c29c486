"""Fixtures of the report capability's integration tests (defined in report_harness.py)."""

from report_harness import alerts, api, decisions, invitations, peers  # noqa: F401
