"""The repository's Dockerfile as instructions (no Docker here: the tests read it)."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: FROM, RUN, COPY, ...
    arguments: str


def parse_dockerfile(path: Path) -> list[Instruction]:
    """Instructions in order, with `\\` continuations joined and comments dropped."""
    instructions, pending = [], ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def exec_form(arguments: str) -> list[str]:
    """The JSON array of an exec-form CMD/ENTRYPOINT (shell form is refused: no signals)."""
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), arguments
    return value


def copy_sources(instruction: Instruction) -> tuple[list[str], str]:
    """The sources and the destination of a COPY (without --from: build-context paths only)."""
    words = shlex.split(instruction.arguments)
    assert not any(w.startswith("--from") for w in words), "COPY --from is not a repo path"
    words = [w for w in words if not w.startswith("--")]
    return words[:-1], words[-1]


def env_values(instructions: list[Instruction]) -> dict[str, str]:
    """ENV key=value pairs (the form this Dockerfile uses)."""
    values = {}
    for instruction in instructions:
        if instruction.keyword == "ENV":
            for pair in shlex.split(instruction.arguments):
                key, _, value = pair.partition("=")
                values[key] = value
    return values
