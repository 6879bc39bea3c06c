"""Platform settings from the environment, with embedded local defaults (CONTRACT.md section 5).

Validated once at start-up so a typo fails with a message naming the
variable, not with a traceback deep inside a run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from pathlib import Path

from ecom_platform.lib.storage import is_s3, validate_uri


class Target(StrEnum):
    LOCAL = "local"  # local Spark + DuckDB
    AWS = "aws"  # Glue + Redshift


DEFAULTS = {
    "ECOM_LANDING_URI": "data/landing",
    "ECOM_LAKE_URI": "data/lake",
    "ECOM_WAREHOUSE": "data/warehouse.duckdb",
    "ECOM_TARGET": Target.LOCAL.value,
    "ECOM_START_DATE": "2024-01-01",
    "ECOM_SPARK_MASTER": "local[2]",
    "ECOM_QUARANTINE_WARN_RATE": "0.05",
    "ECOM_QUARANTINE_FAIL_RATE": "0.20",
    # Below this many rows read a rate is noise (2 bad rows of 5 campaigns is 40%): warn only.
    "ECOM_QUARANTINE_MIN_ROWS": "50",
    # How long a run waits for the warehouse (another run's dbt build, another process
    # holding the DuckDB file) before it fails with a message naming the holder.
    "ECOM_WAREHOUSE_LOCK_TIMEOUT_S": "60",
    # The landing sensor's state in a fresh Dagster instance (the UI toggle overrides it).
    "ECOM_LANDING_SENSOR": "running",
    # A day's gold partition is late after this time (UTC) on the next day.
    "ECOM_GOLD_DEADLINE": "06:00",
}


class SettingsError(ValueError):
    """A setting has a value the platform cannot use."""


@dataclass(frozen=True)
class QuarantineLimits:
    """The quarantine-rate gate: WARN above `warn`, ERROR above `fail` from `min_rows` rows."""

    warn: float
    fail: float
    min_rows: int


@dataclass(frozen=True)
class Settings:
    landing_uri: str
    lake_uri: str
    warehouse: str
    target: Target
    start_date: date
    spark_master: str
    quarantine: QuarantineLimits
    warehouse_lock_timeout_s: int
    landing_sensor_running: bool = True
    gold_deadline: time = time(6, 0)

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse)


def parse_iso_date(value: str, setting: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise SettingsError(f"{setting}={value!r} is not a date; use YYYY-MM-DD") from None


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read and validate the ECOM_* settings; raise SettingsError naming the bad variable."""
    env = os.environ if environ is None else environ

    def get(name: str) -> str:
        value = env.get(name, "").strip()
        return value or DEFAULTS[name]

    target_value = get("ECOM_TARGET").lower()
    try:
        target = Target(target_value)
    except ValueError:
        choices = ", ".join(t.value for t in Target)
        raise SettingsError(f"ECOM_TARGET={target_value!r} is not one of: {choices}") from None

    landing, lake = get("ECOM_LANDING_URI"), get("ECOM_LAKE_URI")
    for name, uri in (("ECOM_LANDING_URI", landing), ("ECOM_LAKE_URI", lake)):
        try:
            validate_uri(uri, name)
        except ValueError as exc:
            raise SettingsError(str(exc)) from None
    if target is Target.LOCAL and is_s3(lake):
        raise SettingsError(
            f"ECOM_LAKE_URI={lake!r} is on S3 but ECOM_TARGET=local: local Spark and DuckDB "
            "work on a local lake folder (no hadoop-aws here); use ECOM_TARGET=aws for an S3 lake"
        )

    return Settings(
        landing_uri=landing,
        lake_uri=lake,
        warehouse=get("ECOM_WAREHOUSE"),
        target=target,
        start_date=parse_iso_date(get("ECOM_START_DATE"), "ECOM_START_DATE"),
        spark_master=get("ECOM_SPARK_MASTER"),
        quarantine=quarantine_limits(get),
        warehouse_lock_timeout_s=parse_seconds(
            get("ECOM_WAREHOUSE_LOCK_TIMEOUT_S"), "ECOM_WAREHOUSE_LOCK_TIMEOUT_S"
        ),
        landing_sensor_running=sensor_running(get("ECOM_LANDING_SENSOR")),
        gold_deadline=parse_clock_time(get("ECOM_GOLD_DEADLINE"), "ECOM_GOLD_DEADLINE"),
    )


def parse_seconds(value: str, setting: str) -> int:
    if not value.isdigit():
        raise SettingsError(f"{setting}={value!r} is not a whole number of seconds (>= 0)")
    return int(value)


def sensor_running(value: str) -> bool:
    if value.lower() not in ("running", "stopped"):
        raise SettingsError(f"ECOM_LANDING_SENSOR={value!r} is not one of: running, stopped")
    return value.lower() == "running"


def parse_clock_time(value: str, setting: str) -> time:
    try:
        parsed = time.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or len(value) != 5:
        raise SettingsError(f"{setting}={value!r} is not a time of day; use HH:MM (UTC)")
    return parsed


def quarantine_limits(get: Callable[[str], str]) -> QuarantineLimits:
    warn = parse_share(get("ECOM_QUARANTINE_WARN_RATE"), "ECOM_QUARANTINE_WARN_RATE")
    fail = parse_share(get("ECOM_QUARANTINE_FAIL_RATE"), "ECOM_QUARANTINE_FAIL_RATE")
    if warn > fail:
        raise SettingsError(
            f"ECOM_QUARANTINE_WARN_RATE={warn} is above ECOM_QUARANTINE_FAIL_RATE={fail}"
        )
    min_rows = get("ECOM_QUARANTINE_MIN_ROWS")
    if not min_rows.isdigit():
        raise SettingsError(f"ECOM_QUARANTINE_MIN_ROWS={min_rows!r} is not a whole number of rows")
    return QuarantineLimits(warn=warn, fail=fail, min_rows=int(min_rows))


def parse_share(value: str, setting: str) -> float:
    try:
        share = float(value)
    except ValueError:
        share = -1.0
    if not 0 <= share <= 1:
        raise SettingsError(f"{setting}={value!r} is not a number between 0 and 1")
    return share


@dataclass(frozen=True)
class AwsSettings:
    """What the `aws` target needs on top of the URIs; names match infra/ outputs."""

    region: str
    glue_job_name: str
    glue_catalog_database: str
    redshift_host: str
    redshift_port: int
    redshift_database: str
    redshift_spectrum_role_arn: str


AWS_VARIABLES = {
    "region": "AWS_REGION",
    "glue_job_name": "ECOM_GLUE_JOB_NAME",
    "glue_catalog_database": "ECOM_GLUE_CATALOG_DATABASE",
    "redshift_host": "ECOM_REDSHIFT_HOST",
    "redshift_port": "ECOM_REDSHIFT_PORT",
    "redshift_database": "ECOM_REDSHIFT_DATABASE",
    "redshift_spectrum_role_arn": "ECOM_REDSHIFT_SPECTRUM_ROLE_ARN",
}
AWS_DEFAULTS = {"ECOM_REDSHIFT_PORT": "5439", "ECOM_GLUE_CATALOG_DATABASE": "ecom_silver"}


def load_aws_settings(environ: dict[str, str] | None = None) -> AwsSettings:
    """Read the aws-target variables; raise SettingsError listing every missing one."""
    env = os.environ if environ is None else environ
    values = {
        field: (env.get(var, "").strip() or AWS_DEFAULTS.get(var, ""))
        for field, var in AWS_VARIABLES.items()
    }
    missing = [AWS_VARIABLES[f] for f, v in values.items() if not v]
    if missing:
        raise SettingsError("ECOM_TARGET=aws needs these variables set: " + ", ".join(missing))
    try:
        port = int(values["redshift_port"])
    except ValueError:
        port_value = values["redshift_port"]
        raise SettingsError(f"ECOM_REDSHIFT_PORT={port_value!r} is not a port number") from None
    return AwsSettings(**{**values, "redshift_port": port})
