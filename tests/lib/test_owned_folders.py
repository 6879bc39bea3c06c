"""Folders of killed processes are cleared; folders of live ones are left alone."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from ecom_platform.lib.lake import Layer
from ecom_platform.lib.owned_folders import (
    claim_folder,
    lent_folder,
    owned_folder,
    remove_abandoned,
)
from ecom_platform.lib.processes import owner_alive, owner_id
from ecom_platform.spark_jobs.io import remove_stale_staging

OWNER = """
import sys, time
from pathlib import Path
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.owned_folders import claim_folder
(claim_folder(Path(sys.argv[1])) / "scratch").write_text("x")
print("owned", flush=True)
time.sleep(600)
"""


def start_owner(folder: Path) -> subprocess.Popen:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(folder)], stdout=subprocess.PIPE, text=True
    )
    assert owner.stdout.readline().strip() == "owned"
    return owner


def test_only_folders_whose_owner_died_are_removed(tmp_path: Path):
    live, killed = start_owner(tmp_path / "live"), start_owner(tmp_path / "killed")
    try:
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        assert owner_alive(owner_id(live.pid)) is True

        assert remove_abandoned(tmp_path) == [tmp_path / "killed"]
        assert (tmp_path / "live" / "scratch").exists()
        assert not (tmp_path / "killed").exists() and not (tmp_path / "killed.lock").exists()
    finally:
        live.kill()
        live.wait()
    assert remove_abandoned(tmp_path) == [tmp_path / "live"]


def test_this_process_keeps_what_it_owns(tmp_path: Path):
    kept = claim_folder(tmp_path / "spark")
    with owned_folder(tmp_path / "staging") as staging:
        staging.mkdir()
        assert remove_abandoned(tmp_path) == []
    assert not staging.exists() and kept.exists()


def test_finished_lent_folders_are_kept_newest_first_and_a_lent_one_never_removed(
    tmp_path: Path,
):
    for age, name in enumerate(["new", "middle", "old", "oldest"]):
        with lent_folder(tmp_path / name) as folder:
            (folder / "run_results.json").write_text("{}")
        os.utime(folder, (1_000_000 - age, 1_000_000 - age))
    with lent_folder(tmp_path / "running") as running:
        os.utime(running, (1, 1))  # oldest of all, yet still in use
        removed = remove_abandoned(tmp_path, keep_newest=2)
        assert sorted(removed) == [tmp_path / "old", tmp_path / "oldest"]
        assert running.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["middle", "new", "running"]
    assert (tmp_path / "new" / "run_results.json").exists()


def test_a_dead_pid_is_told_from_a_live_one():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert owner_alive(owner_id()) is True
    assert owner_alive(f"{owner_id().split(':')[0]}:{child.pid}:1") is False
    assert owner_alive("another-host:1:1") is None


def test_stale_staging_of_a_killed_run_is_removed_before_the_next_write(tmp_path: Path):
    lake = str(tmp_path / "lake")
    parent = tmp_path / "lake" / "_staging" / "silver" / "orders"
    killed = start_owner(parent / "run-killed")
    killed.kill()
    killed.wait()
    live = start_owner(parent / "run-live")
    try:
        assert remove_stale_staging(lake, Layer.SILVER, "orders") == [str(parent / "run-killed")]
        assert sorted(os.listdir(parent)) == ["run-live", "run-live.lock"]
    finally:
        live.kill()
        live.wait()
