"""The manifest is an exact answer key: every file outcome, defect and duplicate is real."""

from __future__ import annotations

import gzip
import re

import pytest

from ecom_platform.generator.coverage import REQUIRED_ROW_DEFECTS
from ecom_platform.generator.manifest import FileDefect, FileOutcome
from ecom_platform.lib.entities import ENTITIES, get_entity
from tests.generator.landing_checker import check_partition


def test_clean_run_has_no_defects_and_every_record_is_valid(clean_run):
    for (entity, dt), partition in clean_run.manifest.partitions.items():
        assert not partition.row_defects and not partition.duplicates
        assert all(entry.defect is None for entry in partition.files)
        assert all(entry.outcome is FileOutcome.INGESTED for entry in partition.files)
        check = check_partition(get_entity(entity), clean_run.partition_files(entity, dt))
        assert check.defects == {}, (entity, dt)
        assert check.duplicates == set(), (entity, dt)
        assert check.rows_read == partition.expected()["valid_rows"]


@pytest.mark.parametrize("entity", [e.name for e in ENTITIES])
def test_manifest_matches_what_the_files_hold(defective_run, entity):
    """Outcome per file, reason per record, duplicates and row counts, all as read back."""
    for dt in ("2024-01-01", "2024-01-02", "2024-01-03"):
        partition = defective_run.manifest.partition(entity, dt)
        check = check_partition(get_entity(entity), defective_run.partition_files(entity, dt))
        expected_outcomes = {e.name: (e.outcome.value, e.reason) for e in partition.files}
        assert check.outcomes == expected_outcomes, dt
        for entry in partition.files:
            if entry.records is not None:
                assert check.records[entry.name] == entry.records, entry.name
        injected = {(d.file, d.line): [d.reason] for d in partition.row_defects}
        assert check.defects == injected, dt
        assert check.duplicates == {(d.file, d.line) for d in partition.duplicates}, dt
        expected = partition.expected()
        assert check.rows_read == expected["rows_read"]
        assert len(check.valid) == expected["valid_rows"] + expected["duplicates"]


def test_every_defect_class_is_present(defective_run):
    partitions = defective_run.manifest.partitions.values()
    placed = {(p.entity, d.defect, d.column) for p in partitions for d in p.row_defects} | {
        (p.entity, d.placement, None) for p in partitions for d in p.duplicates
    }
    for entity, choice in REQUIRED_ROW_DEFECTS:
        assert (entity, choice.variant, choice.column) in placed, (entity, choice)
    reasons = {d.reason.split(":")[0] for p in partitions for d in p.row_defects}
    assert reasons == {"malformed_record", "missing_required", "invalid_type", "invalid_value"}
    file_defects = {entry.defect for p in partitions for entry in p.files if entry.defect}
    assert file_defects == set(FileDefect)
    missing_product = [
        (partition, defect)
        for partition in partitions
        for defect in partition.row_defects
        if defect.reason == "missing_required:product_id"
    ]
    assert any(
        "product_view" in physical_line(defective_run, *found).lower() for found in missing_product
    )
    compressed = {entry.format for p in partitions for entry in p.files if entry.compression}
    assert compressed == {"csv", "jsonl"}


INVALID_CODES = ("XX", "UK", "ZZ", "EU", "QQ")
LOOKS_LIKE = {
    "hour_25": lambda line: "T25:" in line,
    "slash_date": lambda line: re.search(r"\d{4}/\d{2}/\d{2}", line),
    "decimal_comma": lambda line: re.search(r'"\d+,\d{2}"', line),
    "thousands_separator": lambda line: re.search(r'"\d{1,2},\d{3}\.\d{2}"', line),
    "maybe": lambda line: "maybe" in line.lower() or "unknown" in line.lower(),
    "unknown_code": lambda line: any(f",{code}," in f",{line}," for code in INVALID_CODES),
    "impossible_date": lambda line: re.search(r"\d{4}-(02-30|04-31|13-05)", line),
}


def physical_line(run, partition, defect) -> str:
    raw = run.partition_files(partition.entity, partition.dt)[defect.file]
    text = (gzip.decompress(raw) if defect.file.endswith(".gz") else raw).decode("utf-8")
    return text.split("\n")[defect.line - 1]


def test_injected_values_look_like_the_contract_examples(defective_run):
    """Spot checks on the raw text: the variants are the ones the contract names."""
    for partition in defective_run.manifest.partitions.values():
        for defect in partition.row_defects:
            if defect.defect in LOOKS_LIKE:
                line = physical_line(defective_run, partition, defect)
                assert LOOKS_LIKE[defect.defect](line), (defect, line)


def test_duplicates_repeat_valid_records_in_the_same_or_another_file(defective_run):
    placements = set()
    for partition in defective_run.manifest.partitions.values():
        for duplicate in partition.duplicates:
            placements.add(duplicate.placement)
            assert (duplicate.file, duplicate.line) != (
                duplicate.original_file,
                duplicate.original_line,
            )
            assert (duplicate.placement == "same_file") == (
                duplicate.file == duplicate.original_file
            )
    assert placements == {"same_file", "other_file"}


def test_late_file_lands_in_an_earlier_folder_after_later_days(defective_run):
    late = [
        (partition, entry)
        for partition in defective_run.manifest.partitions.values()
        for entry in partition.files
        if entry.defect is FileDefect.LATE_FILE
    ]
    assert late
    progress = defective_run.progress
    for partition, entry in late:
        assert entry.delivered_after > partition.dt
        delivered = next(i for i, line in enumerate(progress) if line.endswith(entry.name))
        day_done = next(
            i for i, line in enumerate(progress) if line.startswith(f"{entry.delivered_after} ")
        )
        assert delivered > day_done
