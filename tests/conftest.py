"""Fixtures shared by every test layer.

- `aws`: moto in this process (Step Functions execution on, `quorum_local.moto_patches` applied),
  fake credentials, no endpoint.
- `stack`: `aws` plus every resource of template.yaml provisioned, and the Lambda handlers
  running in-process behind moto's invoke path - the same provisioning as `make run`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from quorum_local import moto_patches, runtime
from quorum_local.provision import Provisioner
from quorum_local.template import Template

REGION = "us-east-1"
LOCAL_OVERRIDES = {"TracingMode": "PassThrough"}


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    moto_patches.apply()
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
            yield
    finally:
        moto_patches.revert()


@pytest.fixture
def stack(aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Template]:
    template = Template.load("local", overrides=LOCAL_OVERRIDES)
    Provisioner(template).provision_all()
    for name, value in runtime.function_environment(template).items():
        monkeypatch.setenv(name, value)
    runtime.install(template)
    yield template
    runtime.uninstall()
