"""`quorum-local publish FUNCTION|voting`: publish a new version into the running local cloud.

A function's new version is its code as it is on disk now (and the common layer's), copied to a
snapshot so later edits do not change it; `live` does not move (that is `quorum-release`'s job).
The state machine's new version is its ASL file with each worker substitution set to that
worker's latest published *version*, as `sam deploy` would pin it.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

from quorum_local.template import ROOT, Template
from quorum_local.versions import snapshot_zip

SNAPSHOTS = Path(tempfile.gettempdir()) / "quorum-local-versions"
MACHINE = "voting"


def full_name(template: Template, name: str) -> str:
    prefix = f"quorum-{template.parameters['Env']}-"
    return prefix + name.removeprefix(prefix)


def publish_function(template: Template, lam: Any, name: str, root: Path = ROOT) -> str:
    """Publish `name`'s code from `root` as a new version; returns the version number."""
    function = full_name(template, name)
    lid = next((lid for lid in template.of_type("AWS::Serverless::Function")
                if template.properties(lid)["FunctionName"] == function), None)
    if lid is None:
        raise LookupError(f"no function {function} in template.yaml")
    sources = [template.properties(layer)["ContentUri"] for layer in template.of_type("AWS::Serverless::LayerVersion")]
    sources.append(template.properties(lid)["CodeUri"])
    roots = _snapshot(root, sources, SNAPSHOTS / function / uuid.uuid4().hex)
    lam.update_function_code(FunctionName=function, ZipFile=snapshot_zip(roots))
    return str(lam.publish_version(FunctionName=function)["Version"])


def publish_machine(template: Template, sfn: Any, lam: Any, root: Path = ROOT) -> tuple[str, dict[str, str]]:
    """Publish the voting machine from `root`'s ASL file; returns its version and the worker versions it names."""
    lid = next(iter(template.of_type("AWS::Serverless::StateMachine")))
    raw = template.resources[lid]["Properties"]
    definition = (root / raw["DefinitionUri"]).read_text()
    pins = {}
    for key, value in raw["DefinitionSubstitutions"].items():
        worker = value["Ref"].split(".")[0]
        pins[key] = f"{template.get_att(worker, 'Arn')}:{latest_version(lam, template.physical_name(worker))}"
        definition = definition.replace("${" + key + "}", pins[key])
    published = sfn.update_state_machine(stateMachineArn=template.ref(lid), definition=definition, publish=True)
    return published["stateMachineVersionArn"].rsplit(":", 1)[1], pins


def latest_version(lam: Any, function: str) -> int:
    pages = lam.get_paginator("list_versions_by_function").paginate(FunctionName=function)
    return max(int(v["Version"]) for page in pages for v in page["Versions"] if v["Version"] != "$LATEST")


def _snapshot(root: Path, sources: list[str], dest: Path) -> list[str]:
    roots = []
    for source in sources:
        target = dest / source
        shutil.copytree(root / source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        roots.append(str(target))
    return roots
