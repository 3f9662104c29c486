"""Fixtures of the reviewer integration tests: the reviewer table on moto.

`reviewer_table` creates the template's reviewer table (nothing else: fast) and sets
the functions' environment, so the real handlers and adapters run against moto in-process.
The shared `aws` fixture makes each moto DynamoDB request atomic (as each DynamoDB request is),
so concurrent draws on threads race between requests exactly as they would in AWS.
"""

from __future__ import annotations

import boto3
import pytest

from quorum_common.dynamo import Table
from quorum_local import runtime
from quorum_local.template import Template
from quorum_reviewer.adapters import dynamo_ports
from quorum_reviewer.service.ports import ReviewerPorts


@pytest.fixture
def reviewer_table(aws: None, monkeypatch: pytest.MonkeyPatch) -> str:
    template = Template.load("local", overrides={"TracingMode": "PassThrough"})
    props = template.properties("ReviewerTable")
    keys = ("TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "GlobalSecondaryIndexes")
    boto3.client("dynamodb").create_table(**{k: props[k] for k in keys})
    for name, value in runtime.function_environment(template).items():
        monkeypatch.setenv(name, value)
    return props["TableName"]


@pytest.fixture
def ports(reviewer_table: str) -> ReviewerPorts:
    return dynamo_ports(Table(reviewer_table))
