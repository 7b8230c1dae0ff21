"""Errors ingest raises; every message is one line a user can act on, and never holds the API key."""

from __future__ import annotations

import errno


class IngestError(RuntimeError):
    """Base of every error ingest raises."""


class LandingError(IngestError):
    """The landing folder or volume cannot be written or read; nothing half-written is left behind."""


_FULL = {errno.ENOSPC, errno.EDQUOT}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def landing_error(exc: OSError, root: str, rel: str, *, writing: bool = True) -> LandingError:
    """A one-line explanation of an OS error met on ``rel`` under the landing root ``root``."""
    reason = exc.strerror or type(exc).__name__
    if exc.errno in _FULL:
        return LandingError(
            f"no space left on the disk of the landing folder {root} ({reason}, writing {rel}): free some "
            "space and run again; what already landed is kept and the next run continues from there"
        )
    if exc.errno in _DENIED:
        action = "write to" if writing else "read"
        return LandingError(
            f"cannot {action} the landing folder {root} ({reason}: {rel}); make it writable or choose another "
            "landing folder"
        )
    action = "write" if writing else "read"
    return LandingError(f"cannot {action} {rel} in the landing folder {root} ({reason})")
