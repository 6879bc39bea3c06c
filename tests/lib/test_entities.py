import pytest

from ecom_platform.lib.entities import ENTITIES, ENTITY_BY_NAME, ColumnType, get_entity


def test_the_nine_contract_entities_are_specified():
    assert set(ENTITY_BY_NAME) == {
        "customers",
        "products",
        "campaigns",
        "orders",
        "order_items",
        "payments",
        "shipments",
        "web_events",
        "inventory",
    }


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.name)
def test_specs_are_internally_consistent(entity):
    names = set(entity.column_names)
    assert set(entity.key) <= set(entity.required_columns), "key columns must be required"
    assert set(entity.dedupe_key) <= names
    for rule in entity.cross_rules:
        assert {rule.column, *rule.operands} <= names
    for rule in entity.required_when:
        assert {rule.column, rule.when_column} <= names
        assert set(rule.values) <= set(entity.column(rule.when_column).enum)
    for ref in entity.references:
        assert ref.column in names
        assert ref.parent_column in ENTITY_BY_NAME[ref.parent].key
    for column in entity.columns:
        if column.enum:
            assert all(v == v.strip().lower() for v in column.enum)
        if column.min_value is not None:
            assert column.type in (ColumnType.INT, ColumnType.DECIMAL)


def test_versions_follow_the_contract():
    assert get_entity("customers").dedupe_key == ("customer_id", "updated_at")
    assert get_entity("inventory").dedupe_key == ("warehouse_id", "product_id", "snapshot_date")
    assert get_entity("order_items").dedupe_key == ("order_id", "line_number")
    assert get_entity("web_events").extensions == (".jsonl", ".jsonl.gz")


def test_unknown_entity_names_the_known_ones():
    with pytest.raises(ValueError, match="known entities: customers"):
        get_entity("invoices")
