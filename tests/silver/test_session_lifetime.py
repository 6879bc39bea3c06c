"""A Spark session the silver runner started ends with its run, JVM included; one that was
running before is left alone (defs/silver/resources.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pyspark.sql import SparkSession

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.silver.resources import LocalSparkSilverRunner

OWN_SESSION = """
import os, sys
from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.silver.resources import LocalSparkSilverRunner
from ecom_platform.spark_jobs.session import session_running

lake = LakeResource(landing_uri=sys.argv[1], lake_uri=sys.argv[2])
runner = LocalSparkSilverRunner(lake=lake)
spark = runner.starting_session().result()
jvm = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
assert os.path.exists(f"/proc/{jvm}")
runner.run(None, [], [])
print("jvm alive" if os.path.exists(f"/proc/{jvm}") else "jvm ended", session_running())
again = runner.starting_session().result()  # a later run of this process starts a new one
print(again.range(3).count())
"""


def test_a_session_the_runner_started_ends_with_its_jvm(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-c", OWN_SESSION, str(tmp_path / "landing"), str(tmp_path / "lake")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("\n")[-3:-1] == ["jvm ended False", "3"]


def test_a_session_running_before_the_run_is_left_running(spark: SparkSession, lake: Path):
    runner = LocalSparkSilverRunner(
        lake=LakeResource(landing_uri=str(lake.parent / "landing"), lake_uri=str(lake))
    )
    assert runner.starting_session().result() is spark
    runner.run(None, [], [])
    assert spark.range(3).count() == 3
