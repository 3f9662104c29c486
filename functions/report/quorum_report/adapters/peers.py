"""Another capability, reached through the common layer's Cloud Map RPC client."""

from __future__ import annotations

from typing import Any


class RpcPeer:
    """An adapter of a peer capability: the process's RPC client unless a test passes one."""

    def __init__(self, client: Any = None):
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            from quorum_common.rpc import default_client  # imported late: it pulls in discovery and boto3
            self._client = default_client()
        return self._client
