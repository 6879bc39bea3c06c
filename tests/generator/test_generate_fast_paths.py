"""The generator's fast paths give exactly what the plain standard-library ways give.

The acceptance data depends on the generator's bytes for a seed, so each shortcut
(draws, JSON spelling, the forked partition) is checked against the way it replaced.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import pytest

from ecom_platform.generator import parallel
from ecom_platform.generator.manifest import json_with_indent_one
from ecom_platform.generator.model import LOYALTY, QUANTITY, Business
from ecom_platform.generator.rng import SeededRandom
from ecom_platform.generator.values import TIMEZONES, WHOLE_SECOND_FRACTIONS, timestamp_renderer
from ecom_platform.generator.writers import json_object_text
from ecom_platform.lib.entities import ENTITY_BY_NAME, ColumnType
from tests.generator.conftest import START, run_generator

TRICKY_TEXTS = (
    "",
    "plain",
    'quote " and backslash \\',
    "comma, colon: braces {} [brackets]",
    "line\nbreak\r\ttab\x00\x1f",
    "del \x7f",
    "café Zürich 東京 😀",
    "\u2028\u2029",
    ",\n  ",
)


def test_records_are_keyed_in_spec_order_with_strings_as_text_and_required_values():
    """What `RecordRenderer` relies on to copy a record instead of rebuilding it."""
    business = Business(3, 0.5)
    for offset in range(4):
        batches = business.simulate_day(START + timedelta(days=offset), first=offset == 0)
        for name, batch in batches.items():
            entity = ENTITY_BY_NAME[name]
            strings = [c.name for c in entity.columns if c.type is ColumnType.STRING]
            for record in batch.rows:
                assert tuple(record) == entity.column_names
                assert all(isinstance(record[c], str | None) for c in strings)
                assert all(record[c] is not None for c in entity.required_columns)


def test_seeded_random_draws_what_random_draws():
    plain, fast = random.Random("5/orders/2024-01-01"), SeededRandom("5/orders/2024-01-01")
    script = random.Random(1)
    for _ in range(20_000):
        step = script.randrange(5)
        if step == 0:
            n = script.randrange(1, 2 ** script.randrange(1, 70))
            assert plain.randrange(n) == fast.randrange(n)
        elif step == 1:
            low = script.randrange(-1_000, 1_000)
            high = low + script.randrange(0, 100_000)
            assert plain.randint(low, high) == fast.randint(low, high)
            assert plain.randrange(low, high + 1) == fast.randrange(low, high + 1)
        elif step == 2:
            items = list(range(script.randrange(1, 5_000)))
            assert plain.choice(items) == fast.choice(items)
        elif step == 3:
            assert plain.randrange(0, 100, 7) == fast.randrange(0, 100, 7)
        else:
            assert LOYALTY.pick(plain) == LOYALTY.pick(fast)
            population = QUANTITY.values
            assert plain.choices(population, cum_weights=QUANTITY.cumulative)[0] == (
                QUANTITY.pick(fast)
            )
    assert plain.getstate() == fast.getstate()


def test_seeded_random_refuses_what_random_refuses():
    with pytest.raises(IndexError):
        SeededRandom(1).choice([])
    with pytest.raises(ValueError):
        SeededRandom(1).randrange(0)
    with pytest.raises(ValueError):
        SeededRandom(1).randint(3, 2)


@pytest.mark.parametrize("compact", [True, False])
@pytest.mark.parametrize("ascii_only", [True, False])
def test_json_object_text_spells_as_json_dumps(compact, ascii_only):
    separators = (",", ":") if compact else (", ", ": ")
    objects = [{}, {"a": None}]
    objects += [{"event_id": text, "other": None, "page_url": "/p/1"} for text in TRICKY_TEXTS]
    objects.append({text: text for text in TRICKY_TEXTS})
    for obj in objects:
        expected = json.dumps(obj, ensure_ascii=ascii_only, separators=separators)
        assert json_object_text(obj, compact, ascii_only) == expected


def test_json_object_text_escapes_every_code_point_as_json_dumps():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for start in range(0, len(every), 4_096):
        obj = {"k": every[start : start + 4_096]}
        for compact in (True, False):
            separators = (",", ":") if compact else (", ", ": ")
            for ascii_only in (True, False):
                expected = json.dumps(obj, ensure_ascii=ascii_only, separators=separators)
                assert json_object_text(obj, compact, ascii_only) == expected
    lone_surrogate = {"k": "\ud800"}
    assert json_object_text(lone_surrogate, True, False) == json.dumps(
        lone_surrogate, ensure_ascii=False, separators=(",", ":")
    )


def test_manifest_json_is_json_dumps_with_indent_one():
    value = {
        "params": {"scale": 0.1, "seed": 2**70, "start": "2024-01-01"},
        "empty": {"list": [], "dict": {}},
        "files": [{"name": text, "records": None, "bom": False} for text in TRICKY_TEXTS],
    }
    for tree in (value, {"seed": 5, "rows": [[1, 2], {"a": [True]}]}):
        expected = json.dumps(tree, indent=1, ensure_ascii=False).encode("utf-8")
        assert json_with_indent_one(tree) == expected


def test_a_partition_written_in_a_fork_gives_the_same_bytes(tmp_path, monkeypatch):
    in_turn = run_generator(tmp_path / "in_turn")
    monkeypatch.setattr(parallel, "MIN_FORKED_RECORDS", 0)
    # A pytest-xdist worker has threads of its own (execnet), which would rule the fork out;
    # the fork's child only writes files and its pipe, so it takes no lock of theirs.
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    chosen = []

    def spied(writers, batches):
        chosen.append(choice := pick(writers, batches))
        return choice

    pick = parallel.partition_to_fork
    monkeypatch.setattr(parallel, "partition_to_fork", spied)
    forked = run_generator(tmp_path / "forked")
    assert chosen and all(writer is not None for writer in chosen)  # a fork on every day
    assert forked.files() == in_turn.files()
    assert untimed(forked) == untimed(in_turn)


def untimed(run) -> list[str]:
    """The progress lines without timings, paths relative to the run's root."""
    root = str(run.root)
    return [line.replace(root, "") for line in run.progress if " done: " not in line]


def test_timestamps_are_spelled_as_isoformat_spells_them():
    """The renderer's lookup tables give what `datetime.isoformat(sep, "seconds")` gives."""
    draws = random.Random(7)
    values = [datetime.min + timedelta(hours=6), datetime.max - timedelta(hours=6)]
    values.append(datetime(2024, 2, 29, 23, 59, 59))
    values += [
        datetime(1, 1, 2) + timedelta(seconds=draws.randrange(315_537_000_000), microseconds=us)
        for us in (draws.choice((0, 0, 120_000, 7)) for _ in range(20_000))
    ]
    fast, plain = timestamp_renderer(random.Random(3)), random.Random(3)
    for value in values:
        assert fast(value) == reference_timestamp(plain, value)


def reference_timestamp(rng: random.Random, value: datetime) -> str:
    """The renderer as it was, with datetime.isoformat."""
    zone = TIMEZONES[int(rng.random() * len(TIMEZONES))]
    separator = "T" if rng.random() < 0.6 else " "
    if value.microsecond == 0:
        fraction = WHOLE_SECOND_FRACTIONS[int(rng.random() * len(WHOLE_SECOND_FRACTIONS))]
    else:
        digits = f"{value.microsecond:06d}"
        fraction = f".{digits}" if rng.random() < 0.3 else f".{digits.rstrip('0')}"
    if zone is None:
        return f"{value.isoformat(separator, 'seconds')}{fraction}"
    minutes, suffix = zone
    shifted = value + timedelta(minutes=minutes)
    return f"{shifted.isoformat(separator, 'seconds')}{fraction}{suffix}"
