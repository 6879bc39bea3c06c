"""The Glue Data Catalog partitions through which Redshift Spectrum reads silver and quarantine.

Spectrum lists a partition's location recursively, so a location must be one version prefix
(`dt=<dt>/v=<run>/`), never the `dt=` folder that holds several versions. Right after a run
makes its version current (lib/partition_pointer.py), it moves the catalog partition there:
UpdatePartition, or CreatePartition for a new day. Written against boto3's Glue client; the
silver Glue job's role may call exactly these actions on these tables (infra/modules/iam).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ecom_platform.lib.lake import Layer

NOT_FOUND = "EntityNotFoundException"
ALREADY_EXISTS = "AlreadyExistsException"


@dataclass(frozen=True)
class CatalogPartition:
    """A partition as the catalog names it: silver has one table per entity (key `dt`);
    quarantine is one table over every entity (keys `partition_entity`, `partition_dt`,
    as `codegen.LAKE_PARTITION_KEYS`)."""

    table: str
    values: tuple[str, ...]

    @classmethod
    def of(cls, layer: Layer, entity: str, dt: str) -> CatalogPartition:
        if layer is Layer.SILVER:
            return cls(entity, (dt,))
        if layer is Layer.QUARANTINE:
            return cls(str(layer), (entity, dt))
        raise ValueError(f"the {layer} layer is not published through the catalog")


def error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


@dataclass(frozen=True)
class GlueCatalog:
    """One catalog database; `client` is a boto3 Glue client."""

    client: Any
    database: str

    def location(self, partition: CatalogPartition) -> str | None:
        """The partition's location, None when the catalog has no such partition."""
        found = self.get_partition(partition)
        return None if found is None else found["StorageDescriptor"]["Location"]

    def set_location(self, partition: CatalogPartition, location: str) -> None:
        """Make the catalog partition read `location`, creating it like the table if new."""
        existing = self.get_partition(partition)
        if existing is None:
            try:
                self.create(partition, location)
                return
            except ClientError as error:
                if error_code(error) != ALREADY_EXISTS:
                    raise
                existing = self.get_partition(partition)  # another run created it meanwhile
        if existing["StorageDescriptor"]["Location"] != location:
            self.update(partition, existing, location)

    def get_partition(self, partition: CatalogPartition) -> dict | None:
        try:
            return self.client.get_partition(
                DatabaseName=self.database,
                TableName=partition.table,
                PartitionValues=list(partition.values),
            )["Partition"]
        except ClientError as error:
            if error_code(error) == NOT_FOUND:
                return None
            raise

    def create(self, partition: CatalogPartition, location: str) -> None:
        """A new partition reads like its table (columns, Parquet SerDe) from `location`."""
        table = self.client.get_table(DatabaseName=self.database, Name=partition.table)["Table"]
        self.client.create_partition(
            DatabaseName=self.database,
            TableName=partition.table,
            PartitionInput={
                "Values": list(partition.values),
                "StorageDescriptor": {**table["StorageDescriptor"], "Location": location},
            },
        )

    def update(self, partition: CatalogPartition, existing: dict, location: str) -> None:
        self.client.update_partition(
            DatabaseName=self.database,
            TableName=partition.table,
            PartitionValueList=list(partition.values),
            PartitionInput={
                "Values": list(partition.values),
                "StorageDescriptor": {**existing["StorageDescriptor"], "Location": location},
                "Parameters": existing.get("Parameters", {}),
            },
        )
