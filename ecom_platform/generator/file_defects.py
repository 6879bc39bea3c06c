"""File defects: which entity and day get a broken, empty, repeated or late file.

With a defect rate above zero the first day carries one of each kind (so
every run exercises every file outcome of CONTRACT.md section 3); later days
get each kind per entity with the defect rate as probability.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ecom_platform.lib.entities import ENTITIES, Entity

EXTRA_COLUMN_NAMES = ("source_system", "batch_id", "export_version")
MIN_RECORDS_FOR_SLICE = 20  # a file cut from the day's records needs some to spare
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GZIP_MAGIC_WITH_GARBAGE = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + b"not deflate data" * 4


@dataclass
class PartitionPlan:
    """File-level defects for one entity and day."""

    missing_column: str | None = None  # a file that lacks this required column
    extra_columns: tuple[str, ...] = ()  # the first regular file carries these extra columns
    empty_file: bool = False
    header_only: bool = False
    unreadable: bool = False
    corrupt_gzip: bool = False  # the unreadable file is a broken .gz rather than binary bytes
    duplicate_content: bool = False  # the first regular file is delivered twice
    late_after: int | None = None  # index of the day after which a late file lands here
    force_gzip: bool = False  # the first regular file is gzipped


def plan_day(
    rng: random.Random, counts: dict[str, int], day_index: int, days: int, defect_rate: float
) -> dict[str, PartitionPlan]:
    plans = {entity.name: PartitionPlan() for entity in ENTITIES}
    if day_index == 0:
        # Compressed files in both formats on day one, whatever the defect rate.
        plans["orders"].force_gzip = plans["web_events"].force_gzip = True
    if defect_rate <= 0:
        return plans
    if day_index == 0:
        guarantee_each_kind(rng, plans, counts, days)
        return plans
    for entity in ENTITIES:
        plan_random_defects(rng, entity, plans[entity.name], counts, day_index, days, defect_rate)
    return plans


def plan_random_defects(
    rng: random.Random,
    entity: Entity,
    plan: PartitionPlan,
    counts: dict[str, int],
    day_index: int,
    days: int,
    defect_rate: float,
) -> None:
    """Each kind with probability `defect_rate`, where the entity and its volume allow it."""
    is_csv = entity.file_format == "csv"
    big_enough = counts[entity.name] >= MIN_RECORDS_FOR_SLICE
    if is_csv and big_enough and rng.random() < defect_rate:
        plan.missing_column = rng.choice(entity.required_columns)
    if counts[entity.name] and rng.random() < defect_rate:
        plan.extra_columns = extra_columns(rng)
    if rng.random() < defect_rate:
        plan.empty_file = True
    if is_csv and rng.random() < defect_rate:
        plan.header_only = True
    if rng.random() < defect_rate:
        plan.unreadable = True
        plan.corrupt_gzip = rng.random() < 0.5
    if counts[entity.name] and rng.random() < defect_rate:
        plan.duplicate_content = True
    if big_enough and day_index < days - 1 and rng.random() < defect_rate:
        plan.late_after = late_delivery_day(rng, day_index, days)


def guarantee_each_kind(
    rng: random.Random, plans: dict[str, PartitionPlan], counts: dict[str, int], days: int
) -> None:
    """Day one: every kind of file defect once, on an entity with records to spare."""
    csv_entities = [e for e in ENTITIES if e.file_format == "csv"]
    sizeable = [e for e in csv_entities if counts[e.name] >= MIN_RECORDS_FOR_SLICE]
    with_rows = [e for e in ENTITIES if counts[e.name]]
    missing = rng.choice(sizeable or csv_entities)
    plans[missing.name].missing_column = rng.choice(missing.required_columns)
    plans[rng.choice(with_rows).name].extra_columns = extra_columns(rng)
    plans[rng.choice(ENTITIES).name].empty_file = True
    plans[rng.choice(csv_entities).name].header_only = True
    plans[rng.choice(ENTITIES).name].unreadable = True
    plans[rng.choice(with_rows).name].duplicate_content = True
    plans[rng.choice(sizeable or with_rows).name].late_after = late_delivery_day(rng, 0, days)


def extra_columns(rng: random.Random) -> tuple[str, ...]:
    return tuple(rng.sample(EXTRA_COLUMN_NAMES, rng.randint(1, 2)))


def late_delivery_day(rng: random.Random, day_index: int, days: int) -> int:
    """The day after whose files the late file is written (the last day at the latest)."""
    return min(days - 1, day_index + rng.randint(1, 2))


def extra_column_value(rng: random.Random, column: str) -> str:
    if column == "source_system":
        return rng.choice(("erp-eu", "erp-us", "shopify"))
    if column == "batch_id":
        return f"b{rng.randint(1, 99_999):05d}"
    return rng.choice(("2", "2.1", "3"))


def unreadable_bytes(rng: random.Random, corrupt_gzip: bool) -> bytes:
    """Not UTF-8 text: an image-like binary blob, or gzip magic followed by garbage."""
    if corrupt_gzip:
        return GZIP_MAGIC_WITH_GARBAGE
    noise = bytes(rng.randrange(256) for _ in range(256))
    return PNG_SIGNATURE + b"\x00\x00\x00\rIHDR" + noise + b"\xc3\x28\xff\xfe"
