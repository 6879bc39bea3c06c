"""Generated landing zones shared by the generator tests (each run takes well under a second)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ecom_platform.generator import Manifest, generate

START = date(2024, 1, 1)


@dataclass
class Run:
    root: Path
    manifest: Manifest
    progress: list[str]

    def files(self) -> dict[str, bytes]:
        """Every file below the root by relative path."""
        return {
            str(path.relative_to(self.root)): path.read_bytes()
            for path in sorted(self.root.rglob("*"))
            if path.is_file()
        }

    def partition_files(self, entity: str, dt: str) -> dict[str, bytes]:
        folder = self.root / entity / f"dt={dt}"
        return {path.name: path.read_bytes() for path in sorted(folder.glob("*"))}


def run_generator(root: Path, **overrides: object) -> Run:
    args = {"start": START, "days": 3, "scale": 0.1, "seed": 11, "defect_rate": 0.05}
    args.update(overrides)
    progress: list[str] = []
    manifest = generate(str(root), progress=progress.append, **args)
    return Run(root, manifest, progress)


@pytest.fixture(scope="session")
def defective_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_generator(tmp_path_factory.mktemp("defective"))


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_generator(tmp_path_factory.mktemp("clean"), defect_rate=0.0)
