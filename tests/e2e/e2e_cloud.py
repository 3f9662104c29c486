"""The local cloud as a user starts it (`quorum-local run`), on free ports: helpers of the e2e tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

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
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def token(self, sub: str, *groups: str, ttl: int = 3600) -> str:
        return mint_local_token(sub, list(groups), ttl=ttl, secret=SECRET)

    def headers(self, sub: str, *groups: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(sub, *groups)}"}

    def client(self, service: str, config: Config | None = None) -> Any:
        return boto3.client(service, endpoint_url=self.aws_url, region_name="us-east-1", config=config,
                            aws_access_key_id="local", aws_secret_access_key="local")


def _wait_until_healthy(cloud: LocalCloudProcess) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if cloud.process.poll() is not None:
            cloud.log.seek(0)
            raise RuntimeError(f"the local cloud exited early:\n{cloud.log.read().decode(errors='replace')}")
        try:
            if requests.get(f"{cloud.api_url}/v1/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise TimeoutError("the local cloud did not become healthy in time")


@contextmanager
def running_local_cloud() -> Iterator[LocalCloudProcess]:
    """`quorum-local run --no-seed` on free ports, healthy, stopped on exit. Its log goes to a temporary
    file (a pipe nobody reads would fill up and stall the server under many requests)."""
    api_port, aws_port = free_port(), free_port()
    env = {**os.environ, "QUORUM_API_PORT": str(api_port), "QUORUM_AWS_PORT": str(aws_port),
           "QUORUM_JWT_SECRET": SECRET}
    env.pop("AWS_ENDPOINT_URL", None)
    with tempfile.TemporaryFile(prefix="quorum-local-") as log:
        process = subprocess.Popen([sys.executable, "-m", "quorum_local.cli", "run", "--no-seed"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        cloud = LocalCloudProcess(f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{aws_port}", process, log)
        try:
            _wait_until_healthy(cloud)
            yield cloud
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def local_cloud() -> Iterator[LocalCloudProcess]:
    with running_local_cloud() as cloud:
        yield cloud
