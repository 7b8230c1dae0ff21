"""A one-line progress display for long pulls; silent unless stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(
        self, enabled: bool | None = None, *, stream: TextIO | None = None, min_interval_s: float = 0.5
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.min_interval_s = min_interval_s
        self._started = time.monotonic()
        self._last = 0.0
        self._shown = False

    def update(self, *, requests: int, events: int, quota_left: int | None, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.min_interval_s:
            return
        self._last = now
        elapsed = max(now - self._started, 1e-9)
        quota = "?" if quota_left is None else f"{quota_left:,}"
        line = (
            f"ingest: {requests:,} requests ({requests / elapsed:.1f}/s), {events:,} events landed, quota left {quota}"
        )
        self.stream.write("\r" + line.ljust(90))
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\n")
            self.stream.flush()
