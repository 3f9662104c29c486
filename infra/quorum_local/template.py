"""Read template.yaml and resolve its intrinsic functions for one environment.

The local cloud's only source of resources. Supports what Quorum's template uses: Ref (with
SAM's `Function.Alias` / `Function.Version`), Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select,
Fn::Split, Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or and the pseudo parameters. Physical
ids of resources whose ids AWS generates (Cloud Map) are filled in while provisioning.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samtranslator.plugins.globals.globals import Globals
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = ROOT / "template.yaml"
ACCOUNT_ID = "123456789012"
NO_VALUE = object()

# How each resource type's physical name is found, and what Ref / GetAtt return for it.
NAME_PROPERTY = {
    "AWS::Serverless::Function": "FunctionName",
    "AWS::Serverless::StateMachine": "Name",
    "AWS::Serverless::LayerVersion": "LayerName",
    "AWS::Serverless::HttpApi": "Name",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::ServiceDiscovery::HttpNamespace": "Name",
    "AWS::ServiceDiscovery::Service": "Name",
    "AWS::CloudWatch::Alarm": "AlarmName",
    "AWS::SQS::Queue": "QueueName",
}


class TemplateError(Exception):
    """The template uses something the local resolver does not know."""


@dataclass
class Template:
    """A parsed template bound to parameter values, with a resolver for its intrinsics."""

    raw: dict[str, Any]
    parameters: dict[str, str]
    region: str = "us-east-1"
    generated_ids: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, env: str = "local", path: Path = TEMPLATE_PATH, region: str = "us-east-1",
             overrides: dict[str, str] | None = None) -> Template:
        raw = yaml_parse(path.read_text())
        params = {name: str(spec.get("Default", "")) for name, spec in raw.get("Parameters", {}).items()}
        params.update({"Env": env, **(overrides or {})})
        return cls(raw=raw, parameters=params, region=region)

    # ------------------------------------------------------------------ queries
    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return self.raw["Resources"]

    def of_type(self, type_name: str) -> dict[str, dict[str, Any]]:
        """Resources of one type, by logical id, in template order."""
        return {lid: res for lid, res in self.resources.items() if res["Type"] == type_name}

    def properties(self, logical_id: str) -> dict[str, Any]:
        """The resolved properties of a resource, Globals merged for SAM functions."""
        res = self.resources[logical_id]
        props = dict(res.get("Properties", {}))
        if res["Type"] == "AWS::Serverless::Function":
            props = merge_globals(self.raw.get("Globals", {}).get("Function", {}), props)
        return self.resolve(props)

    def physical_name(self, logical_id: str) -> str:
        res = self.resources[logical_id]
        prop = NAME_PROPERTY.get(res["Type"])
        if prop is None or prop not in res.get("Properties", {}):
            raise TemplateError(f"{logical_id}: no physical name property")
        return self.resolve(res["Properties"][prop])

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{ACCOUNT_ID}:{resource}"

    # ------------------------------------------------------------------ Ref / GetAtt
    def ref(self, name: str) -> Any:
        pseudo = {
            "AWS::Region": self.region, "AWS::AccountId": ACCOUNT_ID, "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": f"quorum-{self.parameters['Env']}",
            "AWS::NoValue": NO_VALUE,
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        logical, _, suffix = name.partition(".")
        if suffix in ("Alias", "Version"):
            return self._function_ref(logical, suffix)
        if name.endswith("Aliaslive"):
            return self._function_ref(name.removesuffix("Aliaslive"), "Alias")
        return self._resource_ref(name)

    def _function_ref(self, logical_id: str, what: str) -> str:
        fn = self.arn("lambda", f"function:{self.physical_name(logical_id)}")
        if what == "Alias":
            return f"{fn}:live"
        return self.generated_ids.get(f"{logical_id}.Version", f"{fn}:1")

    def _resource_ref(self, logical_id: str) -> str:
        if logical_id in self.generated_ids:
            return self.generated_ids[logical_id]
        type_name = self.resources.get(logical_id, {}).get("Type")
        if type_name is None:
            raise TemplateError(f"Ref to unknown name {logical_id}")
        name = self.physical_name(logical_id)
        if type_name == "AWS::SNS::Topic":
            return self.arn("sns", name)
        if type_name == "AWS::Serverless::StateMachine":
            return self.arn("states", f"stateMachine:{name}")
        if type_name == "AWS::Serverless::LayerVersion":
            return self.arn("lambda", f"layer:{name}:1")
        if type_name in NAME_PROPERTY:
            return name
        raise TemplateError(f"Ref to {logical_id} ({type_name}) is not known before it is created")

    def get_att(self, logical_id: str, attribute: str) -> Any:
        type_name = self.resources[logical_id]["Type"]
        if attribute in ("Name", "TopicName", "TableName", "QueueName"):
            return self.physical_name(logical_id)
        if attribute == "Arn" and type_name == "AWS::DynamoDB::Table":
            return self.arn("dynamodb", f"table/{self.physical_name(logical_id)}")
        if attribute == "Arn" and type_name == "AWS::SQS::Queue":
            return self.arn("sqs", self.physical_name(logical_id))
        if attribute == "Arn" and type_name == "AWS::Serverless::Function":
            return self.arn("lambda", f"function:{self.physical_name(logical_id)}")
        if attribute == "Id":
            return self._resource_ref(logical_id)
        raise TemplateError(f"GetAtt {logical_id}.{attribute} is not supported locally")

    # ------------------------------------------------------------------ intrinsics
    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.raw["Conditions"][name]))

    def resolve(self, node: Any) -> Any:
        """Resolve every intrinsic in `node`, dropping AWS::NoValue entries."""
        if isinstance(node, list):
            return [v for v in (self.resolve(item) for item in node) if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, arg), = node.items()
            fn = INTRINSICS.get(key)
            if fn is not None:
                return fn(self, arg)
            if key == "Condition" and isinstance(arg, str):
                return self.condition(arg)
        out = {k: self.resolve(v) for k, v in node.items()}
        return {k: v for k, v in out.items() if v is not NO_VALUE}

    def sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name and not name.endswith((".Alias", ".Version")):
                return str(self.get_att(*name.split(".", 1)))
            return str(self.ref(name))

        return re.sub(r"\$\{([^}]+)\}", replace, text)


def _if(t: Template, arg: list[Any]) -> Any:
    return t.resolve(arg[1] if t.condition(arg[0]) else arg[2])


def _get_att(t: Template, arg: Any) -> Any:
    logical, attribute = arg.split(".", 1) if isinstance(arg, str) else arg
    return t.get_att(logical, attribute)


INTRINSICS = {
    "Ref": lambda t, arg: t.ref(arg),
    "Fn::GetAtt": _get_att,
    "Fn::Sub": lambda t, arg: t.sub(arg),
    "Fn::Join": lambda t, arg: str(arg[0]).join(str(v) for v in t.resolve(arg[1])),
    "Fn::Select": lambda t, arg: t.resolve(arg[1])[int(t.resolve(arg[0]))],
    "Fn::Split": lambda t, arg: str(t.resolve(arg[1])).split(arg[0]),
    "Fn::If": _if,
    "Fn::Equals": lambda t, arg: t.resolve(arg[0]) == t.resolve(arg[1]),
    "Fn::Not": lambda t, arg: not t.resolve(arg[0]),
    "Fn::And": lambda t, arg: all(t.resolve(v) for v in arg),
    "Fn::Or": lambda t, arg: any(t.resolve(v) for v in arg),
}


def merge_globals(globals_: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    """A function's properties with the template's `Globals.Function` merged in, by SAM's own rule
    (samtranslator's `Globals`): maps merge with the resource winning, lists concatenate (globals
    first), scalars are replaced by the resource's value."""
    merged: dict[str, Any] = Globals({"Globals": {"Function": copy.deepcopy(globals_)}}).merge(
        "AWS::Serverless::Function", copy.deepcopy(props))
    return merged
