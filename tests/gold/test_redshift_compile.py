"""The Redshift path without Redshift: compile offline, then parse every statement as Redshift.

sqlglot parses generously (it knows DuckDB functions such as `isodow` in any dialect), so
besides parsing, every function called by name must be one Redshift has: a DuckDB-only
function leaking into the Redshift branch of a macro fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.dialects.redshift import Redshift
from sqlglot.errors import ErrorLevel
from sqlglot.tokens import TokenType

from tests.gold.conftest import run_dbt

pytestmark = pytest.mark.slow

DUMMY_REDSHIFT = {
    "ECOM_TARGET": "aws",
    "ECOM_REDSHIFT_HOST": "127.0.0.1",
    "ECOM_REDSHIFT_PORT": "5439",
    "ECOM_REDSHIFT_DATABASE": "ecom",
    "AWS_REGION": "us-east-1",  # IAM sign-in: no user or password in the profile
}
# Functions the models may call on Redshift (names as written, lower-case).
REDSHIFT_FUNCTIONS = frozenset(
    """
    cast coalesce count date_part dateadd datediff extract lead max md5 min nullif power
    row_number strtol substring sum to_char trim
    """.split()
)


# docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html: usable as names only when quoted.
REDSHIFT_RESERVED = frozenset(
    """
    aes128 aes256 all allowoverwrite analyse analyze and any array as asc authorization az64
    backup between binary blanksasnull both bytedict bzip2 case cast check collate column
    constraint create credentials cross current_date current_time current_timestamp
    current_user current_user_id default deferrable deflate defrag delta delta32k desc
    disable distinct do else emptyasnull enable encode encrypt encryption end except explicit
    false for foreign freeze from full globaldict256 globaldict64k grant group gzip having
    identity ignore ilike in initially inner intersect interval into is isnull join leading
    left like limit localtime localtimestamp lun luns lzo lzop minus mostly16 mostly32
    mostly8 natural new not notnull null nulls off offline offset oid old on only open or
    order outer overlaps parallel partition percent permissions pivot placing primary raw
    readratio recover references rejectlog resort respect restore right select session_user
    similar snapshot some sysdate system table tag tdes text255 text32k then timestamp to top
    trailing true truncatecolumns union unique unnest unpivot user using verbose wallet when
    where with without
    """.split()
)


def unquoted_names(sql: str) -> set[str]:
    """Table, column and alias names written without quotes."""
    return {
        identifier.name.lower()
        for statement in sqlglot.parse(sql, read="redshift")
        for identifier in statement.find_all(exp.Identifier)
        if not identifier.quoted
    }


def called_functions(sql: str) -> set[str]:
    """Names written as `name(`: identifiers the Redshift tokenizer sees before a parenthesis."""
    tokens = Redshift().tokenize(sql)
    return {
        token.text.lower()
        for token, following in zip(tokens, tokens[1:], strict=False)
        if token.token_type is TokenType.VAR and following.token_type is TokenType.L_PAREN
    }


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt compile --target redshift` with dummy credentials and nothing listening."""
    target = tmp_path_factory.mktemp("redshift_target")
    root = tmp_path_factory.mktemp("redshift")
    run_dbt(
        [
            "compile",
            "--target",
            "redshift",
            "--no-populate-cache",
            "--vars",
            json.dumps({"render_incremental": True}),
        ],
        lake=root / "lake",
        warehouse=root / "unused.duckdb",
        target_path=target,
        env={**DUMMY_REDSHIFT, "ECOM_LAKE_URI": "s3://ecom-lake/lake"},
    )
    return target


def compiled_files(compiled: Path) -> list[Path]:
    files = sorted((compiled / "compiled" / "ecom_dbt").rglob("*.sql"))
    assert len(files) > 100, "models, analyses and tests should all be compiled"
    return files


def test_every_compiled_statement_parses_as_redshift(compiled: Path) -> None:
    for path in compiled_files(compiled):
        statements = sqlglot.parse(path.read_text(), read="redshift", error_level=ErrorLevel.RAISE)
        assert statements, path


def test_only_redshift_functions_are_called(compiled: Path) -> None:
    for path in compiled_files(compiled):
        unknown = called_functions(path.read_text()) - REDSHIFT_FUNCTIONS
        assert not unknown, f"{path.name} calls functions Redshift lacks: {sorted(unknown)}"


def test_no_reserved_word_is_used_as_a_name(compiled: Path) -> None:
    for path in compiled_files(compiled):
        clashes = unquoted_names(path.read_text()) & REDSHIFT_RESERVED
        assert not clashes, f"{path.name} uses Redshift reserved words as names: {clashes}"


def test_function_check_catches_duckdb_dialect() -> None:
    sql = "select isodow(d), strftime(d, '%Y'), md5(x) from t where d in (select 1)"
    assert called_functions(sql) - REDSHIFT_FUNCTIONS == {"isodow", "strftime"}


def test_incremental_branch_and_spectrum_sources_are_rendered(compiled: Path) -> None:
    models = compiled / "compiled" / "ecom_dbt" / "models"
    fact = (models / "marts" / "facts" / "fact_order_items.sql").read_text()
    assert '"ecom"."gold"."fact_order_items"' in fact  # {{ this }}: the incremental branch
    staging = (models / "staging" / "stg_orders.sql").read_text()
    assert '"silver"."orders"' in staging and "read_parquet" not in staging


def test_redshift_physical_design_is_configured(compiled: Path) -> None:
    nodes = json.loads((compiled / "manifest.json").read_text())["nodes"]
    fact = nodes["model.ecom_dbt.fact_order_items"]["config"]
    assert (fact["dist"], fact["sort"]) == ("order_id", ["order_date_key"])
    assert nodes["model.ecom_dbt.int_orders_latest"]["config"]["backup"] is False
    assert nodes["model.ecom_dbt.stg_orders"]["config"]["bind"] is False
