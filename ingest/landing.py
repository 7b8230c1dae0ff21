"""Where landed files go: a local folder or a Unity Catalog volume.

Landing contract: ``<root>/<entity>/YYYY/MM/DD/<file>``, each file appears whole
or not at all and is never rewritten. ``put_new`` is the only way entity files are written; it reports
whether the file was new, which is what makes re-running a batch land nothing twice. Manifests (under
``_manifests/``, outside every entity folder so bronze never reads them) are the one thing rewritten.
"""

from __future__ import annotations

import errno
import os
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from filelock import FileLock, Timeout

from ingest.errors import LandingError, landing_error

ENTITIES = ("events", "venues", "attractions", "classifications")
MANIFEST_DIR = "_manifests"
# Held by the run writing a folder of manifests (LocalLanding.exclusive); no .json suffix, so never read.
LOCK_FILE = ".lock"
# What a lock answers where a filesystem has none (some network and FUSE mounts).
_NO_LOCKS = {errno.ENOSYS, errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP}
# What link() answers where a filesystem has no hard links; any other error is a real one.
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK}


def entity_path(entity: str, batch_date: date, filename: str) -> str:
    """Relative path of a landed file, per the landing contract."""
    if entity not in ENTITIES:
        raise ValueError(f"unknown entity {entity!r}; expected one of {ENTITIES}")
    return f"{entity}/{batch_date:%Y/%m/%d}/{filename}"


class Landing(ABC):
    """A landing root. Paths given to methods are relative, with ``/`` separators."""

    root: str

    @abstractmethod
    def exists(self, rel: str) -> bool: ...

    @abstractmethod
    def put_new(self, rel: str, data: bytes) -> bool:
        """Write ``data`` atomically unless ``rel`` exists. True if written, False if already there."""

    @abstractmethod
    def read(self, rel: str) -> bytes | None:
        """File contents, or None if absent."""

    @abstractmethod
    def put_replace(self, rel: str, data: bytes) -> None:
        """Atomically write or replace ``rel``; for manifests only, never entity files."""

    def location(self, rel: str) -> str:
        return f"{self.root.rstrip('/')}/{rel}"

    def remove_temporary(self, folder: str, prefix: str) -> int:
        """Remove what a killed writer left of files named ``prefix...`` in ``folder``; how many removed.

        Only where writes go through temporary files (a local folder): volume uploads leave none.
        """
        return 0

    @contextmanager
    def exclusive(self, folder: str) -> Iterator[bool]:
        """Keep ``folder`` to this run while the block runs; yields whether it is held (only a local
        folder can be). A second run asking for the same folder meanwhile is refused."""
        yield False


class LocalLanding(Landing):
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.path = Path(root)
        self.root = str(self.path)

    def _full(self, rel: str) -> Path:
        return self.path.joinpath(*rel.split("/"))

    def exists(self, rel: str) -> bool:
        return self._full(rel).exists()

    def read(self, rel: str) -> bytes | None:
        try:
            return self._full(rel).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise landing_error(exc, self.root, rel, writing=False) from None

    def _write_temp(self, final: Path, data: bytes) -> Path:
        final.parent.mkdir(parents=True, exist_ok=True)
        # Leading dot and a non-.json suffix: readers globbing *.json never pick up a half-written file.
        tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)  # a full disk or a kill signal leaves no partial file
            raise
        return tmp

    @staticmethod
    def _sync_dir(directory: Path) -> None:
        # Makes the rename itself durable; not possible (nor needed) on every platform.
        try:
            fd = os.open(directory, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)

    def put_new(self, rel: str, data: bytes) -> bool:
        final = self._full(rel)
        try:
            return self._put_new(final, data)
        except OSError as exc:
            raise landing_error(exc, self.root, rel) from None

    def _put_new(self, final: Path, data: bytes) -> bool:
        if final.exists():
            return False
        tmp = self._write_temp(final, data)
        try:
            try:
                # link() refuses to replace an existing name, so two concurrent writers cannot both win.
                os.link(tmp, final)
            except FileExistsError:
                return False
            except OSError as exc:
                if exc.errno not in _NO_HARD_LINKS:
                    raise
                # Filesystems without hard links (some mounts): replace is still atomic for readers.
                if final.exists():
                    return False
                os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        self._sync_dir(final.parent)
        return True

    def remove_temporary(self, folder: str, prefix: str) -> int:
        removed = 0
        for stale in self._full(folder).glob(f".{prefix}*.tmp"):
            try:
                stale.unlink(missing_ok=True)
            except OSError:
                continue  # best effort: a folder that cannot be written says so at the first write
            removed += 1
        return removed

    @contextmanager
    def exclusive(self, folder: str) -> Iterator[bool]:
        directory = self._full(folder)
        # A lock of the operating system, not a marker file: the kernel releases it when the process dies.
        lock = FileLock(directory / LOCK_FILE, fallback_to_soft=False)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            lock.acquire(blocking=False)
        except Timeout:
            raise LandingError(
                f"another ingest run of the same dates and filters is writing to the landing folder {self.root}: "
                "wait for it to finish, then run again"
            ) from None
        except OSError as exc:
            if exc.errno not in _NO_LOCKS:
                raise landing_error(exc, self.root, f"{folder}/{LOCK_FILE}") from None
            held = False  # a filesystem without locks: the run goes on as it would without them
        else:
            held = True
        try:
            yield held
        finally:
            if held:
                lock.release()

    def put_replace(self, rel: str, data: bytes) -> None:
        final = self._full(rel)
        try:
            tmp = self._write_temp(final, data)
            try:
                os.replace(tmp, final)
            finally:
                tmp.unlink(missing_ok=True)
        except OSError as exc:
            raise landing_error(exc, self.root, rel) from None
        self._sync_dir(final.parent)


def is_volume_path(root: str | os.PathLike[str]) -> bool:
    return str(root).startswith("/Volumes/")


def open_landing(root: str | os.PathLike[str], *, workspace_client: object | None = None) -> Landing:
    """A local folder, or a Unity Catalog volume for ``/Volumes/<catalog>/<schema>/<volume>/...``."""
    if is_volume_path(root):
        from ingest.volume import VolumeLanding

        return VolumeLanding(str(root), workspace_client=workspace_client)
    return LocalLanding(root)
