"""Pausing Python's cyclic garbage collector while a page is decoded and turned into landing lines.

A full page of events decodes into some 60,000 dicts and lists. Collector passes that run while they
are built (Python 3.11 starts them from within the decoder) move them to the oldest generation, and
full passes over everything follow: measured on a 10,000-event pull, 3 s of collector time in 13 s,
single pauses up to 0.3 s, each holding every thread and so the pacing of requests. The page's
objects hold no reference cycles and are freed as soon as the page is reduced to its lines, so the
collector has nothing to do for them. Pauses nest across threads; the collector resumes when the
last one ends, unless it was off before.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
