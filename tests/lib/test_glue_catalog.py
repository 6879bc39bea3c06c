"""The catalog step: a partition's location moves to a version, against boto3's Glue API."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from botocore.validate import ParamValidationError

from ecom_platform.lib.glue_catalog import CatalogPartition, GlueCatalog
from ecom_platform.lib.lake import Layer
from tests.glue_standin import StandInGlue, table_descriptor

LAKE = "s3://ecom-lake"
ORDERS = CatalogPartition.of(Layer.SILVER, "orders", "2024-01-01")


@pytest.fixture
def glue() -> StandInGlue:
    return StandInGlue(LAKE)


def test_silver_and_quarantine_name_their_catalog_partitions() -> None:
    assert CatalogPartition("orders", ("2024-01-01",)) == ORDERS
    quarantine = CatalogPartition.of(Layer.QUARANTINE, "orders", "2024-01-01")
    assert quarantine == CatalogPartition("quarantine", ("orders", "2024-01-01"))
    with pytest.raises(ValueError, match="silver_stats"):
        CatalogPartition.of(Layer.STATS, "orders", "2024-01-01")


def test_a_new_partition_is_created_like_its_table_at_the_version(glue: StandInGlue) -> None:
    location = f"{LAKE}/silver/orders/dt=2024-01-01/v=a/"
    GlueCatalog(glue, glue.database).set_location(ORDERS, location)
    assert glue.operations() == ["GetPartition", "GetTable", "CreatePartition"]
    created = glue.partitions[("orders", ("2024-01-01",))]["StorageDescriptor"]
    assert created["Location"] == location
    assert {c["Name"] for c in created["Columns"]} >= {"order_id", "_source_file"}
    assert created["SerdeInfo"]["SerializationLibrary"].endswith("ParquetHiveSerDe")


def test_an_existing_partition_moves_and_keeps_its_descriptor(glue: StandInGlue) -> None:
    catalog = GlueCatalog(glue, glue.database)
    catalog.set_location(ORDERS, f"{LAKE}/silver/orders/dt=2024-01-01/v=a/")
    glue.calls.clear()
    catalog.set_location(ORDERS, f"{LAKE}/silver/orders/dt=2024-01-01/v=b/")
    assert glue.operations() == ["GetPartition", "UpdatePartition"]
    assert catalog.location(ORDERS) == f"{LAKE}/silver/orders/dt=2024-01-01/v=b/"
    moved = glue.partitions[("orders", ("2024-01-01",))]["StorageDescriptor"]
    assert moved["InputFormat"].endswith("MapredParquetInputFormat")


def test_a_partition_already_there_is_not_written_again(glue: StandInGlue) -> None:
    catalog = GlueCatalog(glue, glue.database)
    catalog.set_location(ORDERS, f"{LAKE}/silver/orders/dt=2024-01-01/v=a/")
    glue.calls.clear()
    catalog.set_location(ORDERS, f"{LAKE}/silver/orders/dt=2024-01-01/v=a/")
    assert glue.operations() == ["GetPartition"]


def test_a_partition_another_run_created_meanwhile_is_updated(glue: StandInGlue) -> None:
    """CreatePartition loses to a concurrent run (AlreadyExists): this run updates instead."""
    real_get = glue.get_partition
    other = {"Location": f"{LAKE}/silver/orders/dt=2024-01-01/v=other/"}

    def miss_while_another_run_creates(**params):
        glue.get_partition = real_get
        with pytest.raises(ClientError) as missing:
            real_get(**params)
        glue.partitions[("orders", ("2024-01-01",))] = {
            "Values": ["2024-01-01"],
            "StorageDescriptor": {**table_descriptor("orders", LAKE), **other},
        }
        raise missing.value

    glue.get_partition = miss_while_another_run_creates
    catalog = GlueCatalog(glue, glue.database)
    catalog.set_location(ORDERS, f"{LAKE}/silver/orders/dt=2024-01-01/v=mine/")
    assert catalog.location(ORDERS) == f"{LAKE}/silver/orders/dt=2024-01-01/v=mine/"
    assert glue.operations()[:5] == [
        "GetPartition",
        "GetTable",
        "CreatePartition",
        "GetPartition",
        "UpdatePartition",
    ]


def test_the_stand_in_refuses_what_boto3_would(glue: StandInGlue) -> None:
    with pytest.raises(ParamValidationError):
        glue.get_partition(DatabaseName="ecom_silver", TableName="orders", Values=["x"])
