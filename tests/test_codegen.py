"""The files rendered from the specs are checked in up to date, and a spec change shows up."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import yaml

from ecom_platform import codegen
from ecom_platform.lib import lake
from ecom_platform.lib.entities import ENTITIES, get_entity


def test_checked_in_files_match_the_specs(capsys: pytest.CaptureFixture[str]) -> None:
    """What `make test` relies on: a spec edited without `make codegen` fails here."""
    assert codegen.main(["--check"]) == 0, capsys.readouterr().err


def test_check_names_each_stale_file_and_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    codegen.main([], root=tmp_path)
    capsys.readouterr()
    stale = tmp_path / codegen.SILVER_SOURCES_FILE
    stale.write_text(stale.read_text().replace('data_type: "timestamp"', 'data_type: "date"'))

    assert codegen.main(["--check"], root=tmp_path) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{codegen.SILVER_SOURCES_FILE} is out of date: run `{codegen.COMMAND}`"]

    assert codegen.main([], root=tmp_path) == 0
    assert codegen.main(["--check"], root=tmp_path) == 0


def test_every_generated_file_is_written_and_says_so(tmp_path: Path) -> None:
    codegen.main([], root=tmp_path)
    for generated in codegen.generated_files():
        text = (tmp_path / generated.path).read_text()
        if generated.path.suffix != ".json":  # JSON has no comments
            assert codegen.HEADER in text.splitlines()[0], generated.path


def test_silver_sources_carry_every_contract_and_lineage_column_typed_for_dbt() -> None:
    sources = yaml.safe_load(codegen.render_silver_sources())["sources"]
    (silver,) = sources
    tables = {t["name"]: t for t in silver["tables"]}
    assert list(tables) == [e.name for e in ENTITIES]
    columns = {c["name"]: c["data_type"] for c in tables["orders"]["columns"]}
    expected = [*get_entity("orders").column_names, *(c.name for c in lake.SILVER_LINEAGE), "dt"]
    assert list(columns) == expected
    assert columns["order_ts"] == "timestamp"
    assert columns["shipping_amount"] == "decimal(18,2)"
    assert columns["_line_number"] == "bigint"
    assert columns["dt"] == "date"
    # dbt-duckdb reads the lake in place; `{name}` is filled in per table by dbt.
    location = silver["config"]["meta"]["external_location"]
    assert "/silver/{name}/*/*.parquet" in location and "hive_partitioning = true" in location


def test_enum_dimensions_list_every_code_of_their_spec_column() -> None:
    for dim in codegen.ENUM_DIMENSIONS:
        codes = get_entity(dim.entity).column(dim.column).enum
        sql = codegen.render_enum_dimension_sql(dim)
        assert [code for code in codes if f"['{code}', " not in sql] == []
        tests = yaml.safe_load(codegen.render_enum_dimension_yml(dim))["models"][0]["columns"]
        accepted = tests[1]["data_tests"][1]["accepted_values"]["arguments"]["values"]
        assert accepted == [*codes, "(unknown)"]


def test_a_new_enum_value_without_a_display_name_fails_the_render() -> None:
    """Otherwise the new code would silently join the unknown member -1 in gold."""
    channels = codegen.ENUM_DIMENSIONS[0]
    names = dict(channels.display_names)
    del names["marketplace"]
    incomplete = dataclasses.replace(channels, display_names=names)
    with pytest.raises(codegen.CodegenError, match=r"orders\.channel .*: marketplace"):
        codegen.render_enum_dimension_sql(incomplete)


def test_a_display_name_for_a_code_the_spec_lacks_fails_the_render() -> None:
    channels = codegen.ENUM_DIMENSIONS[0]
    extra = dataclasses.replace(channels, display_names={**channels.display_names, "fax": "Fax"})
    with pytest.raises(codegen.CodegenError, match="fax"):
        codegen.render_enum_dimension_yml(extra)


def test_cli_reports_a_render_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    channels = codegen.ENUM_DIMENSIONS[0]
    broken = dataclasses.replace(channels, display_names={})
    monkeypatch.setattr(codegen, "ENUM_DIMENSIONS", (broken,))
    assert codegen.main(["--check"]) == 2
    assert "without a display name" in capsys.readouterr().err


def test_silver_catalog_tables_leave_the_partition_key_to_terraform() -> None:
    tables = json.loads(codegen.render_silver_tables())
    assert list(tables) == [e.name for e in ENTITIES]
    assert all("dt" not in {c["name"] for c in columns} for columns in tables.values())


def test_the_entities_macro_lists_every_enum_of_the_specs() -> None:
    text = codegen.render_entities_macro()
    for entity in ENTITIES:
        for column in entity.columns:
            if column.enum:
                values = ", ".join(f"'{v}'" for v in column.enum)
                assert f"'{entity.name}.{column.name}': [{values}]" in text


def test_no_hand_written_dbt_test_restates_an_enum_of_the_specs() -> None:
    """A restated list would fail the build after an enum is widened in the spec alone."""
    enums = {frozenset(c.enum) for e in ENTITIES for c in e.columns if c.enum}
    generated = {f"{dim.model}.yml" for dim in codegen.ENUM_DIMENSIONS}
    restated = []
    for path in sorted((codegen.DBT_DIR / "models").rglob("*.yml")):
        if path.name in generated:
            continue
        for line in path.read_text().splitlines():
            if line.strip().startswith("values: ["):
                values = frozenset(yaml.safe_load(line.strip())["values"]) - {"(unknown)"}
                if values in enums:
                    restated.append(f"{path.name}: {line.strip()}")
    assert restated == []
