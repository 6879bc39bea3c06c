"""The Terraform under infra/ as plain data, and just enough evaluation to follow references.

There is no terraform binary here, so tests read the HCL with python-hcl2 and resolve the
plain references (`var.x`, `local.x`, `module.m.out`, `aws_type.name.attr`) that carry bucket
names, job names and S3 keys from an environment's tfvars through the stack (infra/stack, the
one module both environments call) down into the modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import hcl2
from hcl2 import SerializationOptions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
INFRA = PROJECT_ROOT / "infra"
STACK = INFRA / "stack"
STACK_MODULE = "platform"  # the name each environment calls the stack by
ENVIRONMENTS = ("dev", "prod")
OPTIONS = SerializationOptions(with_comments=False, explicit_blocks=False, strip_string_quotes=True)
REFERENCE = re.compile(r"\$\{([^{}]+)\}")


def terraform_files() -> list[Path]:
    return sorted(p for p in INFRA.rglob("*.tf") if ".terraform" not in p.parts)


def parse_hcl(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return hcl2.load(handle, serialization_options=OPTIONS)


@dataclass
class TerraformConfig:
    """The blocks of one Terraform directory (a module or an environment), keyed by name."""

    directory: Path
    resources: dict[tuple[str, str], dict] = field(default_factory=dict)
    data: dict[tuple[str, str], dict] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)
    modules: dict[str, dict] = field(default_factory=dict)


@cache
def load_config(directory: Path) -> TerraformConfig:
    config = TerraformConfig(directory)
    for path in sorted(directory.glob("*.tf")):
        parsed = parse_hcl(path)
        for kind, target in (("resource", config.resources), ("data", config.data)):
            for block in parsed.get(kind, []):
                for type_, named in block.items():
                    target.update({(type_, name): body for name, body in named.items()})
        for block in parsed.get("locals", []):
            config.locals.update(block)
        for kind, target in (
            ("variable", config.variables),
            ("output", config.outputs),
            ("module", config.modules),
        ):
            for block in parsed.get(kind, []):
                target.update(block)
    return config


def all_configs() -> list[TerraformConfig]:
    directories = sorted({path.parent for path in terraform_files()})
    return [load_config(directory) for directory in directories]


def iter_statements(config: TerraformConfig) -> Iterator[tuple[str, dict]]:
    """Every statement of every aws_iam_policy_document, with the document's name."""
    for (type_, name), body in config.data.items():
        if type_ == "aws_iam_policy_document":
            for statement in body.get("statement", []):
                yield name, statement


class Unresolvable(ValueError):
    """A reference this evaluator does not follow (function calls, `each`, computed ids)."""


class Evaluator:
    """Resolves references inside one Terraform directory.

    `inputs` are the directory's variable values as written where they are set (tfvars, or a
    module call's arguments); they are resolved lazily in `caller`, so an input that is never
    read (e.g. a computed ARN) never needs a value.
    """

    def __init__(
        self, directory: Path, inputs: dict[str, Any], caller: Evaluator | None = None
    ) -> None:
        self.config = load_config(directory)
        self.inputs = inputs
        self.caller = caller

    @classmethod
    def environment(cls, env: str) -> Evaluator:
        """The root of `env`: its folder with the values of its terraform.tfvars."""
        directory = INFRA / "environments" / env
        return cls(directory, parse_hcl(directory / "terraform.tfvars"))

    @classmethod
    def stack(cls, env: str) -> Evaluator:
        """The stack as `env` calls it: where every resource of the platform is."""
        return cls.environment(env).module(STACK_MODULE)

    def module(self, name: str) -> Evaluator:
        call = self.config.modules[name]
        directory = (self.config.directory / call["source"]).resolve()
        return Evaluator(directory, call, caller=self)

    def output(self, name: str) -> Any:
        return self.resolve(self.config.outputs[name]["value"])

    def resource(self, type_: str, name: str) -> dict:
        return self.config.resources[(type_, name)]

    def resolve(self, value: Any) -> Any:
        """`value` with every `${reference}` replaced by what it names; whole refs keep types."""
        if not isinstance(value, str):
            return value
        whole = REFERENCE.fullmatch(value)
        if whole:
            return self.lookup(whole.group(1))
        return REFERENCE.sub(lambda match: str(self.lookup(match.group(1))), value)

    def lookup(self, expression: str) -> Any:
        parts = expression.split(".")
        if not all(re.fullmatch(r"[A-Za-z_][\w-]*", part) for part in parts):
            raise Unresolvable(expression)
        head = parts[0]
        if head == "var":
            return self.variable(parts[1])
        if head == "local":
            value = self.resolve(self.config.locals[parts[1]])
            for key in parts[2:]:  # local.map.key
                value = self.resolve(value[key])
            return value
        if head == "module":
            return self.module(parts[1]).output(parts[2])
        resource = self.config.resources.get((head, parts[1]), {})
        if len(parts) == 3 and parts[2] in resource:
            return self.resolve(resource[parts[2]])
        raise Unresolvable(f"{expression} in {self.config.directory}")

    def variable(self, name: str) -> Any:
        if name in self.inputs:
            value = self.inputs[name]
            return self.caller.resolve(value) if self.caller else value
        declared = self.config.variables[name]
        if "default" not in declared:
            raise Unresolvable(f"var.{name} has no value in {self.config.directory}")
        return self.resolve(declared["default"])
