"""A partition's `_current` pointer on S3: which version readers see, swapped by compare-and-swap.

S3 has no rename, but one PUT of a small object is atomic, and S3's conditional PUT makes it a
compare-and-swap: `If-Match` on the ETag the run read (`If-None-Match: *` when there was no
pointer) succeeds only if no other run swapped in between. Two runs publishing one partition
at once (Glue runs up to four jobs) therefore never mix: each wrote a complete version under
its own prefix, and the pointer names exactly one of them. A run that loses the race reads the
pointer again and retries, so the last run to finish is current. This replaces the lock object
the delete-then-copy swap needed (docs/architecture.md, "Publishing silver on S3").
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from ecom_platform.lib.storage import open_store, split_s3_uri

ATTEMPTS = 20
RETRY_S = 0.2
# S3 answers 412 to a failed condition, 409 when a concurrent conditional write is in flight.
LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict"}
MISSING = {"NoSuchKey", "404"}


@dataclass(frozen=True)
class Pointer:
    """The version a partition's readers see, the one it replaced, and the object's ETag."""

    version: str
    previous: str | None
    etag: str


class PointerContended(RuntimeError):
    """Other runs kept swapping the pointer for longer than this run retries."""


def error_code(error: ClientError) -> str:
    return error.response.get("Error", {}).get("Code", "")


def client(uri: str):
    """The lake's shared boto3 client (the S3 store's), so a read costs no new connection."""
    return open_store(uri).client


def read_pointer(uri: str) -> Pointer | None:
    """The pointer at `uri`, None when no run has published the partition yet."""
    bucket, key = split_s3_uri(uri)
    try:
        response = client(uri).get_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error_code(error) in MISSING:
            return None
        raise
    body = json.loads(response["Body"].read())
    return Pointer(body["version"], body.get("previous"), response["ETag"])


def swap_pointer(uri: str, version: str, seen: Pointer | None) -> bool:
    """Point at `version` if the pointer is still `seen`; False when another run swapped first."""
    bucket, key = split_s3_uri(uri)
    body = {
        "version": version,
        "previous": seen.version if seen else None,
        "published_at": datetime.now(UTC).isoformat(),
    }
    condition = {"IfMatch": seen.etag} if seen else {"IfNoneMatch": "*"}
    try:
        client(uri).put_object(Bucket=bucket, Key=key, Body=json.dumps(body).encode(), **condition)
        return True
    except ClientError as error:
        if error_code(error) in LOST_RACE:
            return False
        raise


def point_to(uri: str, version: str, attempts: int = ATTEMPTS, retry_s: float = RETRY_S) -> None:
    """Make `version` current, retrying the compare-and-swap while other runs win it."""
    for _ in range(attempts):
        if swap_pointer(uri, version, read_pointer(uri)):
            return
        time.sleep(retry_s)
    raise PointerContended(f"{uri}: lost the swap to other runs {attempts} times in a row")
