"""Row rules from the entity specs: required fields, domains, cross-column rules, reason codes.

Codes follow CONTRACT.md section 3 exactly. A column yields at most one code,
checked in this order: missing_required, invalid_type, invalid_value (its own
domain), invalid_value (a cross-column rule, reported on the later column and
applied only when every value involved is valid). A row lists the codes of all
its defective columns in spec column order.
"""

from __future__ import annotations

from functools import reduce

from pyspark.sql import Column as SparkColumn
from pyspark.sql import functions as F

from ecom_platform.lib.entities import Column, CrossColumnRule, Entity, Normalize
from ecom_platform.spark_jobs.parsing import PARSERS

MALFORMED_RECORD = "malformed_record"
REASON_SEPARATOR = ";"


def raw_name(column: str) -> str:
    """The trimmed raw string of a column (NULL when empty or absent)."""
    return f"__raw__{column}"


def code_name(column: str) -> str:
    return f"__code__{column}"


def missing_required(column: str) -> str:
    return f"missing_required:{column}"


def invalid_type(column: str) -> str:
    return f"invalid_type:{column}"


def invalid_value(column: str) -> str:
    return f"invalid_value:{column}"


def typed_value(column: Column) -> SparkColumn:
    """The silver value: parsed to its type, strings normalised (enum lower, email, country)."""
    value = PARSERS[column.type](raw_name(column.name))
    if column.enum is not None or column.normalize is Normalize.LOWER:
        return F.lower(value)
    if column.normalize is Normalize.UPPER:
        return F.upper(value)
    return value


def domain_ok(column: Column) -> SparkColumn | None:
    """True when the (typed) value is inside the column's domain; None when any value is."""
    value = F.col(column.name)
    conditions = []
    if column.enum is not None:
        conditions.append(value.isin(*column.enum))
    if column.allowed is not None:
        conditions.append(value.isin(*sorted(column.allowed)))
    if column.min_value is not None:
        conditions.append(value >= F.lit(column.min_value))
    return reduce(lambda a, b: a & b, conditions) if conditions else None


def required_condition(entity: Entity, column: Column) -> SparkColumn:
    """When a NULL in this column is a defect: always, or when another column says so."""
    if column.required:
        return F.lit(True)
    conditions = [
        F.col(rule.when_column).isin(*rule.values)
        for rule in entity.required_when
        if rule.column == column.name
    ]
    return reduce(lambda a, b: a | b, conditions, F.lit(False))


def own_defect(entity: Entity, column: Column) -> SparkColumn:
    """The code for a column judged on its own (NULL when it has no defect)."""
    raw, value = F.col(raw_name(column.name)), F.col(column.name)
    code = F.when(
        raw.isNull(),
        F.when(required_condition(entity, column), F.lit(missing_required(column.name))),
    ).when(value.isNull(), F.lit(invalid_type(column.name)))
    in_domain = domain_ok(column)
    if in_domain is not None:
        code = code.when(~in_domain, F.lit(invalid_value(column.name)))
    return code


def is_valid_value(column: str) -> SparkColumn:
    return F.col(column).isNotNull() & F.col(code_name(column)).isNull()


def rule_holds(rule: CrossColumnRule) -> SparkColumn:
    bound = reduce(lambda a, b: a * b, (F.col(name) for name in rule.operands))
    value = F.col(rule.column)
    return value >= bound if rule.op == ">=" else value <= bound


def cross_rule_defect(rule: CrossColumnRule) -> SparkColumn:
    """`invalid_value` on the rule's column when every value is valid and the rule fails."""
    involved = (rule.column, *rule.operands)
    all_valid = reduce(lambda a, b: a & b, (is_valid_value(name) for name in involved))
    return F.when(all_valid & ~rule_holds(rule), F.lit(invalid_value(rule.column)))


def column_defect_with_rules(entity: Entity, column: Column) -> SparkColumn:
    """The final code of a column: its own defect, else any cross-column rule it breaks."""
    codes = [F.col(code_name(column.name))]
    codes += [cross_rule_defect(rule) for rule in entity.cross_rules if rule.column == column.name]
    return F.coalesce(*codes) if len(codes) > 1 else codes[0]


def reason(entity: Entity, malformed: SparkColumn) -> SparkColumn:
    """Every defect of a row in spec column order, `;`-joined ("" for a valid row).

    `concat_ws` skips NULLs and compiles to plain code, unlike filtering an
    array with a lambda; a malformed record carries only `malformed_record`.
    """
    codes = F.concat_ws(
        REASON_SEPARATOR, *(column_defect_with_rules(entity, c) for c in entity.columns)
    )
    return F.when(malformed, F.lit(MALFORMED_RECORD)).otherwise(codes)
