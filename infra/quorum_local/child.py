"""`quorum-local run --no-seed` as a child process on free ports: how the end-to-end tests and
`bench/load.py` start their own local cloud, and wait until it answers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

RUN = [sys.executable, "-m", "quorum_local.cli", "run", "--no-seed"]


def child_environment(api_port: int, aws_port: int, secret: str,
                      extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment with the child's ports and token secret (and `extra`)."""
    env = {**os.environ, "QUORUM_API_PORT": str(api_port), "QUORUM_AWS_PORT": str(aws_port),
           "QUORUM_JWT_SECRET": secret, **(extra or {})}
    env.pop("AWS_ENDPOINT_URL", None)  # the child serves its own moto
    return env


def wait_until_healthy(process: subprocess.Popen[Any], api_url: str, seconds: float = 120,
                       output: Callable[[], str] = lambda: "") -> None:
    """Return once GET /v1/health answers 200; raise if the child exits first (with `output()`) or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the local cloud exited early:\n{output()}")
        try:
            if requests.get(f"{api_url}/v1/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the local cloud did not become healthy in {seconds:g} s")
