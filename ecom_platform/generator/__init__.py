"""Contract-conforming sample landing data with injected defects (`ecom-platform generate`).

    generate(out, start, days, scale, seed, defect_rate, progress) -> Manifest

writes `<out>/<entity>/dt=YYYY-MM-DD/<name>.<ext>` for the nine entities, day
by day, and `<out>/_manifest/generate-<seed>.json`, the answer key for every
later layer. Same arguments, same bytes: all randomness comes from the seed
(and on a machine with `fork`, the biggest partition of a day is written on a
second core with those very bytes: see `parallel`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta

from ecom_platform.generator.coverage import REQUIRED_ROW_DEFECTS, Coverage
from ecom_platform.generator.delivery import LateFile, PartitionWriter
from ecom_platform.generator.file_defects import plan_day
from ecom_platform.generator.manifest import Manifest, PartitionManifest, manifest_uri
from ecom_platform.generator.model import Business
from ecom_platform.generator.parallel import write_partitions
from ecom_platform.generator.rng import SeededRandom
from ecom_platform.lib.cyclic_gc import cyclic_gc_paused
from ecom_platform.lib.entities import ENTITIES
from ecom_platform.lib.storage import Store, open_store

__all__ = ["Manifest", "generate", "manifest_uri"]

Progress = Callable[[str], None]


def generate(
    out: str,
    start: date,
    days: int,
    scale: float,
    seed: int,
    defect_rate: float,
    progress: Progress | None = None,
) -> Manifest:
    """Write `days` daily partitions of landing files from `start` and return the manifest."""
    check_arguments(days, scale, defect_rate)
    with cyclic_gc_paused():
        return write_landing_zone(out, start, days, scale, seed, defect_rate, progress)


def write_landing_zone(
    out: str,
    start: date,
    days: int,
    scale: float,
    seed: int,
    defect_rate: float,
    progress: Progress | None,
) -> Manifest:
    """`generate` itself, once its arguments are checked."""
    report = progress or (lambda _line: None)
    store = open_store(out)
    params = {
        "start": start.isoformat(),
        "days": days,
        "scale": scale,
        "seed": seed,
        "defect_rate": defect_rate,
    }
    manifest = Manifest(params=params, uri=manifest_uri(out, seed))
    business = Business(seed, scale)
    coverage = Coverage(REQUIRED_ROW_DEFECTS if defect_rate > 0 else ())
    dates = [start + timedelta(days=offset) for offset in range(days)]
    late_files: list[LateFile] = []
    for index, day in enumerate(dates):
        began = time.perf_counter()
        batches = business.simulate_day(day, first=index == 0)
        counts = {name: batch.count for name, batch in batches.items()}
        plans = plan_day(SeededRandom(f"{seed}/files/{day}"), counts, index, days, defect_rate)
        writers = [
            PartitionWriter(
                entity=entity,
                day=day,
                out=out,
                store=store,
                rng=SeededRandom(f"{seed}/{entity.name}/{day}"),
                defect_rate=defect_rate,
                coverage=coverage,
                plan=plans[entity.name],
                delivery_dates=dates,
                late_files=[],
            )
            for entity in ENTITIES
        ]
        rows = 0
        for writer, partition in zip(writers, write_partitions(writers, batches), strict=True):
            manifest.add(partition)
            rows += report_partition(report, partition)
            late_files.extend(writer.late_files)
        late_files = deliver_late_files(store, late_files, index, report)
        seconds = time.perf_counter() - began
        report(f"{day} day {index + 1}/{days} done: {rows:,} records in {seconds:.1f}s")
    store.write_bytes(manifest.uri, manifest.to_json())
    report(f"manifest: {manifest.uri}")
    return manifest


def check_arguments(days: int, scale: float, defect_rate: float) -> None:
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    if not 0 <= defect_rate <= 1:
        raise ValueError(f"defect_rate must be a share between 0 and 1, got {defect_rate}")


def report_partition(report: Progress, partition: PartitionManifest) -> int:
    records = sum(entry.records or 0 for entry in partition.files)
    defects = len(partition.row_defects) + len(partition.duplicates)
    report(
        f"{partition.dt} {partition.entity:<11} {records:>10,} records in "
        f"{len(partition.files)} files ({defects:,} defective or duplicate)"
    )
    return records


def deliver_late_files(
    store: Store, late_files: list[LateFile], day_index: int, report: Progress
) -> list[LateFile]:
    """Write the late files due after this day; the rest wait."""
    waiting = []
    for late in late_files:
        if late.after_day <= day_index:
            store.write_bytes(late.uri, late.data)
            report(f"late file delivered: {late.uri}")
        else:
            waiting.append(late)
    return waiting
