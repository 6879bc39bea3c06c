"""Defect variants every run with defects must contain, so tests can rely on each one.

Random injection at a small rate would leave rare variants out of short runs;
these are placed on the first records that can carry them (usually on day
one) and then the random injection takes over.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ecom_platform.generator.defects import DefectChoice
from ecom_platform.generator.defects import DefectKind as K

REQUIRED_ROW_DEFECTS: tuple[tuple[str, DefectChoice], ...] = (
    ("orders", DefectChoice(K.MALFORMED, "short_row")),
    ("order_items", DefectChoice(K.MALFORMED, "long_row")),
    ("customers", DefectChoice(K.MALFORMED, "broken_quoting")),
    ("web_events", DefectChoice(K.MALFORMED, "invalid_json")),
    ("web_events", DefectChoice(K.MALFORMED, "not_an_object")),
    ("customers", DefectChoice(K.MISSING_REQUIRED, "empty", "email")),
    ("orders", DefectChoice(K.MISSING_REQUIRED, "whitespace", "customer_id")),
    ("web_events", DefectChoice(K.MISSING_REQUIRED, "null", "session_id")),
    ("web_events", DefectChoice(K.MISSING_REQUIRED, "empty_string", "device")),
    ("web_events", DefectChoice(K.MISSING_REQUIRED, "absent_key", "event_ts")),
    ("web_events", DefectChoice(K.MISSING_REQUIRED, "absent_key", "product_id")),  # product_view
    ("orders", DefectChoice(K.INVALID_TYPE, "impossible_date", "order_ts")),
    ("payments", DefectChoice(K.INVALID_TYPE, "hour_25", "payment_ts")),
    ("web_events", DefectChoice(K.INVALID_TYPE, "slash_date", "event_ts")),
    ("campaigns", DefectChoice(K.INVALID_TYPE, "impossible_date", "start_date")),
    ("products", DefectChoice(K.INVALID_TYPE, "decimal_comma", "unit_price")),
    ("payments", DefectChoice(K.INVALID_TYPE, "thousands_separator", "amount")),
    ("order_items", DefectChoice(K.INVALID_TYPE, "word", "quantity")),
    ("inventory", DefectChoice(K.INVALID_TYPE, "fraction", "on_hand_qty")),
    ("products", DefectChoice(K.INVALID_TYPE, "maybe", "is_active")),
    ("payments", DefectChoice(K.INVALID_VALUE, "negative", "amount")),
    ("order_items", DefectChoice(K.INVALID_VALUE, "below_minimum", "quantity")),
    ("orders", DefectChoice(K.INVALID_VALUE, "unknown_enum", "status")),
    ("customers", DefectChoice(K.INVALID_VALUE, "unknown_code", "country_code")),
    ("order_items", DefectChoice(K.CROSS_COLUMN, "cross_rule", "discount_amount")),
    ("shipments", DefectChoice(K.CROSS_COLUMN, "cross_rule", "delivered_ts")),
    ("campaigns", DefectChoice(K.CROSS_COLUMN, "cross_rule", "end_date")),
    ("orders", DefectChoice(K.DUPLICATE, "same_file")),
    ("order_items", DefectChoice(K.DUPLICATE, "other_file")),
    ("web_events", DefectChoice(K.DUPLICATE, "same_file")),
    ("inventory", DefectChoice(K.DUPLICATE, "same_file")),
)


# Records a required variant must be placed on, where the variant alone would allow others.
PLACE_ONLY_WHERE: dict[tuple[str, DefectChoice], tuple[str, str]] = {
    ("web_events", DefectChoice(K.MISSING_REQUIRED, "absent_key", "product_id")): (
        "event_type",
        "product_view",
    ),
}


class Coverage:
    """The required variants not placed yet, per entity, in their listed order."""

    def __init__(self, required: Iterable[tuple[str, DefectChoice]]) -> None:
        self.pending: dict[str, list[DefectChoice]] = {}
        for entity, choice in required:
            self.pending.setdefault(entity, []).append(choice)

    def has_pending(self, entity: str) -> bool:
        return bool(self.pending.get(entity))

    def wants_other_file(self, entity: str) -> bool:
        return any(choice.variant == "other_file" for choice in self.pending.get(entity, ()))

    def take(
        self, entity: str, record: dict[str, Any], options: list[DefectChoice]
    ) -> DefectChoice | None:
        """The first pending variant this record can carry; it counts as placed."""
        pending = self.pending.get(entity, [])
        for choice in pending:
            condition = PLACE_ONLY_WHERE.get((entity, choice))
            if condition is not None and record.get(condition[0]) != condition[1]:
                continue
            if choice in options:
                pending.remove(choice)
                return choice
        return None

    def remaining(self, entity: str) -> list[DefectChoice]:
        return list(self.pending.get(entity, ()))

    def set_remaining(self, entity: str, choices: list[DefectChoice]) -> None:
        """Take over what a copy of this coverage (in a forked writer) has left to place."""
        if choices or entity in self.pending:
            self.pending[entity] = list(choices)

    def unplaced(self) -> list[tuple[str, DefectChoice]]:
        return [(entity, choice) for entity, choices in self.pending.items() for choice in choices]
