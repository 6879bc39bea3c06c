"""The Dagster image: it copies what exists, and runs what the ECS task definitions run.

The image cannot be built here, so these checks stand in for a build: every COPY source is in
the checkout (and not excluded by .dockerignore), the CMD is the webserver task's command, each
task's command is a console script the image installs, and the paths the tasks and Dagster
rely on (WORKDIR, workspace.yaml, DAGSTER_HOME/dagster.yaml) are where the image puts them.
"""

from __future__ import annotations

import fnmatch
from importlib.metadata import distribution
from pathlib import PurePosixPath

import pytest
import yaml

from tests.infra.dockerfile import (
    Instruction,
    copy_sources,
    env_values,
    exec_form,
    parse_dockerfile,
)
from tests.infra.infra_hcl import PROJECT_ROOT, Evaluator

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
PROD_INSTANCE = PROJECT_ROOT / "deploy" / "dagster.prod.yaml"


@pytest.fixture(scope="module")
def instructions() -> list[Instruction]:
    return parse_dockerfile(DOCKERFILE)


@pytest.fixture(scope="module")
def containers() -> dict[str, dict]:
    return Evaluator.stack("prod").module("dagster").config.locals["containers"]


def only(instructions: list[Instruction], keyword: str) -> Instruction:
    matching = [i for i in instructions if i.keyword == keyword]
    assert len(matching) == 1, f"expected one {keyword}, found {len(matching)}"
    return matching[0]


def copies(instructions: list[Instruction]) -> list[tuple[str, str]]:
    """(source, destination in the image) of every COPY, destinations made absolute."""
    workdir, pairs = "/", []
    for instruction in instructions:
        if instruction.keyword == "WORKDIR":
            workdir = instruction.arguments
        if instruction.keyword == "COPY":
            sources, destination = copy_sources(instruction)
            for source in sources:
                target = PurePosixPath(workdir) / destination
                if destination.endswith("/"):
                    target = target / PurePosixPath(source).name
                pairs.append((source, str(target)))
    return pairs


def test_base_image_and_java_match_glue(instructions: list[Instruction]) -> None:
    assert only(instructions, "FROM").arguments.startswith("python:3.11-slim")
    runs = " ".join(i.arguments for i in instructions if i.keyword == "RUN")
    assert "openjdk-17-jre-headless" in runs
    assert "pip install --no-cache-dir -e ." in runs


def test_every_copied_path_is_in_the_checkout(instructions: list[Instruction]) -> None:
    ignored = [
        line.strip()
        for line in (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    pairs = copies(instructions)
    assert pairs
    for source, _ in pairs:
        assert (PROJECT_ROOT / source).exists(), f"COPY {source}: not in the repository"
        excluded = [p for p in ignored if fnmatch.fnmatch(source, p) or source == p]
        assert not excluded, f"COPY {source} is excluded by .dockerignore ({excluded})"


def test_cmd_is_the_webserver_task_command(instructions: list[Instruction], containers) -> None:
    assert not [i for i in instructions if i.keyword == "ENTRYPOINT"], (
        "with an ENTRYPOINT, the tasks' `command` would become its arguments"
    )
    assert exec_form(only(instructions, "CMD").arguments) == containers["webserver"]["command"]


def test_task_commands_are_scripts_the_image_installs(containers) -> None:
    """`pip install -e .` installs the project's dependencies: their console scripts are on PATH."""
    scripts = {
        entry.name
        for name in ("dagster", "dagster-webserver")
        for entry in distribution(name).entry_points
        if entry.group == "console_scripts"
    }
    for name, container in containers.items():
        assert container["command"][0] in scripts, (
            f"{name}: {container['command'][0]} not installed"
        )


def test_tasks_run_in_the_workdir_that_holds_the_workspace(
    instructions: list[Instruction], containers
) -> None:
    workdir = only(instructions, "WORKDIR").arguments
    copied = {destination for _, destination in copies(instructions)}
    for name, container in containers.items():
        assert container["workingDirectory"] == "${local.workdir}"
        command = container["command"]
        workspace = command[command.index("-w") + 1]
        assert f"{workdir}/{workspace}" in copied, f"{name}: {workspace} is not in the image"
    dagster = Evaluator.stack("prod").module("dagster")
    assert dagster.resolve("${local.workdir}") == workdir
    location = yaml.safe_load((PROJECT_ROOT / "workspace.yaml").read_text())["load_from"][0]
    assert location["python_module"]["working_directory"] == "."
    for package in ("ecom_platform", "ecom_dbt", "pyproject.toml"):
        assert f"{workdir}/{package}" in copied, f"{package} is not beside workspace.yaml"


def test_dagster_home_holds_the_production_instance(instructions: list[Instruction]) -> None:
    home = env_values(instructions)["DAGSTER_HOME"]
    pairs = copies(instructions)
    assert (str(PROD_INSTANCE.relative_to(PROJECT_ROOT)), f"{home}/dagster.yaml") in pairs


def test_webserver_port_is_the_exposed_and_mapped_port(
    instructions: list[Instruction], containers
) -> None:
    port = int(only(instructions, "EXPOSE").arguments)
    command = containers["webserver"]["command"]
    assert int(command[command.index("-p") + 1]) == port
    dagster = Evaluator.stack("prod").module("dagster")
    assert dagster.resolve("${local.web_port}") == port
