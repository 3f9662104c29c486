"""Create every resource of template.yaml in moto, in dependency order.

Each `create_*` step reads its resources from the template; nothing here lists a table, topic or
function by name. IAM roles are the one thing SAM makes implicitly: locally a single execution
role stands in for them (moto does not enforce IAM).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import boto3

from quorum_local.template import ROOT, Template

EXECUTION_ROLE = "quorum-local-execution"
Progress = Callable[[str], None]


class Provisioner:
    """Provisions a `Template` through boto3 clients made by `session` (pointed at moto)."""

    def __init__(self, template: Template, session: boto3.Session | None = None,
                 endpoint_url: str | None = None, progress: Progress = lambda _msg: None):
        self.t = template
        self.session = session or boto3.Session(region_name=template.region)
        self.endpoint_url = endpoint_url
        self.progress = progress

    def client(self, service: str) -> Any:
        return self.session.client(service, region_name=self.t.region, endpoint_url=self.endpoint_url)

    def provision_all(self) -> None:
        """Everything, in an order where each resource finds what it refers to."""
        self.create_role()
        self.create_tables()
        self.create_topics()
        self.create_namespace()
        self.create_functions()
        self.create_state_machines()
        self.create_instances()
        self.create_alarms()
        self.create_schedules()

    # ------------------------------------------------------------------ IAM
    def create_role(self) -> str:
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                 "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com", "scheduler.amazonaws.com"]}}]}
        iam = self.client("iam")
        try:
            return iam.create_role(RoleName=EXECUTION_ROLE, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        except iam.exceptions.EntityAlreadyExistsException:
            return iam.get_role(RoleName=EXECUTION_ROLE)["Role"]["Arn"]

    @property
    def role_arn(self) -> str:
        return f"arn:aws:iam::{self.t.ref('AWS::AccountId')}:role/{EXECUTION_ROLE}"

    # ------------------------------------------------------------------ data
    def create_tables(self) -> None:
        ddb = self.client("dynamodb")
        for lid in self.t.of_type("AWS::DynamoDB::Table"):
            props = self.t.properties(lid)
            spec = {k: props[k] for k in ("TableName", "AttributeDefinitions", "KeySchema", "BillingMode")}
            if props.get("GlobalSecondaryIndexes"):
                spec["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
            ddb.create_table(**spec)
            self.progress(f"table      {spec['TableName']}")

    def create_topics(self) -> None:
        sns = self.client("sns")
        for lid in self.t.of_type("AWS::SNS::Topic"):
            arn = sns.create_topic(Name=self.t.physical_name(lid))["TopicArn"]
            self.progress(f"topic      {arn}")

    # ------------------------------------------------------------------ registry
    def create_namespace(self) -> None:
        sd = self.client("servicediscovery")
        for lid in self.t.of_type("AWS::ServiceDiscovery::HttpNamespace"):
            name = self.t.physical_name(lid)
            sd.create_http_namespace(Name=name, Description=self.t.properties(lid).get("Description", ""))
            ns_id = next(ns["Id"] for ns in sd.list_namespaces()["Namespaces"] if ns["Name"] == name)
            self.t.generated_ids[lid] = ns_id
            self.progress(f"namespace  {name}")
        for lid in self.t.of_type("AWS::ServiceDiscovery::Service"):
            props = self.t.properties(lid)
            svc = sd.create_service(Name=props["Name"], NamespaceId=props["NamespaceId"], Type=props.get("Type", "HTTP"))
            self.t.generated_ids[lid] = svc["Service"]["Id"]

    def create_instances(self) -> None:
        sd = self.client("servicediscovery")
        for lid in self.t.of_type("AWS::ServiceDiscovery::Instance"):
            props = self.t.properties(lid)
            sd.register_instance(ServiceId=props["ServiceId"], InstanceId=props["InstanceId"],
                                 Attributes={k: str(v) for k, v in props["InstanceAttributes"].items()})
            self.progress(f"instance   {props['InstanceId']} {props['InstanceAttributes'].get('track', '')}")

    # ------------------------------------------------------------------ compute
    def create_functions(self) -> None:
        lam = self.client("lambda")
        for lid in self.t.of_type("AWS::Serverless::Function"):
            props = self.t.properties(lid)
            name = props["FunctionName"]
            lam.create_function(
                FunctionName=name, Runtime=props["Runtime"], Role=self.role_arn, Handler=props["Handler"],
                Code={"ZipFile": source_zip(props["CodeUri"])}, Timeout=int(props.get("Timeout", 3)),
                MemorySize=int(props.get("MemorySize", 128)), Description=props.get("Description", ""),
                Environment={"Variables": {k: str(v) for k, v in props["Environment"]["Variables"].items()}},
                Tags={"quorum:code-uri": props["CodeUri"], "quorum:logical-id": lid},
            )
            version = lam.publish_version(FunctionName=name)["Version"]
            alias = props.get("AutoPublishAlias")
            if alias:
                lam.create_alias(FunctionName=name, Name=alias, FunctionVersion=version)
            self.t.generated_ids[f"{lid}.Version"] = f"{self.t.get_att(lid, 'Arn')}:{version}"
            self.progress(f"function   {name} ({props['Handler']}) {alias or ''}->{version}")

    def create_state_machines(self) -> None:
        sfn = self.client("stepfunctions")
        for lid in self.t.of_type("AWS::Serverless::StateMachine"):
            props = self.t.properties(lid)
            definition = (ROOT / props["DefinitionUri"]).read_text()
            for key, value in props.get("DefinitionSubstitutions", {}).items():
                definition = definition.replace("${" + key + "}", str(value))
            created = sfn.create_state_machine(name=props["Name"], definition=definition, roleArn=self.role_arn,
                                               type=props.get("Type", "STANDARD"), publish=True)
            alias = props.get("AutoPublishAlias")
            if alias:  # as SAM does: version 1 and the alias every case starts through
                sfn.create_state_machine_alias(name=alias, routingConfiguration=[
                    {"stateMachineVersionArn": created["stateMachineVersionArn"], "weight": 100}])
            self.progress(f"statemachine {props['Name']} {alias or ''}->1")

    # ------------------------------------------------------------------ operations
    def create_alarms(self) -> None:
        cw = self.client("cloudwatch")
        for lid in self.t.of_type("AWS::CloudWatch::Alarm"):
            props = self.t.properties(lid)
            keys = ("AlarmName", "AlarmDescription", "ComparisonOperator", "Threshold", "EvaluationPeriods",
                    "TreatMissingData", "Metrics")
            cw.put_metric_alarm(**{k: props[k] for k in keys if k in props})
            self.progress(f"alarm      {props['AlarmName']}")
        for lid in self.t.of_type("AWS::CloudWatch::CompositeAlarm"):
            props = self.t.properties(lid)
            cw.put_composite_alarm(AlarmName=props["AlarmName"], AlarmRule=props["AlarmRule"],
                                   AlarmDescription=props.get("AlarmDescription", ""))
            self.progress(f"alarm      {props['AlarmName']} (composite)")

    def create_schedules(self) -> None:
        scheduler = self.client("scheduler")
        for lid in self.t.of_type("AWS::Serverless::Function"):
            props = self.t.properties(lid)
            for event in props.get("Events", {}).values():
                if event["Type"] != "ScheduleV2":
                    continue
                ev = event["Properties"]
                target = {"Arn": self.t.ref(f"{lid}.Alias"), "RoleArn": self.role_arn, "Input": ev.get("Input", "{}")}
                scheduler.create_schedule(Name=ev["Name"], ScheduleExpression=ev["ScheduleExpression"],
                                          FlexibleTimeWindow={"Mode": "OFF"}, Target=target)
                self.progress(f"schedule   {ev['Name']} {ev['ScheduleExpression']}")


def source_zip(code_uri: str) -> bytes:
    """A small zip naming the source folder: locally the code runs in-process from that folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("QUORUM_LOCAL_SOURCE", code_uri)
    return buffer.getvalue()
