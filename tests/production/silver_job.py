"""Silver over one lake on a given Spark master, in a process of its own.

A process per run because a Python process holds one SparkContext: `getOrCreate` would hand
a second run the first run's session (and its master) without a word.
Usage: python -m tests.production.silver_job MASTER LAKE DT...
"""

from __future__ import annotations

import json
import sys

from ecom_platform.lib.entities import ENTITY_NAMES
from ecom_platform.spark_jobs.pipeline import run_silver
from ecom_platform.spark_jobs.session import build_local_session


def main(master: str, lake: str, dts: list[str]) -> None:
    spark = build_local_session(master)
    try:
        if spark.sparkContext.master != master:
            raise RuntimeError(f"asked for {master}, got a session on {spark.sparkContext.master}")
        run_silver(spark, lake, ENTITY_NAMES, dts)
        print(json.dumps({"application_id": spark.sparkContext.applicationId}))
    finally:
        spark.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
