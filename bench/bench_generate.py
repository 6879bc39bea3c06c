"""Wall time, throughput and peak memory of generating one day at a given scale.

    .venv/bin/python bench/bench_generate.py [SCALE] [--defect-rate R] [--days N]

Writes to a temporary folder that is removed afterwards; scale 100 is about
100k orders and 1M web events a day.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import date

from ecom_platform.generator import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", nargs="?", type=float, default=100.0)
    parser.add_argument("--defect-rate", type=float, default=0.01)
    parser.add_argument("--days", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as out:
        began = time.perf_counter()
        manifest = generate(
            out, date(2024, 1, 1), args.days, args.scale, 42, args.defect_rate, print
        )
        seconds = time.perf_counter() - began
    records = sum(
        entry.records or 0
        for partition in manifest.partitions.values()
        for entry in partition.files
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"scale {args.scale:g}, {args.days} day(s): {records:,} records in {seconds:.1f}s "
        f"= {records / seconds:,.0f} records/s, peak RSS {peak_mib:,.0f} MiB"
    )


if __name__ == "__main__":
    main()
