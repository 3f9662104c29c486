"""The local cloud as a user starts it (`quorum-local run`), on free ports: helpers of the e2e tests."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

import boto3
import pytest
from botocore.config import Config

from quorum_local.child import RUN, child_environment, wait_until_healthy
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
    output: IO[str] | None = None  # the cloud's stdout and stderr: a file, never an unread pipe that fills and blocks it

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


def _output(cloud: LocalCloudProcess) -> str:
    if cloud.output is None:
        return ""
    cloud.output.seek(0)
    return cloud.output.read()


def _wait_until_healthy(cloud: LocalCloudProcess) -> None:
    wait_until_healthy(cloud.process, cloud.api_url, STARTUP_DEADLINE_SECONDS, lambda: _output(cloud))


@contextmanager
def running_cloud(extra_env: dict[str, str] | None = None) -> Iterator[LocalCloudProcess]:
    """`quorum-local run --no-seed` on free ports (with `extra_env`), until the block ends. Its output goes
    to a temporary file, never to an unread pipe that fills and blocks it."""
    api_port, aws_port = free_port(), free_port()
    env = child_environment(api_port, aws_port, SECRET, extra_env)
    with tempfile.TemporaryFile(mode="w+") as sink:
        process = subprocess.Popen(RUN, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, text=True)
        cloud = LocalCloudProcess(f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{aws_port}", process, sink)
        try:
            _wait_until_healthy(cloud)
            yield cloud
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def local_cloud() -> Iterator[LocalCloudProcess]:
    with running_cloud() as cloud:
        yield cloud
