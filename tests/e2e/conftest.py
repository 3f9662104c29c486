"""Fixtures of the end-to-end tests (the session's local cloud lives in e2e_cloud.py)."""

from e2e_cloud import local_cloud  # noqa: F401  (fixture)
