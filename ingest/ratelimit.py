"""Client-side pacing so we never send faster than the API allows, however many requests are under way.

The API's spike arrest (Apigee, ``maxBurstMessageCount=1``) rejects a request that follows the previous
one by less than 1/rate seconds, not only a sixth request within a second. So requests are spaced
evenly at 1/rate (+ a small margin) rather than sent in bursts of ``rate`` per second; the throughput is
the same and no rolling second ever holds more than ``rate`` requests.

Callers from several threads take turns: one at a time waits for the next slot and keeps the turn
until its request has actually left (``wait_turn``, then ``sent``), and the next slot is measured from
that moment. A caller that is late (a busy machine) therefore pushes the next one back instead of
leaving two requests closer than the spacing.
When the API refuses a request as too fast anyway, the spacing widens for a while (``arrested``).
"""

from __future__ import annotations

import math
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
        self.base_interval = 1.0 / rate + max(0.0, margin_s)
        self.interval = self.base_interval
        self._clock = clock
        self._sleep = sleep
        self._turn = threading.Lock()  # held by the one caller waiting for the next slot
        self._state = threading.Lock()  # guards the two instants below
        self._last_sent = -math.inf
        self._not_before = -math.inf
        self._holder: int | None = None  # the thread holding the turn

    def acquire(self) -> float:
        """Block until a request may be sent, then record it as sent; returns the time waited."""
        waited = self.wait_turn()
        self.sent()
        return waited

    def wait_turn(self) -> float:
        """Block until a request may be sent; returns the time waited.

        The caller then holds the turn until it calls ``sent`` once its request has left, so the next
        one is spaced from that moment: delays between the turn and the wire (a busy machine, a thread
        waiting for the interpreter) can never bring two requests closer. ``sleep`` may raise (to cancel
        a wait); the turn is then given up.
        """
        waited = 0.0
        self._turn.acquire()
        try:
            while True:
                with self._state:
                    now = self._clock()
                    earliest = max(self._last_sent + self.interval, self._not_before)
                    if now >= earliest:
                        self._holder = threading.get_ident()
                        return waited
                # Checked again after the sleep: a spike arrest may have pushed the slot out meanwhile.
                self._sleep(earliest - now)
                waited += earliest - now
        except BaseException:
            self._turn.release()
            raise

    def sent(self) -> None:
        """The request of the thread holding the turn has left now; pass the turn on. No-op otherwise."""
        if self._holder != threading.get_ident():
            return
        with self._state:
            self._last_sent = self._clock()
            self._holder = None
        self._turn.release()

    def defer(self, seconds: float) -> None:
        """Push the next slot out, without shortening an existing wait."""
        with self._state:
            self._not_before = max(self._not_before, self._clock() + seconds)

    def arrested(self) -> None:
        """The API refused a request as too fast: hold everyone for two slots and space them wider.

        Another client may share the key, or the network bunched requests up. The spacing grows by a
        quarter for each refusal (at most to one second) and comes back by 3% per accepted request, so
        it settles just above what the API accepts instead of being refused over and over.
        """
        with self._state:
            self.interval = min(self.interval * 1.25, max(1.0, self.base_interval))
            self._not_before = max(self._not_before, self._clock() + 2 * self.interval)

    def accepted(self) -> None:
        """The API took a request: ease the spacing back towards the configured rate."""
        if self.interval > self.base_interval:
            with self._state:
                self.interval = max(self.base_interval, self.interval * 0.97)
