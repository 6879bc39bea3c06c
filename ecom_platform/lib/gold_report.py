"""The first two questions asked of the warehouse, answered by the project's dbt analyses.

`make demo` ends with this summary. The analyses are plain SQL over the gold tables, so they
run here unmodified on a read-only DuckDB connection (one writer at a time: readers never
take the write lock).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from ecom_platform.lib.dbt_location import dbt_project_dir

ANALYSES_DIR = dbt_project_dir() / "analyses"
MONTHLY_REVENUE = "monthly_revenue_trend"
TOP_PRODUCTS = "top_products_by_revenue"


@dataclass(frozen=True)
class QueryResult:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]

    def render(self) -> str:
        """A plain text table: the title, a header and one line per row."""
        cells = [self.columns, *(tuple(_text(v) for v in row) for row in self.rows)]
        widths = [max(len(str(line[i])) for line in cells) for i in range(len(self.columns))]
        lines = [self.title]
        for line in cells:
            lines.append("  ".join(str(v).ljust(w) for v, w in zip(line, widths, strict=True)))
        return "\n".join(line.rstrip() for line in lines)


@dataclass(frozen=True)
class GoldReport:
    monthly_revenue: QueryResult
    top_products: QueryResult

    def render(self) -> str:
        return f"{self.monthly_revenue.render()}\n\n{self.top_products.render()}"


def _text(value: object) -> str:
    return "" if value is None else str(value)


def analysis_sql(name: str) -> str:
    return (ANALYSES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run_analysis(con: duckdb.DuckDBPyConnection, name: str, title: str) -> QueryResult:
    cursor = con.execute(analysis_sql(name))
    columns = tuple(d[0] for d in cursor.description)
    return QueryResult(title=title, columns=columns, rows=tuple(cursor.fetchall()))


def load_gold_report(warehouse: str | Path) -> GoldReport:
    """Run both analyses against the gold tables of a DuckDB warehouse file."""
    path = Path(warehouse)
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: materialize the gold assets first")
    with duckdb.connect(str(path), read_only=True) as con:
        return GoldReport(
            monthly_revenue=run_analysis(con, MONTHLY_REVENUE, "Monthly revenue"),
            top_products=run_analysis(con, TOP_PRODUCTS, "Top 10 products by revenue"),
        )


def format_gold_report(warehouse: str | Path) -> str:
    """The summary `make demo` ends with: monthly revenue, then the top 10 products."""
    return load_gold_report(warehouse).render()
