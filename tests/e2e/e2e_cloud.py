"""The local cloud as a user starts it (`quorum-local run`), on free ports: helpers of the e2e tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config

from quorum_local.cli import mint_local_token
from quorum_local.server import free_port
from quorum_local.template import ROOT

STARTUP_DEADLINE_SECONDS = 120
SECRET = "e2e-secret-for-the-local-gateway"


@dataclass
class LocalCloudProcess:
    api_url: str
    aws_url: str
    process: subprocess.Popen[str]

    def token(self, sub: str, *groups: str, ttl: int = 3600, module: str | None = None) -> str:
        """A local token; a module token speaks for `module` (the listing module unless given)."""
        speaks_for = module or ("listing" if "module" in groups else None)
        return mint_local_token(sub, list(groups), ttl=ttl, secret=SECRET, module=speaks_for)

    def mint(self, sub: str, groups: list[str], *, module: str | None = None) -> str:
        """`token` in the shape of `quorum_local.journeys.Mint`."""
        return self.token(sub, *groups, module=module)

    def headers(self, sub: str, *groups: str, module: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(sub, *groups, module=module)}"}

    def client(self, service: str, config: Config | None = None) -> Any:
        return boto3.client(service, endpoint_url=self.aws_url, region_name="us-east-1", config=config,
                            aws_access_key_id="local", aws_secret_access_key="local")


def _wait_until_healthy(cloud: LocalCloudProcess) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if cloud.process.poll() is not None:
            raise RuntimeError(f"the local cloud exited early:\n{cloud.process.stdout.read()}")
        try:
            if requests.get(f"{cloud.api_url}/v1/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise TimeoutError("the local cloud did not become healthy in time")


@pytest.fixture(scope="session")
def local_cloud() -> Iterator[LocalCloudProcess]:
    api_port, aws_port = free_port(), free_port()
    env = {**os.environ, "QUORUM_API_PORT": str(api_port), "QUORUM_AWS_PORT": str(aws_port),
           "QUORUM_JWT_SECRET": SECRET}
    env.pop("AWS_ENDPOINT_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "quorum_local.cli", "run", "--no-seed"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    cloud = LocalCloudProcess(f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{aws_port}", process)
    try:
        _wait_until_healthy(cloud)
        yield cloud
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
