"""`quorum-local run` stops cleanly on Ctrl-C and frees its ports; the token CLI mints usable tokens."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import requests

from quorum_local import tokens
from quorum_local.server import free_port
from quorum_local.template import ROOT, Template


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_ctrl_c_stops_everything_and_frees_the_ports() -> None:
    api_port, aws_port = free_port(), free_port()
    env = {**os.environ, "QUORUM_API_PORT": str(api_port), "QUORUM_AWS_PORT": str(aws_port)}
    process = subprocess.Popen([sys.executable, "-m", "quorum_local.cli", "run", "--no-seed"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{api_port}/v1/health", timeout=2).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Quorum local cloud is up." in output and "Stopped." in output
    assert _port_is_free(api_port) and _port_is_free(aws_port)


def test_token_command_mints_a_token_the_gateway_accepts() -> None:
    result = subprocess.run([sys.executable, "-m", "quorum_local.cli", "token", "--sub", "u-7", "--groups", "user,ops"],
                            cwd=ROOT, capture_output=True, text=True, check=True,
                            env={**os.environ, "QUORUM_JWT_SECRET": "a-secret-only-this-test-knows-0123"})
    params = Template.load("local").parameters
    claims = tokens.verify(result.stdout.strip(), "a-secret-only-this-test-knows-0123",
                           issuer=params["JwtIssuer"], audience=params["JwtAudience"])
    assert claims["sub"] == "u-7" and claims["groups"] == ["user", "ops"]


def test_token_command_mints_a_module_token_that_names_its_module() -> None:
    result = subprocess.run([sys.executable, "-m", "quorum_local.cli", "token", "--sub", "listing-svc", "--groups",
                             "module", "--module", "listing"], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={**os.environ, "QUORUM_JWT_SECRET": "a-secret-only-this-test-knows-0123"})
    params = Template.load("local").parameters
    claims = tokens.verify(result.stdout.strip(), "a-secret-only-this-test-knows-0123",
                           issuer=params["JwtIssuer"], audience=params["JwtAudience"])
    assert (claims["groups"], claims["quorum_module"]) == (["module"], "listing")


def test_token_command_refuses_a_module_token_without_its_module() -> None:
    result = subprocess.run([sys.executable, "-m", "quorum_local.cli", "token", "--sub", "m-1", "--groups", "module"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "--module" in result.stderr and result.stdout == ""


def test_token_command_refuses_unknown_groups() -> None:
    result = subprocess.run([sys.executable, "-m", "quorum_local.cli", "token", "--sub", "u-7", "--groups", "admin"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "--groups" in result.stderr and result.stdout == ""
