"""Ctrl-C during `run`: stop the statement in flight at once, keep what completed, run nothing after it.

Python runs its SIGINT handler only when the main thread is back in the interpreter, which a long
DuckDB statement delays until it ends. The C-level handler still writes the signal number to a wakeup
socket at once, so a watcher thread reads it and interrupts the engine's connection; the statement
fails, the main thread returns, and KeyboardInterrupt unwinds the run. A second Ctrl-C ends the
process without waiting.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

EXIT_CODE = 130
MESSAGE = "interrupted: completed steps are kept; run again to continue."

_requested = threading.Event()
_stoppers: list[Callable[[], None]] = []
# Once the main thread has taken over (settle), the watcher stops nothing more: a late interrupt would
# otherwise stop the statements that record the interruption.
_lock = threading.Lock()
_settled = False


def requested() -> bool:
    """Whether Ctrl-C was pressed: an engine error raised after it is the interruption, not a failure."""
    return _requested.is_set()


def on_interrupt(stop: Callable[[], None]) -> None:
    """Call `stop` (e.g. a DuckDB connection's interrupt) when Ctrl-C arrives."""
    _stoppers.append(stop)


def settle() -> None:
    """The main thread is handling the interruption: no statement is interrupted from now on."""
    global _settled
    with _lock:
        _settled = True


def stop_if_requested() -> None:
    """Raise KeyboardInterrupt if Ctrl-C was pressed: a statement may have swallowed its error."""
    if _requested.is_set():
        settle()
        raise KeyboardInterrupt


def _handler(signum: int, frame: object) -> None:
    if _requested.is_set():
        sys.stderr.write(MESSAGE + "\n")
        os._exit(EXIT_CODE)
    _requested.set()
    raise KeyboardInterrupt


def _watch(reader: socket.socket) -> None:
    while True:
        try:
            data = reader.recv(16)
        except OSError:
            return
        if not data:
            return
        if signal.SIGINT in data:
            with _lock:
                if _settled:
                    continue
                for stop in list(_stoppers):
                    with suppress(Exception):
                        stop()


@contextmanager
def interruptible() -> Iterator[None]:
    """Handle Ctrl-C as described above while the block runs (main thread only; an ignored SIGINT stays so)."""
    usable = threading.current_thread() is threading.main_thread()
    if not usable or signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield
        return
    global _settled
    _requested.clear()
    _settled = False
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    previous_handler = signal.signal(signal.SIGINT, _handler)
    threading.Thread(target=_watch, args=(reader,), daemon=True, name="lakehouse-interrupt").start()
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous_handler)
        signal.set_wakeup_fd(previous_fd)
        writer.close()
        reader.close()
        _stoppers.clear()
