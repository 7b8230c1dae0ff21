"""Client-side pacing so we never send faster than the API allows.

The API's spike arrest (Apigee, ``maxBurstMessageCount=1``) rejects a request that follows the previous
one by less than 1/rate seconds, not only a sixth request within a second. So requests are spaced
evenly at 1/rate (+ a small margin) rather than sent in bursts of ``rate`` per second; the throughput is
the same and no second ever holds more than ``rate`` requests.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        rate: float,
        *,
        margin_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate + max(0.0, margin_s)
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Block until a request may be sent; returns the time waited."""
        with self._lock:
            now = self._clock()
            wait = max(0.0, self._next - now)
            # Reserve the slot before sleeping so concurrent callers queue behind it.
            self._next = max(now, self._next) + self.interval
        if wait:
            self._sleep(wait)
        return wait

    def defer(self, seconds: float) -> None:
        """Push the next slot out (after a spike arrest), without shortening an existing wait."""
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)
