"""Bronze -> silver for one entity, driven entirely by its spec in `lib/entities.py`.

`transform` classifies every bronze record exactly once as silver, quarantined
or duplicate, so `rows read = silver + quarantined + duplicates` holds by
construction; the reconciliation check re-counts it from the files.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from ecom_platform.lib.entities import Entity
from ecom_platform.lib.lake import INGESTED_AT, LINE_NUMBER, MALFORMED, RAW_RECORD, SOURCE_FILE
from ecom_platform.spark_jobs.io import PARTITION
from ecom_platform.spark_jobs.parsing import trimmed
from ecom_platform.spark_jobs.rules import (
    REASON_SEPARATOR,
    code_name,
    own_defect,
    raw_name,
    reason,
    typed_value,
)

STATUS = "__status"
REASON = "__reason"
SILVER, QUARANTINED, DUPLICATE = "silver", "quarantined", "duplicate"
ROWS_IN = "rows_in"
STATUS_TAGS = (ROWS_IN, SILVER, QUARANTINED, DUPLICATE)  # other tags are reason codes


@dataclass(frozen=True)
class EntityFrames:
    classified: DataFrame  # every bronze record with its typed values, codes and STATUS
    silver: DataFrame  # PARTITION + silver columns
    quarantine: DataFrame  # PARTITION + quarantine columns


def typed_and_coded(entity: Entity, bronze: DataFrame) -> DataFrame:
    """Trim, parse and judge each column; keep the typed values and the row's reason codes."""
    raw = bronze.select(
        PARTITION,
        SOURCE_FILE,
        LINE_NUMBER,
        INGESTED_AT,
        MALFORMED,
        RAW_RECORD,
        *(trimmed(F.col(name)).alias(raw_name(name)) for name in entity.column_names),
    )
    typed = raw.select("*", *(typed_value(c).alias(c.name) for c in entity.columns))
    coded = typed.select(
        "*", *(own_defect(entity, c).alias(code_name(c.name)) for c in entity.columns)
    )
    # Only what the next steps need: the window shuffles and the cache holds every row.
    judged = coded.select(
        PARTITION,
        SOURCE_FILE,
        LINE_NUMBER,
        INGESTED_AT,
        RAW_RECORD,
        *entity.column_names,
        reason(entity, F.col(MALFORMED)).alias(REASON),
    )
    # Only quarantine keeps the raw text: dropping it from valid rows shrinks shuffle and cache.
    return judged.withColumn(RAW_RECORD, F.when(F.col(REASON) != "", F.col(RAW_RECORD)))


def with_status(entity: Entity, coded: DataFrame) -> DataFrame:
    """Quarantine defective rows; among valid rows keep the first of each dedupe key per dt.

    "First" is by source file and line, so reruns keep the same row.
    """
    valid = F.col(REASON) == ""
    versions = Window.partitionBy(*entity.dedupe_key, valid, PARTITION).orderBy(
        SOURCE_FILE, LINE_NUMBER
    )
    status = (
        F.when(~valid, F.lit(QUARANTINED))
        .when(F.row_number().over(versions) == 1, F.lit(SILVER))
        .otherwise(F.lit(DUPLICATE))
    )
    return coded.withColumn(STATUS, status)


def silver_rows(entity: Entity, classified: DataFrame) -> DataFrame:
    return classified.where(F.col(STATUS) == SILVER).select(
        PARTITION, *entity.column_names, SOURCE_FILE, LINE_NUMBER, INGESTED_AT
    )


def quarantine_rows(entity: Entity, classified: DataFrame) -> DataFrame:
    return classified.where(F.col(STATUS) == QUARANTINED).select(
        PARTITION,
        F.lit(entity.name).alias("entity"),
        F.col(PARTITION).alias("dt"),
        F.col(SOURCE_FILE).alias("source_file"),
        F.col(LINE_NUMBER).alias("line_number"),
        F.split(REASON, REASON_SEPARATOR).alias("reason_codes"),
        F.col(REASON).alias("reason"),
        F.col(RAW_RECORD).alias("raw_record"),
    )


def transform(entity: Entity, bronze: DataFrame) -> EntityFrames:
    classified = with_status(entity, typed_and_coded(entity, bronze))
    return EntityFrames(
        classified=classified,
        silver=silver_rows(entity, classified),
        quarantine=quarantine_rows(entity, classified),
    )


def tally(classified: DataFrame) -> DataFrame:
    """All statistics in one aggregation: (PARTITION, tag, n) per status and reason code."""
    codes = F.when(F.col(STATUS) == QUARANTINED, F.split(REASON, REASON_SEPARATOR))
    tags = F.concat(F.array(F.lit(ROWS_IN), F.col(STATUS)), F.coalesce(codes, F.array()))
    return (
        classified.select(PARTITION, F.explode(tags).alias("tag")).groupBy(PARTITION, "tag").count()
    )
