"""A stand-in for boto3's Glue client at the catalog boundary (no Glue here).

Every request is checked against botocore's own Glue service model, so a call the real
client would refuse fails here too; partitions live in memory and every call is recorded.
"""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path

import botocore.session
from botocore.exceptions import ClientError
from botocore.validate import validate_parameters

SILVER_TABLES = Path(__file__).parents[1] / "infra" / "modules" / "glue" / "silver_tables.json"


def table_descriptor(table: str, lake: str) -> dict:
    """A table's StorageDescriptor as infra/modules/glue creates it."""
    columns = json.loads(SILVER_TABLES.read_text()).get(table, [])
    return {
        "Columns": [{"Name": c["name"], "Type": c["type"]} for c in columns],
        "Location": f"{lake}/silver/{table}/",
        "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        "SerdeInfo": {
            "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            "Parameters": {"serialization.format": "1"},
        },
    }


class StandInGlue:
    def __init__(self, lake: str, database: str = "ecom_silver") -> None:
        self.lake = lake
        self.database = database
        self.model = botocore.session.get_session().get_service_model("glue")
        self.partitions: dict[tuple[str, tuple[str, ...]], dict] = {}
        self.calls: list[tuple[str, dict]] = []
        self.failures: list[str] = []  # operations that fail once each, in order of the list
        self.lock = threading.Lock()

    def call(self, operation: str, params: dict) -> None:
        validate_parameters(params, self.model.operation_model(operation).input_shape)
        with self.lock:
            self.calls.append((operation, copy.deepcopy(params)))
            if operation in self.failures:
                self.failures.remove(operation)
                raise ClientError({"Error": {"Code": "InternalServiceException"}}, operation)
        assert params["DatabaseName"] == self.database

    def location(self, table: str, *values: str) -> str | None:
        found = self.partitions.get((table, values))
        return None if found is None else found["StorageDescriptor"]["Location"]

    def get_table(self, **params) -> dict:
        self.call("GetTable", params)
        descriptor = table_descriptor(params["Name"], self.lake)
        return {"Table": {"Name": params["Name"], "StorageDescriptor": descriptor}}

    def get_partition(self, **params) -> dict:
        self.call("GetPartition", params)
        key = (params["TableName"], tuple(params["PartitionValues"]))
        with self.lock:
            if key not in self.partitions:
                raise ClientError({"Error": {"Code": "EntityNotFoundException"}}, "GetPartition")
            return {"Partition": copy.deepcopy(self.partitions[key])}

    def create_partition(self, **params) -> dict:
        self.call("CreatePartition", params)
        partition = params["PartitionInput"]
        key = (params["TableName"], tuple(partition["Values"]))
        with self.lock:
            if key in self.partitions:
                raise ClientError({"Error": {"Code": "AlreadyExistsException"}}, "CreatePartition")
            self.partitions[key] = copy.deepcopy(partition)
        return {}

    def update_partition(self, **params) -> dict:
        self.call("UpdatePartition", params)
        key = (params["TableName"], tuple(params["PartitionValueList"]))
        with self.lock:
            if key not in self.partitions:
                raise ClientError({"Error": {"Code": "EntityNotFoundException"}}, "UpdatePartition")
            self.partitions[key] = copy.deepcopy(params["PartitionInput"])
        return {}

    def operations(self) -> list[str]:
        return [operation for operation, _ in self.calls]
