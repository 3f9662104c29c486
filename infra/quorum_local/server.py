"""The whole platform on one machine: moto's server, the stack from template.yaml, the gateway."""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from quorum_local import moto_patches, runtime
from quorum_local.gateway import Gateway
from quorum_local.provision import Progress, Provisioner
from quorum_local.state import Autosave, SavedState
from quorum_local.template import Template

HOST = "127.0.0.1"
REGION = "us-east-1"
LOCAL_OVERRIDES = {"TracingMode": "PassThrough"}


def free_port() -> int:
    """A loopback port nothing listens on now (for tests and benches that run their own cloud)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Settings:
    """Ports and secret of the local cloud, from QUORUM_API_PORT, QUORUM_AWS_PORT, QUORUM_JWT_SECRET."""

    api_port: int = 3000
    aws_port: int = 4566
    jwt_secret: str = "local-dev-secret"

    @classmethod
    def from_environ(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(api_port=int(env.get("QUORUM_API_PORT", 3000)), aws_port=int(env.get("QUORUM_AWS_PORT", 4566)),
                   jwt_secret=env.get("QUORUM_JWT_SECRET", "local-dev-secret"))

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.api_port}"

    @property
    def aws_url(self) -> str:
        return f"http://{HOST}:{self.aws_port}"


@dataclass
class LocalCloud:
    """Start and stop moto, the provisioned stack and the gateway, in this process."""

    settings: Settings
    progress: Progress = print
    state_dir: Path | None = None  # None: the data lives in memory and ends with the process
    template: Template = field(init=False)
    restored: dict[str, int] = field(default_factory=dict, init=False)  # items loaded from state_dir, by table
    _moto: Any = field(default=None, init=False)
    _gateway: Gateway | None = field(default=None, init=False)
    _autosave: Autosave | None = field(default=None, init=False)

    def start(self) -> None:
        self._point_sdk_at_moto()
        self._start_moto()
        self.template = Template.load("local", overrides=LOCAL_OVERRIDES)
        Provisioner(self.template, endpoint_url=self.settings.aws_url, progress=self.progress).provision_all()
        runtime.install(self.template)
        if self.state_dir is not None:
            self._restore(SavedState(self.state_dir))
        self._gateway = Gateway(self.template, self.client("lambda"), self.settings.jwt_secret)
        self._gateway.start(HOST, self.settings.api_port)

    def stop(self) -> None:
        if self._gateway:
            self._gateway.stop()
        if self._autosave:
            saved = self._autosave.stop()
            self.progress(f"saved {saved} items to {self.state_dir}")
        if self._moto:
            self._moto.stop()
        runtime.uninstall()
        moto_patches.revert()

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=self.settings.aws_url)

    def _restore(self, state: SavedState) -> None:
        """Put the saved items back, restart the executions of open cases, and save from now on."""
        dynamodb = self.client("dynamodb")
        self.restored = state.load(dynamodb)
        if self.restored:
            self.progress(f"restored {sum(self.restored.values())} items from {state.file}")
            self._resume_open_cases()
        self._autosave = Autosave(state, dynamodb)
        self._autosave.start()

    def _resume_open_cases(self) -> None:
        # No execution survives a restart: the stuck-case sweep starts one for each open case, which resumes
        # where its case stands (quorum_report.service.sweeper), as it would after a lost execution in AWS.
        worker = self.template.properties("ReportWorkerFunction")["FunctionName"]
        task = {"action": "sweep_stuck_cases", "stale_after_seconds": 0, "limit": 1000}
        answer = self.client("lambda").invoke(FunctionName=worker, Qualifier="live", Payload=json.dumps(task).encode())
        restarted = json.loads(answer["Payload"].read() or b"{}").get("restarted", [])
        self.progress(f"restarted the voting of {len(restarted)} open cases")

    def _point_sdk_at_moto(self) -> None:
        # Handlers and moto's Step Functions integrations both reach moto through these.
        os.environ.update({
            "AWS_ENDPOINT_URL": self.settings.aws_url, "MOTO_PORT": str(self.settings.aws_port),
            "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",  # never real credentials
        })

    def _start_moto(self) -> None:
        from moto.core.config import default_user_config
        from moto.server import ThreadedMotoServer

        default_user_config["stepfunctions"] = {"execute_state_machine": True}
        moto_patches.apply()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per AWS call is noise
        self._moto = ThreadedMotoServer(ip_address=HOST, port=self.settings.aws_port, verbose=False)
        self._moto.start()
