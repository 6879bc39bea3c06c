"""Stand-ins for dbt's cross-database macros (`dbt.type_string()`, ...) for the SQL linter.

sqlfluff's jinja templater renders models without dbt; these return plain DuckDB SQL of the
same shape, so the linter sees the model's own SQL around them.
"""


def type_string() -> str:
    return "varchar"


def type_timestamp() -> str:
    return "timestamp"


def generate_series(upper_bound: int) -> str:
    return f"select generate_series as generated_number from generate_series(1, {upper_bound})"


def dateadd(datepart: str, interval: str, from_date: str) -> str:
    return f"{from_date} + {interval}"


def datediff(first: str, second: str, datepart: str) -> str:
    return f"date_diff('{datepart}', {first}, {second})"
