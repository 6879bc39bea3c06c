"""Publishing one silver or quarantine partition on S3: readers see the old or the new one whole.

S3 has no folder rename, so a run never changes files readers may be reading. It
1. copies its staged files into a version prefix of its own, `dt=<dt>/v=<run>/` (server-side
   copies; no reader looks at a version until the pointer names it),
2. makes that version current with one compare-and-swap PUT of `dt=<dt>/_current`
   (lib/partition_pointer.py; concurrent runs serialise here, the last to finish wins),
3. moves the Glue catalog partition, which Spectrum reads, to the current version
   (lib/glue_catalog.py), and
4. deletes the partition's other versions except the previous one and any younger than
   KEEP_RECENT_S, so a reader that resolved the pointer just before the swap can finish.
A crash before step 2 leaves the old version current (the orphan version goes in a later
step 4); a crash between 2 and 3 leaves the catalog on the previous version, which step 4
keeps, until the next publish of the partition moves it.
"""

from __future__ import annotations

import time

from ecom_platform.lib import lake as layout
from ecom_platform.lib.glue_catalog import CatalogPartition, GlueCatalog
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.parquet_files import parquet_files
from ecom_platform.lib.partition_pointer import Pointer, point_to, read_pointer
from ecom_platform.lib.storage import FileInfo, open_store, split_s3_uri

KEEP_RECENT_S = 3600.0
CATALOG_ATTEMPTS = 5


class CatalogBehind(RuntimeError):
    """The pointer kept moving while this run wrote the catalog; a later publish fixes it."""


def publish_version(
    staged: str,
    lake: str,
    layer: Layer,
    entity: str,
    dt: str,
    version: str,
    catalog: GlueCatalog | None,
    keep_recent_s: float = KEEP_RECENT_S,
) -> None:
    """Steps 1-4 for the staged folder of one partition; `catalog` None: no Spectrum reads
    this lake (an S3 API other than AWS)."""
    write_version(staged, layout.version_uri(lake, layer, entity, dt, version))
    point_to(layout.pointer_uri(lake, layer, entity, dt), version)
    if catalog is not None:
        follow_pointer(catalog, lake, layer, entity, dt)
    remove_old_versions(lake, layer, entity, dt, keep_recent_s)


def write_version(staged: str, target: str) -> None:
    """Copy the staged Parquet files into the version prefix, inside S3 (no bytes pass here)."""
    client = open_store(target).client
    bucket, prefix = split_s3_uri(target)
    for uri in parquet_files(staged):
        source_bucket, source_key = split_s3_uri(uri)
        name = uri[len(staged.rstrip("/")) + 1 :]
        client.copy({"Bucket": source_bucket, "Key": source_key}, bucket, f"{prefix}/{name}")


def follow_pointer(catalog: GlueCatalog, lake: str, layer: Layer, entity: str, dt: str) -> None:
    """Point the catalog partition at the current version.

    Runs publishing at once may write the catalog in any order, so after writing, a run reads
    the pointer again and writes again if it moved: the last catalog write names the last
    pointer.
    """
    pointer_uri = layout.pointer_uri(lake, layer, entity, dt)
    partition = CatalogPartition.of(layer, entity, dt)
    pointer = current(pointer_uri)
    for _ in range(CATALOG_ATTEMPTS):
        location = layout.version_uri(lake, layer, entity, dt, pointer.version)
        catalog.set_location(partition, f"{location}/")
        latest = current(pointer_uri)
        if latest.version == pointer.version:
            return
        pointer = latest
    raise CatalogBehind(f"{pointer_uri} moved {CATALOG_ATTEMPTS} times while the catalog followed")


def current(pointer_uri: str) -> Pointer:
    pointer = read_pointer(pointer_uri)
    if pointer is None:
        raise RuntimeError(f"{pointer_uri} vanished after this run published it")
    return pointer


def remove_old_versions(
    lake: str, layer: Layer, entity: str, dt: str, keep_recent_s: float = KEEP_RECENT_S
) -> list[str]:
    """Delete the partition's versions other than the current and previous one whose newest
    object is older than `keep_recent_s`; return the versions deleted. A version another run
    is still copying is recent, so it stays."""
    pointer = read_pointer(layout.pointer_uri(lake, layer, entity, dt))
    keep = {pointer.version, pointer.previous} if pointer else set()
    cutoff = time.time() - keep_recent_s
    old = {
        version: files
        for version, files in versions(lake, layer, entity, dt).items()
        if version not in keep and max(f.modified for f in files) < cutoff
    }
    for files in old.values():
        for info in files:
            open_store(info.uri).delete(info.uri)
    return sorted(old)


def versions(lake: str, layer: Layer, entity: str, dt: str) -> dict[str, list[FileInfo]]:
    """Every version under a partition's `dt=` folder with its objects (the pointer is none)."""
    folder = layout.partition_uri(lake, layer, entity, dt)
    found: dict[str, list[FileInfo]] = {}
    for info in open_store(folder).list_files(folder):
        version = layout.version_of_folder(info.uri[len(folder) + 1 :].split("/", 1)[0])
        if version is not None:
            found.setdefault(version, []).append(info)
    return found
