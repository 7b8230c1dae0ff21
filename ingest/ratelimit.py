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

With ``catch_up``, time lost to a late departure is made up: the slots stay on their grid, so the
requests after a late one may follow it sooner than the spacing (never sooner than half of it), as long
as no ``rate`` of them fall within a rolling second (measured from when each actually left, with the
margin). On a busy machine most departures are a few milliseconds late, which otherwise adds up to a
tenth of the rate. An API that smooths strictly refuses such a request; the first refusal turns catch-up
off for good, so it costs one retried request.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

# With catch-up, a request never follows the one before by less than this share of the spacing.
CATCH_UP_FLOOR = 0.5


class RateLimiter:
    def __init__(
        self,
        rate: float,
        *,
        margin_s: float = 0.0,
        catch_up: bool = False,
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
        self.catch_up = catch_up
        self.per_window = max(1, math.floor(rate))  # requests allowed in a rolling second
        self._recent: deque[float] = deque(maxlen=self.per_window)  # when the last ones left
        self._next_slot = -math.inf  # catch-up: the grid slot of the next request

    def _earliest(self) -> float:
        """When the next request may leave (call with ``_state`` held)."""
        if not self.catch_up:
            return max(self._last_sent + self.interval, self._not_before)
        window = -math.inf
        if len(self._recent) == self.per_window:
            window = self._recent[0] + self.per_window * self.interval
        floor = self._last_sent + CATCH_UP_FLOOR * self.interval
        return max(self._next_slot, floor, window, self._not_before)

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
                    earliest = self._earliest()
                    if now >= earliest:
                        self._holder = threading.get_ident()
                        # A caller that waited keeps its slot on the grid however late it woke; one that
                        # came when the limiter was idle starts the grid afresh.
                        slot = earliest if waited > 0 else now
                        self._next_slot = slot + self.interval
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
            self._recent.append(self._last_sent)
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
        it settles just above what the API accepts instead of being refused over and over. Catch-up
        stops: this API wants the spacing kept between any two requests.
        """
        with self._state:
            self.catch_up = False
            self.interval = min(self.interval * 1.25, max(1.0, self.base_interval))
            self._not_before = max(self._not_before, self._clock() + 2 * self.interval)

    def accepted(self) -> None:
        """The API took a request: ease the spacing back towards the configured rate."""
        if self.interval > self.base_interval:
            with self._state:
                self.interval = max(self.base_interval, self.interval * 0.97)
