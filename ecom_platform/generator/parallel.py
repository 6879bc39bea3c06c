"""One day's partitions written on two cores, with the bytes of writing them one by one.

Every partition draws only from its own seeded generator and reads the day's
simulated state without changing it, so the biggest one (web events: about
half the records) can be written by a forked copy of this process while this
process writes the others. The fork sees the day exactly as it is here. What
its writing changes that outlives the day comes back through a pipe: the
partition's manifest, the late files it held back, and which required defect
variants it has still to place; the caller merges them in entity order, as
if the partitions had been written in turn.

A fork is only made where it is safe and pays: with the `fork` start method,
from a process without other threads (a forked thread-holding lock would
never be released) that may have children (a daemonic one may not), for
local files (an S3 client is not shared across a fork), and for a partition
big enough to outweigh the fork.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection

from ecom_platform.generator.defects import DefectChoice
from ecom_platform.generator.delivery import LateFile, PartitionWriter
from ecom_platform.generator.manifest import PartitionManifest
from ecom_platform.generator.model import Batch
from ecom_platform.lib.storage import LocalStore

MIN_FORKED_RECORDS = 50_000  # below this a fork (tens of milliseconds) saves nothing


@dataclass
class ForkedResult:
    """What a partition written in a fork hands back to the parent."""

    partition: PartitionManifest
    late_files: list[LateFile]
    unplaced: list[DefectChoice]


def write_partitions(
    writers: Sequence[PartitionWriter], batches: dict[str, Batch]
) -> list[PartitionManifest]:
    """Each writer's partition, in the writers' order; the biggest may be written in a fork."""
    forked = partition_to_fork(writers, batches)
    if forked is None:
        return [writer.write(batches[writer.entity.name]) for writer in writers]
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=write_in_fork, args=(forked, batches[forked.entity.name], sender), daemon=True
    )
    child.start()
    sender.close()
    try:
        partitions = {
            writer.entity.name: writer.write(batches[writer.entity.name])
            for writer in writers
            if writer is not forked
        }
        partitions[forked.entity.name] = adopt(forked, receive(receiver, forked))
        child.join()
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
            child.join()
    return [partitions[writer.entity.name] for writer in writers]


def partition_to_fork(
    writers: Sequence[PartitionWriter], batches: dict[str, Batch]
) -> PartitionWriter | None:
    """The writer of the biggest partition, where forking for it is safe and pays."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return None
    if multiprocessing.current_process().daemon:
        return None
    biggest = max(writers, key=lambda writer: batches[writer.entity.name].count)
    if batches[biggest.entity.name].count < MIN_FORKED_RECORDS:
        return None
    return biggest if isinstance(biggest.store, LocalStore) else None


def write_in_fork(writer: PartitionWriter, batch: Batch, sender: Connection) -> None:
    """The fork's work: write the partition, send back its result or the error's traceback."""
    try:
        partition = writer.write(batch)
        unplaced = writer.coverage.remaining(writer.entity.name)
        sender.send(ForkedResult(partition, writer.late_files, unplaced))
    except BaseException:
        sender.send(traceback.format_exc())
    finally:
        sender.close()


def receive(receiver: Connection, writer: PartitionWriter) -> ForkedResult:
    try:
        result = receiver.recv()
    except EOFError:
        raise RuntimeError(f"writing {writer.entity.name} in a fork died without a word") from None
    if isinstance(result, str):
        raise RuntimeError(f"writing {writer.entity.name} in a fork failed:\n{result}")
    return result


def adopt(writer: PartitionWriter, result: ForkedResult) -> PartitionManifest:
    """Make the parent's writer and coverage as they would be had it written the partition."""
    writer.manifest = result.partition
    writer.late_files.extend(result.late_files)
    writer.coverage.set_remaining(writer.entity.name, result.unplaced)
    return result.partition
