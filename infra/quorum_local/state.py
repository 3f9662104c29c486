"""The local cloud's data across a restart: every DynamoDB table's items, saved to a directory and loaded back.

`quorum-local run --state DIR` provisions the stack from template.yaml as always, then puts back the
items saved in DIR; it saves them again every `SAVE_EVERY_SECONDS` and when it stops. Only data is
saved, never the stack: the template stays the one description of the resources. Every record of
Quorum (cases, votes, reviewers, the ledger, the mall, policies, rules, the release log, idempotency
keys) is a DynamoDB item. What is not an item does not survive: a running Step Functions execution,
an SNS message in flight, a Lambda version or alias weight other than the template's.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
SAVE_EVERY_SECONDS = 30
FILE_NAME = "dynamodb.json"
FORMAT = 1
BATCH = 25  # BatchWriteItem's limit


@dataclass(frozen=True)
class SavedState:
    """The items of every table, in DynamoDB's JSON, in one file under `directory`."""

    directory: Path

    @property
    def file(self) -> Path:
        return self.directory / FILE_NAME

    def save(self, dynamodb: Any) -> int:
        """Write every table's items; the file is replaced whole, so a crash mid-save keeps the last one."""
        tables = {name: list(_items(dynamodb, name)) for name in _table_names(dynamodb)}
        document = {"format": FORMAT, "saved_at": datetime.now(UTC).isoformat(), "tables": tables}
        self.directory.mkdir(parents=True, exist_ok=True)
        partial = self.file.with_suffix(".partial")
        partial.write_text(json.dumps(document, default=_encode))
        os.replace(partial, self.file)
        return sum(len(items) for items in tables.values())

    def load(self, dynamodb: Any) -> dict[str, int]:
        """Put the saved items back into the tables that exist now; items loaded by table (empty: nothing saved)."""
        if not self.file.exists():
            return {}
        document = json.loads(self.file.read_text(), object_hook=_decode)
        if document.get("format") != FORMAT:
            raise ValueError(f"{self.file} is not a state this version can read (format {document.get('format')})")
        existing, loaded = set(_table_names(dynamodb)), {}
        for name, items in document["tables"].items():
            if name not in existing:
                log.warning("the saved table %s is no longer in the template; its items stay in the file", name)
                continue
            for start in range(0, len(items), BATCH):
                _write(dynamodb, name, items[start:start + BATCH])
            loaded[name] = len(items)
        return loaded


@dataclass
class Autosave:
    """Saves `state` every `every` seconds on a daemon thread, and once more on `stop`."""

    state: SavedState
    dynamodb: Any
    every: float = SAVE_EVERY_SECONDS
    _stopped: threading.Event = field(default_factory=threading.Event, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="quorum-state-autosave", daemon=True)
        self._thread.start()

    def stop(self) -> int:
        """Stop the timer and save now; the number of items saved."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()
        return self.state.save(self.dynamodb)

    def _run(self) -> None:
        while not self._stopped.wait(self.every):
            try:
                self.state.save(self.dynamodb)
            except Exception:
                log.exception("saving the local cloud's state failed")


def _table_names(dynamodb: Any) -> list[str]:
    return [name for page in dynamodb.get_paginator("list_tables").paginate() for name in page["TableNames"]]


def _items(dynamodb: Any, table: str) -> Iterator[dict[str, Any]]:
    for page in dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        yield from page["Items"]


def _write(dynamodb: Any, table: str, items: list[dict[str, Any]]) -> None:
    requests = [{"PutRequest": {"Item": item}} for item in items]
    while requests:  # moto applies a batch whole; the loop is for what a real endpoint leaves unprocessed
        unprocessed = dynamodb.batch_write_item(RequestItems={table: requests}).get("UnprocessedItems", {})
        requests = unprocessed.get(table, [])


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):  # a binary attribute (B, BS): JSON has no bytes
        return {"__bytes__": base64.b64encode(value).decode()}
    raise TypeError(f"cannot save {type(value).__name__}")


def _decode(obj: dict[str, Any]) -> Any:
    if set(obj) == {"__bytes__"} and isinstance(obj["__bytes__"], str):
        return base64.b64decode(obj["__bytes__"])
    return obj
