"""The bench's memory measure (bench/measure.py): a process tree's resident memory, where a
child that has not exec'd yet (sharing its parent's pages) is not counted a second time."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.measure import tree_rss_kib

MIB = 1024
# Holds 300 MiB, starts a child that execs and holds 100 MiB, forks one that does not exec,
# then waits for stdin to close.
TREE = """
import os, subprocess, sys
held = b"x" * (300 * 2**20)
child = subprocess.Popen([sys.executable, "-c",
    "import sys; held = b'x' * (100 * 2**20); print('ready', flush=True); sys.stdin.read()"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE)
child.stdout.readline()
if os.fork() == 0:
    sys.stdin.read()
    os._exit(0)
print("ready", flush=True)
sys.stdin.read()
child.stdin.close()
child.wait()
"""


def test_a_tree_counts_exec_d_children_and_not_a_fork_that_shares_its_parents_memory():
    with subprocess.Popen(
        [sys.executable, "-c", TREE], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as tree:
        assert tree.stdout is not None and tree.stdin is not None
        assert tree.stdout.readline().strip() == b"ready"
        time.sleep(0.2)
        measured = tree_rss_kib(tree.pid)
        tree.stdin.close()
        tree.wait(timeout=30)
    # 300 + 100 MiB plus two interpreters; the fork would have added another 300.
    assert 400 * MIB < measured < 550 * MIB
