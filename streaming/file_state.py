"""What local bronze remembers about landed files: which were read, and what was kept aside.

A landed file is known by its path relative to the landing root and by the SHA-256 of its content:
a data directory that is moved, copied or restored reads nothing again, a file whose content was
already read under another name is not read twice, and a file rewritten with new content at the same
path is read as new. The size and modification time seen last are kept too, so an unchanged file is
recognised without reading it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePath, PurePosixPath

import duckdb

FILES_TABLE = "bronze._ingested_files"
QUARANTINE_TABLE = "bronze._quarantine"
_HASH_CHUNK = 1 << 20

_FILES_COLUMNS = """
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    content_sha256 VARCHAR,
    file_size BIGINT NOT NULL,
    file_modified_at TIMESTAMP WITH TIME ZONE,
    records BIGINT NOT NULL,
    quarantined_records BIGINT NOT NULL,
    same_content_as VARCHAR,
    ingested_at TIMESTAMP WITH TIME ZONE NOT NULL
"""
_CREATE_QUARANTINE = f"""
CREATE TABLE IF NOT EXISTS {QUARANTINE_TABLE} (
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    line_number BIGINT,
    raw_text VARCHAR,
    error VARCHAR NOT NULL,
    quarantined_at TIMESTAMP WITH TIME ZONE NOT NULL
)"""
_FILES_INSERT = (
    f"INSERT INTO {FILES_TABLE} (table_name, source_file, content_sha256, file_size, file_modified_at, records, "
    "quarantined_records, same_content_as, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class LandedFile:
    """A landed file to read (or recognised as read), with what identifies it."""

    path: Path
    relative: str  # to the landing root, with / separators
    sha256: str
    size: int
    modified_at: datetime
    lines: int  # newline-terminated lines, plus a last line without one
    same_content_as: str | None = None  # the file whose records hold this content, when read before

    @property
    def name(self) -> str:
        return str(self.path)


@dataclass
class Identified:
    """A group of landed files, sorted by what a refresh does with them."""

    new: list[LandedFile] = field(default_factory=list)
    # New files whose content is that of a new file listed above: recorded with it, never read.
    twins: dict[str, list[LandedFile]] = field(default_factory=dict)
    # Files read before under another name or touched since: recorded now, never read again.
    recognised: list[LandedFile] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (relative path, error)


def ensure_state_tables(connection: duckdb.DuckDBPyConnection, landing_root: str | Path) -> None:
    """Create the state tables, or bring those of an older version up to date (once, on first open)."""
    connection.execute(f"CREATE TABLE IF NOT EXISTS {FILES_TABLE} ({_FILES_COLUMNS})")
    connection.execute(_CREATE_QUARANTINE)
    try:  # a probe that reads nothing: duckdb_columns() lists every column of every table
        connection.execute(f"SELECT content_sha256 FROM {FILES_TABLE} LIMIT 0")
    except duckdb.BinderException:
        _migrate_absolute_paths(connection, Path(landing_root))


def _migrate_absolute_paths(connection: duckdb.DuckDBPyConnection, root: Path) -> None:
    """An older version remembered files by absolute path: rewrite them relative to the landing root,
    with the content hash of each file still landed, so upgrading (even after a move) reads nothing again."""
    old = connection.execute(
        f"SELECT table_name, source_file, file_size, records, quarantined_records, ingested_at FROM {FILES_TABLE}"
    ).fetchall()
    migrated = []
    for table, source, size, records, bad, ingested_at in old:
        relative = relative_to_landing(source, root)
        sha256, modified_at = None, None
        path = root / relative
        if path.is_file() and path.stat().st_size == size:
            sha256, _ = fingerprint(path)
            modified_at = modified_time(path.stat())
        migrated.append([table, relative, sha256, size, modified_at, records, bad, None, ingested_at])
    quarantined = [r[0] for r in connection.execute(f"SELECT DISTINCT source_file FROM {QUARANTINE_TABLE}").fetchall()]
    connection.execute("BEGIN TRANSACTION")
    try:
        connection.execute(f"CREATE TABLE {FILES_TABLE}_v2 ({_FILES_COLUMNS})")
        if migrated:
            connection.executemany(_FILES_INSERT.replace(FILES_TABLE, f"{FILES_TABLE}_v2"), migrated)
        connection.execute(f"DROP TABLE {FILES_TABLE}")
        connection.execute(f"ALTER TABLE {FILES_TABLE}_v2 RENAME TO {FILES_TABLE.split('.')[1]}")
        for source in quarantined:
            relative = relative_to_landing(source, root)
            if relative != source:
                connection.execute(
                    f"UPDATE {QUARANTINE_TABLE} SET source_file = ? WHERE source_file = ?", [relative, source]
                )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def relative_to_landing(source: str, root: Path) -> str:
    """A recorded absolute path as a path under the landing root (as it is now, even after a move)."""
    path = PurePath(source)
    if not path.is_absolute():
        return source
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    # Recorded under another root (the data directory moved before the upgrade): the longest tail
    # of the old path that names a file under the current root.
    parts = path.parts[1:]
    for start in range(len(parts)):
        tail = PurePosixPath(*parts[start:])
        if (root / tail).is_file():
            return tail.as_posix()
    if root.name in parts[:-1]:
        last = len(parts) - 1 - parts[::-1].index(root.name)
        return PurePosixPath(*parts[last + 1 :]).as_posix()
    return source


def fingerprint(path: Path) -> tuple[str, int]:
    """The SHA-256 of a file and its number of lines, in one read of bounded memory."""
    digest = hashlib.sha256()
    lines = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    return digest.hexdigest(), lines


def modified_time(stat: os.stat_result) -> datetime:
    # Microseconds, as TIMESTAMP WITH TIME ZONE keeps them, so a stored time compares equal.
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=stat.st_mtime_ns // 1000)


class FileIdentity:
    """What one table has read, to tell new landed files from those it knows.

    `changed` is cheap (a stat per file); `sort` needs the content hashes of the changed files, which
    the caller computes (with `fingerprint`) in the background while the previous batch loads."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, table: str):
        self.latest: dict[str, tuple[str | None, int, datetime | None]] = {}
        self.holder: dict[str, str] = {}  # content hash -> the file whose records hold it
        for source, sha256, size, modified_at, same_as in connection.execute(
            f"SELECT source_file, content_sha256, file_size, file_modified_at, same_content_as FROM {FILES_TABLE} "
            "WHERE table_name = ? ORDER BY ingested_at, source_file",
            [table],
        ).fetchall():
            self.latest[source] = (sha256, size, modified_at)
            if sha256 is not None:
                self.holder.setdefault(sha256, same_as or source)

    def changed(self, landed: list[tuple[Path, str]]) -> tuple[list[tuple[Path, str, os.stat_result]], list]:
        """The files not seen as they are now (new, or size or time changed), and those that cannot be read."""
        changed, unreadable = [], []
        for path, relative in landed:
            try:
                stat = path.stat()
            except OSError as exc:
                unreadable.append((relative, str(exc)))
                continue
            known = self.latest.get(relative)
            if known and known[1] == stat.st_size and known[2] == modified_time(stat):
                continue  # unchanged since it was read or last recognised
            changed.append((path, relative, stat))
        return changed, unreadable

    def sort(
        self, changed: list[tuple[Path, str, os.stat_result]], hashed: list[tuple[str, int] | OSError]
    ) -> Identified:
        """New, twin of new, or recognised, by content. A file listed as new counts as read from here
        on: the caller loads it before it sorts the next group."""
        found = Identified()
        first_new: dict[str, LandedFile] = {}
        for (path, relative, stat), result in zip(changed, hashed, strict=True):
            if isinstance(result, OSError):
                found.unreadable.append((relative, str(result)))
                continue
            sha256, lines = result
            landed_file = LandedFile(path, relative, sha256, stat.st_size, modified_time(stat), lines)
            known = self.latest.get(relative)
            if known and (known[0] == sha256 or (known[0] is None and known[1] == stat.st_size)):
                found.recognised.append(landed_file)  # the same content, touched, copied or restored
            elif sha256 in self.holder:
                found.recognised.append(replace(landed_file, same_content_as=self.holder[sha256]))
            elif sha256 in first_new:
                twin = replace(landed_file, same_content_as=first_new[sha256].relative)
                found.twins.setdefault(sha256, []).append(twin)
            else:
                first_new[sha256] = landed_file
                found.new.append(landed_file)
        for sha256, landed_file in first_new.items():
            self.holder[sha256] = landed_file.relative
        return found


def try_fingerprint(path: Path) -> tuple[str, int] | OSError:
    try:
        return fingerprint(path)
    except OSError as exc:
        return exc


def record_recognised(connection: duckdb.DuckDBPyConnection, table: str, files: list[LandedFile]) -> None:
    """Remember files recognised without reading them, so the next run does not hash them again."""
    now = datetime.now(UTC)
    connection.execute("BEGIN TRANSACTION")
    try:
        for landed in files:
            if landed.same_content_as is None:
                connection.execute(
                    f"UPDATE {FILES_TABLE} SET content_sha256 = ?, file_size = ?, file_modified_at = ? "
                    "WHERE table_name = ? AND source_file = ? AND coalesce(content_sha256, ?) = ?",
                    [landed.sha256, landed.size, landed.modified_at, table, landed.relative]
                    + [landed.sha256, landed.sha256],
                )
            else:
                connection.execute(
                    _FILES_INSERT,
                    [table, landed.relative, landed.sha256, landed.size, landed.modified_at, 0, 0,
                     landed.same_content_as, now],
                )  # fmt: skip
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def record_read(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    files: list[LandedFile],
    counts: dict[str, tuple[int, int]],
    twins: list[LandedFile],
    loaded_at: datetime,
) -> None:
    """Inside the batch's transaction: these files were read (records loaded, records kept aside)."""
    rows = []
    for landed in files:
        records, kept_aside = counts.get(landed.relative, (0, 0))
        rows.append(
            [table, landed.relative, landed.sha256, landed.size, landed.modified_at, records, kept_aside, None,
             loaded_at]
        )  # fmt: skip
    rows += [[table, t.relative, t.sha256, t.size, t.modified_at, 0, 0, t.same_content_as, loaded_at] for t in twins]
    if rows:
        connection.executemany(_FILES_INSERT, rows)


def forget(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """What a full refresh does first (inside its transaction): every file of the table counts as unread."""
    for state in (FILES_TABLE, QUARANTINE_TABLE):
        connection.execute(f"DELETE FROM {state} WHERE table_name = ?", [table])
