"""Published versions coexist locally: each snapshot runs its own modules in its own process."""

from __future__ import annotations

import json
from pathlib import Path

from quorum_local.provision import source_zip
from quorum_local.versions import VersionHost, snapshot_roots, snapshot_zip
from quorum_ops.bake import parse_duration

CONTEXT = {"function_name": "f", "function_version": "2", "invoked_function_arn": "arn:f:2",
           "memory_limit_in_mb": 128, "timeout_seconds": 3}


def _version(root: Path, answer: str) -> tuple[str, ...]:
    (root / "rehearsal_mod").mkdir(parents=True)
    (root / "rehearsal_mod" / "__init__.py").write_text(
        f"def handler(event, context):\n    print('a log line')\n    return {{'answer': {answer!r}, "
        "'version': context.function_version, **event}\n")
    return (str(root),)


def test_a_snapshot_zip_names_its_roots_and_a_working_tree_zip_names_none() -> None:
    assert snapshot_roots(snapshot_zip(["/s/layers/common", "/s/functions/report"])) == (
        "/s/layers/common", "/s/functions/report")
    assert snapshot_roots(source_zip("functions/report/")) is None


def test_two_versions_of_one_module_answer_side_by_side(tmp_path: Path) -> None:
    one, two = VersionHost(_version(tmp_path / "v1", "one")), VersionHost(_version(tmp_path / "v2", "two"))
    try:
        answers = [json.loads(h.invoke("rehearsal_mod.handler", {"n": 1}, CONTEXT)[0]) for h in (one, two, one)]
    finally:
        one.stop()
        two.stop()
    assert [a["answer"] for a in answers] == ["one", "two", "one"]
    assert answers[0] == {"answer": "one", "version": "2", "n": 1}  # the handler's print did not garble it


def test_a_failing_handler_is_the_invokes_error(tmp_path: Path) -> None:
    host = VersionHost(_version(tmp_path / "v1", "one"))
    try:
        payload, failed, _ = host.invoke("rehearsal_mod.missing", {}, CONTEXT)
    finally:
        host.stop()
    assert failed and json.loads(payload)["errorType"] == "AttributeError"


def test_bake_durations() -> None:
    assert [parse_duration(d) for d in ("90", "90s", "10m", "1h")] == [90, 90, 600, 3600]
