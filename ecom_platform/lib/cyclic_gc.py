"""Python's cycle collector paused around work that allocates millions of acyclic objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cycle collector, and restore it after.

    Parsing a landing file or generating a day makes millions of small objects and (almost)
    no reference cycles, so reference counting frees them; yet each of the collector's full
    passes walks every object alive, which cost about half of bronze's parse time and over a
    second a day of the generator at scale 100.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
