"""Fixtures for template tests: the raw template and its offline SAM transform."""

from __future__ import annotations

import copy
import os
from typing import Any

import pytest
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

from quorum_local.template import TEMPLATE_PATH

CODE_PROPERTIES = ("CodeUri", "ContentUri", "DefinitionUri")


class _NoManagedPolicies:
    def load(self) -> dict[str, str]:
        return {}


def sam_transform(raw: dict[str, Any], parameters: dict[str, str] | None = None) -> dict[str, Any]:
    """Transform offline, as `sam package` + CloudFormation would: local paths become s3:// URIs."""
    tpl = copy.deepcopy(raw)
    for logical_id, resource in tpl["Resources"].items():
        props = resource.get("Properties", {})
        for key in CODE_PROPERTIES:
            if isinstance(props.get(key), str):
                props[key] = f"s3://quorum-artifacts/{logical_id}.zip"
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return transform(tpl, parameters or {}, _NoManagedPolicies())


@pytest.fixture(scope="session")
def raw_template() -> dict[str, Any]:
    return yaml_parse(TEMPLATE_PATH.read_text())


@pytest.fixture(scope="session")
def transformed(raw_template: dict[str, Any]) -> dict[str, Any]:
    return sam_transform(raw_template, {"Env": "dev"})


@pytest.fixture(scope="session")
def prod_transformed(raw_template: dict[str, Any]) -> dict[str, Any]:
    """The transform of a canary environment (prod's release style)."""
    return sam_transform(raw_template, {"Env": "prod", "DeploymentType": "Canary10Percent10Minutes"})
