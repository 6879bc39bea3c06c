"""dev and prod are thin roots over one stack: they differ in values, never in resources.

Each environment folder holds its terraform.tfvars, the provider and state backend, one call
of infra/stack, and forwards of the stack's outputs. These tests keep those roots complete
(every value the stack needs reaches it, every output comes back) and free of resources, so a
change to the platform is made once, in the stack.
"""

from __future__ import annotations

import pytest

from tests.infra.infra_hcl import (
    ENVIRONMENTS,
    INFRA,
    STACK,
    STACK_MODULE,
    Evaluator,
    load_config,
    parse_hcl,
)


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def env(request: pytest.FixtureRequest) -> str:
    return request.param


def root(env: str) -> Evaluator:
    return Evaluator.environment(env)


def test_environment_root_is_one_call_of_the_stack(env: str) -> None:
    config = root(env).config
    assert list(config.modules) == [STACK_MODULE]
    assert (config.directory / config.modules[STACK_MODULE]["source"]).resolve() == STACK
    assert not config.resources, f"{env} declares resources outside the stack"
    assert not config.data and not config.locals


def test_stack_gets_every_variable_it_needs_and_nothing_else(env: str) -> None:
    stack = load_config(STACK)
    call = {k: v for k, v in root(env).config.modules[STACK_MODULE].items() if k != "source"}
    required = {name for name, body in stack.variables.items() if "default" not in body}
    assert required - set(call) == set(), f"{env} does not pass {required - set(call)}"
    assert set(call) - set(stack.variables) == set(), "arguments the stack does not declare"


def test_environment_variables_reach_the_stack_unchanged(env: str) -> None:
    config = root(env).config
    call = config.modules[STACK_MODULE]
    for name in config.variables:
        assert call.get(name) == f"${{var.{name}}}", f"{env}: var.{name} is not passed as is"
    passed_as_vars = {k for k, v in call.items() if isinstance(v, str) and v.startswith("${var.")}
    assert passed_as_vars == set(config.variables)


def test_tfvars_sets_every_variable_without_a_default(env: str) -> None:
    config = root(env).config
    values = parse_hcl(config.directory / "terraform.tfvars")
    required = {name for name, body in config.variables.items() if "default" not in body}
    assert required <= set(values), f"{env}/terraform.tfvars lacks {required - set(values)}"
    assert set(values) <= set(config.variables), "tfvars sets variables nobody declares"


def test_environment_name_comes_from_the_folder(env: str) -> None:
    """The name is fixed in the root, so a copied tfvars cannot turn dev into prod."""
    evaluator = root(env)
    assert evaluator.config.modules[STACK_MODULE]["env"] == env
    assert Evaluator.stack(env).resolve("${local.name_prefix}") == f"ecom-platform-{env}"


def test_environment_outputs_forward_every_stack_output(env: str) -> None:
    outputs = root(env).config.outputs
    assert set(outputs) == set(load_config(STACK).outputs)
    for name, body in outputs.items():
        assert body["value"] == f"${{module.{STACK_MODULE}.{name}}}", f"{env}: output {name}"


def test_each_environment_keeps_its_own_state(env: str) -> None:
    versions = parse_hcl(INFRA / "environments" / env / "versions.tf")["terraform"][0]
    backend = versions["backend"][0]["s3"]
    assert backend["key"] == f"ecom-platform/{env}.tfstate"
    assert "bucket" not in backend, "the state bucket is account-specific: give it at init"


def test_aws_provider_is_pinned_to_major_5() -> None:
    for directory in (STACK, *(INFRA / "environments" / env for env in ENVIRONMENTS)):
        versions = parse_hcl(directory / "versions.tf")["terraform"][0]
        assert versions["required_providers"][0]["aws"]["version"] == "~> 5.0", directory
