"""Schema-driven fuzzing (issue 15 item 15): Schemathesis generates requests for every operation of the
OpenAPI document served at /v1/openapi.json and sends them to a live local cloud, once per role with a
valid token. A failure prints the request that reproduces it (docs/testing.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from e2e_cloud import LocalCloudProcess, running_cloud
from schemathesis import checks

from quorum_local.template import ROOT

DOCUMENT = json.loads((ROOT / "layers/common/quorum_common/openapi.json").read_text())
CHECKS = [checks.not_a_server_error, checks.response_schema_conformance, checks.content_type_conformance,
          checks.status_code_conformance]
MAX_EXAMPLES = 10  # per operation and role: 78 tests x 10 keeps the run near a minute on two workers
REQUEST_TIMEOUT_SECONDS = 10  # with MAX_EXAMPLES, the wall-clock bound of one test
CONFIG = schemathesis.Config.from_dict({
    "seed": 15,
    "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES, "database": "none"},
    # Explicit examples, then generated (valid and invalid) requests; the coverage phase costs minutes.
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
pytestmark = [pytest.mark.e2e, pytest.mark.fuzz]


@pytest.fixture(scope="module")
def fuzz_cloud() -> Iterator[LocalCloudProcess]:
    """A cloud of the fuzz run's own: the ops role rewrites policies and rules the other e2e tests rely on."""
    with running_cloud() as cloud:
        yield cloud


def fuzz_headers(cloud: LocalCloudProcess, role: str) -> dict[str, str]:
    """The one place the fuzz run's tokens are minted: a valid token of `role`."""
    return cloud.headers(f"fuzz-{role}", role)


def _fuzz(case: schemathesis.Case, cloud: LocalCloudProcess, role: str) -> None:
    case.call_and_validate(base_url=cloud.api_url, headers=fuzz_headers(cloud, role), checks=CHECKS,
                           timeout=REQUEST_TIMEOUT_SECONDS)


@schema.parametrize()
@pytest.mark.xdist_group("fuzz-user")
def test_fuzz_as_a_user(case: schemathesis.Case, fuzz_cloud: LocalCloudProcess) -> None:
    _fuzz(case, fuzz_cloud, "user")


@schema.parametrize()
@pytest.mark.xdist_group("fuzz-module")
def test_fuzz_as_a_module(case: schemathesis.Case, fuzz_cloud: LocalCloudProcess) -> None:
    _fuzz(case, fuzz_cloud, "module")


@schema.parametrize()
@pytest.mark.xdist_group("fuzz-ops")
def test_fuzz_as_ops(case: schemathesis.Case, fuzz_cloud: LocalCloudProcess) -> None:
    _fuzz(case, fuzz_cloud, "ops")
