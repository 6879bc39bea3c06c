"""One swap at a time per partition on S3: a lock object created with a conditional PUT.

Glue runs up to four silver jobs at once; two over the same day would interleave their
"delete, then copy" swaps and leave files of both runs in one partition. S3's conditional
write (`If-None-Match: *`) creates the lock object only when it does not exist, so exactly one
run holds it; the others wait. A lock left by a run that died (older than `stale_after_s`, far
above the seconds a swap takes) is taken over with `If-Match` on its ETag, so of several
waiting runs exactly one takes it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from ecom_platform.lib.storage import s3_client, split_s3_uri

WAIT_S = 900.0
STALE_AFTER_S = 3600.0
POLL_S = 1.0
# S3 answers 412 to a failed condition, 409 when a concurrent conditional write is in flight.
LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict"}


class PartitionLocked(RuntimeError):
    """Another run held the partition's lock for longer than this run would wait."""


def lost_race(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in LOST_RACE


@contextmanager
def partition_lock(
    lock_uri: str,
    owner: str,
    wait_s: float = WAIT_S,
    stale_after_s: float = STALE_AFTER_S,
    poll_s: float = POLL_S,
) -> Iterator[None]:
    """Hold the lock object at `lock_uri` while the block runs; delete it afterwards."""
    client = s3_client()
    bucket, key = split_s3_uri(lock_uri)
    body = json.dumps({"owner": owner, "acquired_at": datetime.now(UTC).isoformat()}).encode()
    deadline = time.monotonic() + wait_s
    while not try_acquire(client, bucket, key, body, stale_after_s):
        if time.monotonic() > deadline:
            raise PartitionLocked(
                f"{lock_uri} is held by another run after {wait_s:.0f}s; if no run is "
                "publishing this partition, delete the object"
            )
        time.sleep(poll_s)
    try:
        yield
    finally:
        client.delete_object(Bucket=bucket, Key=key)


def try_acquire(client, bucket: str, key: str, body: bytes, stale_after_s: float) -> bool:
    """Create the lock, or take over a stale one; False when another run holds it."""
    try:
        client.put_object(Bucket=bucket, Key=key, Body=body, IfNoneMatch="*")
        return True
    except ClientError as error:
        if not lost_race(error):
            raise
    try:
        held = client.head_object(Bucket=bucket, Key=key)
    except ClientError:
        return False  # released in between: the next attempt creates it
    age = (datetime.now(UTC) - held["LastModified"]).total_seconds()
    if age < stale_after_s:
        return False
    try:
        client.put_object(Bucket=bucket, Key=key, Body=body, IfMatch=held["ETag"])
        return True
    except ClientError as error:
        if lost_race(error):
            return False
        raise
