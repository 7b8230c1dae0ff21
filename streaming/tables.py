"""The local meaning of a Databricks streaming table over read_files, on DuckDB.

Each landed file is read exactly once: the rows of a batch of new files and the record that those
files were read commit in one transaction, so a crash leaves either both or neither. Files are known
by their path under the landing root and their content (streaming/file_state.py), so a data directory
that moves reads nothing again. New top-level JSON fields become new columns (older rows keep NULL).
A row keeps the line it came from (_source_line) where the order within its file decides which version
silver keeps (an id on several lines), and in a file read line by line.

A batch is read once when nothing in it needs a second look: every line an object of keys the table
has columns for, with a usable id, no id twice in a file. That is checked as the batch loads, and a
batch that fails the check is rolled back and surveyed first (new keys, bad lines, line numbers).

What cannot be loaded is kept aside in bronze._quarantine with its file, line and the reason, and the
rest of its file loads: a line that is not UTF-8, not JSON or not a JSON object, and an event, venue or
attraction without a usable id (silver keys them by id and would drop them without a trace). A file
that is one JSON document instead of one object per line (an array, pretty-printed JSON) is kept aside
whole, with one reason.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from runner.identifiers import quote_identifier
from runner.streaming_sql import METADATA_COLUMNS, StreamingTableSpec
from streaming.declared import declared_columns
from streaming.file_state import (
    QUARANTINE_TABLE,
    FileIdentity,
    Identified,
    LandedFile,
    ensure_state_tables,
    forget,
    record_read,
    record_recognised,
    try_fingerprint,
)
from streaming.lines import line_problem, split_lines

__all__ = ["LocalStreamingTable", "RefreshReport", "ensure_state_tables", "landed_files"]

# Files per transaction: bounds the memory of one batch while keeping commits few.
FILES_PER_BATCH = int(os.environ.get("LAKEHOUSE_FILES_PER_BATCH", "200"))
# A table without columns learns its keys from this many files before its first batch (read twice).
DISCOVERY_FILES = 8
MAX_COLUMN_NAME = 255
# Hashing reads each new file once; hashlib releases the GIL, so it runs on threads, one batch ahead.
HASH_THREADS = max(1, min(4, os.cpu_count() or 1))
# DuckDB's default checkpoint_threshold: a batch of new files this large commits as a checkpoint (_commit).
CHECKPOINT_BYTES = 16 * 1024 * 1024
# Real events reach ~40 KB; DuckDB sizes its read buffers by this, so keep its 16 MB default explicit.
MAX_OBJECT_BYTES = 16 * 1024 * 1024
# The line of _source_file a row was read from (from 1); NULL in a file read whole with no id on two
# lines, where line order decides nothing. Local only: read_files has no row position.
LINE_COLUMN = "_source_line"
# Names the loader's own queries use beside the landed keys; a landed key spelled so goes to _rescued_data.
_INTERNAL_NAMES = (LINE_COLUMN, "_landed_file", "_landed_row")
# Landing folders of API entities keyed by a top-level id (the landing contract); their records
# without a usable id (missing, null or empty: what silver drops) are kept aside.
ENTITIES_WITH_ID = ("events", "venues", "attractions")
# The console shows this many files with kept-aside records, and this many reasons per file.
SHOWN_FILES = 5
SHOWN_REASONS = 3


@dataclass
class QuarantinedRecord:
    source_file: str  # relative to the landing root
    line_number: int | None  # None: the whole file
    raw_text: str | None
    error: str


@dataclass
class RefreshReport:
    table: str
    new_files: int = 0
    rows: int = 0
    new_columns: list[str] = field(default_factory=list)
    quarantined: list[QuarantinedRecord] = field(default_factory=list)
    recognised: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.table}: {self.new_files} new file(s), {self.rows} row(s)"
        if self.new_columns:
            text += f", new column(s) {', '.join(self.new_columns)}"
        if self.recognised:
            text += f"; {self.recognised} file(s) already read (same content, moved, copied or touched)"
        if self.quarantined:
            files = len({q.source_file for q in self.quarantined})
            text += f"; {len(self.quarantined)} record(s) from {files} file(s) kept aside in {QUARANTINE_TABLE}"
        if self.unreadable:
            text += f"; {len(self.unreadable)} file(s) could not be read and will be tried again"
        return text

    def details(self) -> list[str]:
        """What was kept aside and what could not be read, bounded: a few files, a few reasons each."""
        lines = []
        by_file: dict[str, list[QuarantinedRecord]] = {}
        for record in self.quarantined:
            by_file.setdefault(record.source_file, []).append(record)
        for name, records in list(by_file.items())[:SHOWN_FILES]:
            if len(records) == 1 and records[0].line_number is None:
                lines.append(f"  kept aside: {name} (whole file): {records[0].error}")
                continue
            lines.append(f"  kept aside: {name}: {len(records)} record(s)")
            for record in records[:SHOWN_REASONS]:
                where = f"line {record.line_number}" if record.line_number else "whole file"
                lines.append(f"    {where}: {record.error}")
            if len(records) > SHOWN_REASONS:
                lines.append(f"    ... and {len(records) - SHOWN_REASONS} more")
        if len(by_file) > SHOWN_FILES:
            hidden = list(by_file.values())[SHOWN_FILES:]
            lines.append(
                f"  ... and {sum(len(r) for r in hidden)} record(s) from {len(hidden)} more file(s); "
                f"every one is in {QUARANTINE_TABLE} (table_name = '{self.table}')"
            )
        for name, error in self.unreadable[:SHOWN_FILES]:
            lines.append(f"  could not read {name}: {error}")
        return lines


def landed_files(source: Path) -> list[Path]:
    """Files under a landing folder, skipping names that read_files also skips (. and _ prefixes).

    One directory listing per folder (os.scandir knows which entries are folders without a stat each),
    not a stat per file: a landing zone of daily folders holds thousands of files, and every run lists
    it. Sorted as paths sort, folder by folder. Links to folders are not followed."""
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:  # gone, not a folder, or not readable: nothing landed there to read
            return
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")):
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, (*parts, name))
            elif entry.is_file() and not name.endswith((".tmp", ".partial")):
                found.append(((*parts, name), entry.path))

    walk(str(source), ())
    found.sort()
    return [Path(path) for _, path in found]


class LocalStreamingTable:
    def __init__(
        self, connection: duckdb.DuckDBPyConnection, spec: StreamingTableSpec, landing_root: str | Path | None = None
    ):
        self.connection = connection
        self.spec = spec
        self.table = spec.name
        source = Path(spec.source)
        root = Path(landing_root) if landing_root is not None else source.parent
        # Files are known relative to the landing root, so the whole data directory can move.
        self.root = root if source.is_relative_to(root) else source.parent
        self.needs_id = source.name in ENTITIES_WITH_ID
        self.declared = {column.name: column for column in declared_columns(spec.schema, spec.name)}

    def create(self) -> None:
        """The local meaning of CREATE OR REFRESH STREAMING TABLE: the table with its metadata columns
        (each landed field becomes a column as files bring it), the landing folder and the read state.
        Nothing is read yet; the run refreshes it."""
        Path(self.spec.source).mkdir(parents=True, exist_ok=True)
        self.connection.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table} (_rescued_data JSON, _source_file VARCHAR NOT NULL, "
            "_ingestion_timestamp TIMESTAMP WITH TIME ZONE NOT NULL, ingestion_date DATE NOT NULL, "
            f"{LINE_COLUMN} BIGINT)"
        )
        comment = self.spec.comment.replace("'", "''")
        self.connection.execute(f"COMMENT ON TABLE {self.table} IS '{comment}'")
        self.ensure()

    def ensure(self) -> None:
        """The state tables, the declared columns in their declared types, and the columns an older
        version's bronze table lacks."""
        ensure_state_tables(self.connection, self.root)
        self.connection.execute(f"ALTER TABLE {self.table} ADD COLUMN IF NOT EXISTS {LINE_COLUMN} BIGINT")
        self._declare_columns()

    def _declare_columns(self) -> None:
        """Each declared key a column of its declared type: added, parsed from the JSON an earlier version
        kept, or cast to a changed shape."""
        if not self.declared:
            return
        types = {name.lower(): kind for name, kind in self._column_types()}
        declared = list(self.declared.values())
        # The declared types as DuckDB spells them in duckdb_columns(), all in one query.
        spelled = self.connection.execute(
            "SELECT " + ", ".join(f"typeof(NULL::{column.duckdb_type})" for column in declared)
        ).fetchone()
        for column, wanted in zip(declared, spelled or (), strict=True):
            name = quote_identifier(column.name)
            kind = types.get(column.name.lower())
            if kind is None:
                self.connection.execute(f"ALTER TABLE {self.table} ADD COLUMN {name} {column.duckdb_type}")
            elif kind == "JSON":
                # A table from a version that kept every key as JSON: its values are parsed as new rows are.
                self.connection.execute(
                    f"ALTER TABLE {self.table} ALTER COLUMN {name} SET DATA TYPE {column.duckdb_type} "
                    f"USING {column.parsed(name)}"
                )
            elif kind != wanted:
                # The declared shape changed: rows read before keep what they had, by field name, and the
                # fields they never had are NULL, as on Databricks; a full refresh reads them again.
                self.connection.execute(
                    f"ALTER TABLE {self.table} ALTER COLUMN {name} SET DATA TYPE {column.duckdb_type} "
                    f"USING CAST({name} AS {column.duckdb_type})"
                )

    def refresh(self, *, full: bool = False) -> RefreshReport:
        self.ensure()
        (ordered,) = self.connection.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
        if not ordered:
            raise RuntimeError("bronze needs DuckDB's preserve_insertion_order setting on to number landed lines")
        report = RefreshReport(self.table)
        if full:
            self._reset()
        identity = FileIdentity(self.connection, self.table)
        landed = [(path, self._relative(path)) for path in landed_files(Path(self.spec.source))]
        changed, unreadable = identity.changed(landed)
        report.unreadable += unreadable
        groups = [changed[start : start + FILES_PER_BATCH] for start in range(0, len(changed), FILES_PER_BATCH)]
        with ThreadPoolExecutor(HASH_THREADS) as pool:

            def hash_ahead(group: list) -> list[Future]:
                return [pool.submit(try_fingerprint, path) for path, _, _ in group]

            ahead = hash_ahead(groups[0]) if groups else []
            for index, group in enumerate(groups):
                hashed = [future.result() for future in ahead]
                ahead = hash_ahead(groups[index + 1]) if index + 1 < len(groups) else []
                found = identity.sort(group, hashed)
                report.unreadable += found.unreadable
                if found.recognised:
                    record_recognised(self.connection, self.table, found.recognised)
                    report.recognised += len(found.recognised)
                if not found.new:
                    continue
                if self._is_empty():
                    self._discover_keys(found.new[:DISCOVERY_FILES], report)
                if not self._load_known_keys(found.new, found, report):
                    self._load_batch(found.new, found, report)
        return report

    def _discover_keys(self, files: list[LandedFile], report: RefreshReport) -> None:
        """A table without columns learns them from the keys of a few files first, so that its first
        batch can be read once too (_load_known_keys). Only columns are added: the files are read with
        their batch, and a key these files do not bring sends that batch to the survey (_load_batch)."""
        connection = self.connection
        try:
            self._survey(files)
            connection.execute("BEGIN TRANSACTION")
            try:
                self._evolve_schema(report)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        finally:
            connection.execute("DROP TABLE IF EXISTS _bronze_survey")

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _reset(self) -> None:
        # Full refresh forgets what was read, and rebuilds the table so the columns of undeclared keys
        # are re-inferred.
        self.connection.execute("BEGIN TRANSACTION")
        try:
            forget(self.connection, self.table)
            kept = {c.lower() for c in (*METADATA_COLUMNS, LINE_COLUMN, *self.declared)}
            for column in [c for c in self._columns() if c.lower() not in kept]:
                self.connection.execute(f"ALTER TABLE {self.table} DROP COLUMN {quote_identifier(column)}")
            self.connection.execute(f"DELETE FROM {self.table}")
            self.connection.execute("COMMIT")
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise

    def _is_empty(self) -> bool:
        row = self.connection.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {self.table})").fetchone()
        return bool(row and row[0])

    def _landed_columns(self) -> list[str]:
        """The columns holding landed keys, spelled as the keys are."""
        reserved = {c.lower() for c in (*METADATA_COLUMNS, *_INTERNAL_NAMES)}
        return [c for c in self._columns() if c.lower() not in reserved]

    def _columns(self) -> list[str]:
        return [name for name, _ in self._column_types()]

    def _column_types(self) -> list[tuple[str, str]]:
        schema, _, name = self.table.rpartition(".")
        return self.connection.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
            "ORDER BY column_index",
            [schema or "main", name],
        ).fetchall()

    # ------------------------------------------------------------------ one batch of new files

    def _load_known_keys(self, files: list[LandedFile], found: Identified, report: RefreshReport) -> bool:
        """Load a batch in one read when every line is an object with a usable id, no key the table
        lacks a column for and no id on two lines of a file: the usual batch once the keys are known.
        Anything else (a new key, a bad or blank line, an unreadable file) rolls the batch back and
        returns False, for _load_batch to survey it. Returns True once the batch is committed."""
        columns = self._landed_columns()
        if not columns:
            return False
        connection = self.connection
        loaded_at = datetime.now(UTC)
        connection.execute("BEGIN TRANSACTION")
        try:
            try:
                plain = self._insert_known_keys(files, columns, loaded_at)
            except duckdb.InterruptException:
                raise  # Ctrl-C stopped the statement: that ends the refresh, it says nothing of the files
            except duckdb.Error:
                plain = False  # a file DuckDB cannot read, or an object it cannot take as key-value pairs
            if not plain:
                connection.execute("ROLLBACK")
                return False
            twins = [t for f in files for t in found.twins.get(f.sha256, [])]
            self._record(files, twins, [], loaded_at, {f.relative: (f.lines, 0) for f in files})
            self._commit(files)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        report.new_files += len(files)
        report.rows += sum(f.lines for f in files)
        return True

    def _insert_known_keys(self, files: list[LandedFile], columns: list[str], loaded_at: datetime) -> bool:
        """Insert the lines that are objects of known keys (with a usable id); True when that is every
        line of every file and no file holds an id twice. Each object is parsed once, as key-value pairs."""
        targets, values, params = self._select_list(columns, [], lambda i, key: f"r.m[$key_{i}]")
        params.update({f"key_{i}": key for i, key in enumerate(columns)})
        params.update(files=[f.name for f in files], keys=columns, loaded_at=loaded_at, loaded_on=loaded_at.date())
        usable_id = f" AND {self._usable_id_of('r.m[$id_key]')}" if self.needs_id else ""
        if self.needs_id:
            params["id_key"] = "id"
        result = self.connection.execute(
            f"INSERT INTO {self.table} ({', '.join(targets)}) SELECT {', '.join(values)} FROM ("
            "SELECT TRY_CAST(json AS MAP(VARCHAR, JSON)) AS m, filename AS _landed_file, NULL::BIGINT AS _source_line "
            "FROM read_json_objects($files, format = 'newline_delimited', filename = true, "
            f"maximum_object_size = {MAX_OBJECT_BYTES})) AS r "
            f"WHERE list_has_all($keys, map_keys(r.m)){usable_id}",
            params,
        ).fetchone()
        if (int(result[0]) if result else 0) != sum(f.lines for f in files):
            return False
        # Per file: every line became a row, and (where silver keys by id) no id came twice, which
        # would make line order matter (_source_line).
        distinct_ids = "count(*)"
        if self.needs_id:
            distinct_ids = (
                "count(DISTINCT id)" if "id" in self.declared else "count(DISTINCT json_extract_string(id, '$'))"
            )
        loaded = {
            name: (rows, ids)
            for name, rows, ids in self.connection.execute(
                f"SELECT _source_file, count(*), {distinct_ids} FROM {self.table} "
                "WHERE _ingestion_timestamp = $loaded_at GROUP BY 1",
                {"loaded_at": loaded_at},
            ).fetchall()
        }
        return all(loaded.get(f.name, (0, 0)) == (f.lines, f.lines) for f in files)

    def _load_batch(self, files: list[LandedFile], found: Identified, report: RefreshReport) -> None:
        connection = self.connection
        loaded_at = datetime.now(UTC)
        # Surveying only reads (into temporary tables), so it runs before the transaction: isolating
        # a file DuckDB cannot read means statements that fail, and a failed statement aborts a transaction.
        try:
            plain, numbered, troubled = self._survey(files)
            quarantined, vanished = self._split_troubled(troubled)
            read = [f for f in files if f not in vanished]
            connection.execute("BEGIN TRANSACTION")
            try:
                columns, rescued = self._evolve_schema(report)
                rows = self._insert_plain(plain, columns, rescued, loaded_at, numbered=False)
                rows += self._insert_plain(numbered, columns, rescued, loaded_at, numbered=True)
                rows += self._insert_lines(columns, rescued, loaded_at)
                twins = [t for f in read for t in found.twins.get(f.sha256, [])]
                self._record(read, twins, quarantined, loaded_at, self._surveyed_counts(read, quarantined))
                self._commit(read)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        finally:
            for temporary in ("_bronze_survey", "_bronze_lines", "_bronze_line_survey"):
                connection.execute(f"DROP TABLE IF EXISTS {temporary}")
        report.new_files += len(read)
        report.rows += rows
        report.quarantined += quarantined
        report.unreadable += [(f.relative, "the file disappeared while it was being read") for f in vanished]

    def _commit(self, files: list[LandedFile]) -> None:
        """Commit a batch. DuckDB logs what a commit writes (rows short of a whole row group, so all of a
        small table's) and writes it again into the database file at the next checkpoint, which a log
        past CHECKPOINT_BYTES asks for at the next commit. A batch of that size commits as a checkpoint
        instead: its rows are written once, into the file (the threshold is put back right after)."""
        if sum(f.size for f in files) < CHECKPOINT_BYTES:
            self.connection.execute("COMMIT")
            return
        row = self.connection.execute("SELECT current_setting('checkpoint_threshold')").fetchone()
        threshold = str(row[0]).replace("'", "''") if row else "16MiB"
        self.connection.execute("SET checkpoint_threshold = '0b'")
        try:
            self.connection.execute("COMMIT")
        finally:
            self.connection.execute(f"SET checkpoint_threshold = '{threshold}'")

    def _typed(self, key: str, json_value: str) -> str:
        """A landed key's JSON value as its column holds it: parsed into the declared type, else JSON."""
        column = self.declared.get(key)
        return column.parsed(json_value) if column is not None else json_value

    def _usable_id(self, value: str) -> str:
        # What silver keeps: an id that is present, not null and not empty once read as a string.
        if not self.needs_id:
            return "true"
        return f"coalesce(length(json_extract_string({value}, '$.id')) > 0, false)"

    @staticmethod
    def _usable_id_of(id_value: str) -> str:
        # The same test on the id's own JSON value.
        return f"coalesce(length(json_extract_string({id_value}, '$')) > 0, false)"

    def _survey(self, files: list[LandedFile]) -> tuple[list[LandedFile], list[LandedFile], list[LandedFile]]:
        """One light pass by DuckDB: which records are loadable objects, their keys and their ids.

        Returns the plain files (every line one loadable record, no id on two lines), loaded in one
        typed read that DuckDB runs on every thread; the plain files with an id on several lines, whose
        line order decides which version silver keeps, loaded in a typed read that numbers their lines
        (one thread); and the troubled files (a bad or blank line, a record without a usable id, unreadable
        to DuckDB at all), split line by line in Python."""
        readable = list(files)
        unreadable: list[LandedFile] = []
        record_id = "json_extract_string(json, '$.id')" if self.needs_id else "NULL"
        has_id = "coalesce(length(record_id) > 0, false)" if self.needs_id else "true"
        while readable:
            try:
                self.connection.execute(
                    "CREATE OR REPLACE TEMP TABLE _bronze_survey AS "
                    f"SELECT source_file, ok, keys, ok AND {has_id} AS loadable, record_id FROM ("
                    "SELECT source_file, ok, CASE WHEN ok THEN json_keys(json) END AS keys, "
                    f"CASE WHEN ok THEN {record_id} END AS record_id FROM ("
                    "SELECT filename AS source_file, json, coalesce(json_type(json) = 'OBJECT', false) AS ok "
                    "FROM read_json_objects(?, format = 'newline_delimited', filename = true, "
                    f"ignore_errors = true, maximum_object_size = {MAX_OBJECT_BYTES})))",
                    [[f.name for f in readable]],
                )
                break
            except duckdb.InterruptException:
                raise
            except duckdb.Error:
                bad = self._first_unreadable(readable)
                unreadable.append(bad)
                readable = [f for f in readable if f is not bad]
        else:
            self.connection.execute(
                "CREATE OR REPLACE TEMP TABLE _bronze_survey "
                "(source_file VARCHAR, ok BOOLEAN, keys VARCHAR[], loadable BOOLEAN, record_id VARCHAR)"
            )
        counts = {
            name: (total, unusable, repeated)
            for name, total, unusable, repeated in self.connection.execute(
                "SELECT source_file, count(*), count(*) FILTER (WHERE NOT loadable), "
                "count(record_id) - count(DISTINCT record_id) FROM _bronze_survey GROUP BY 1"
            ).fetchall()
        }
        plain, numbered, troubled = [], [], []
        for landed in files:
            total, unusable, repeated = counts.get(landed.name, (0, 0, 0))
            if landed in unreadable or total != landed.lines or unusable:
                troubled.append(landed)
            elif repeated:
                numbered.append(landed)
            else:
                plain.append(landed)
        return plain, numbered, troubled

    def _first_unreadable(self, files: list[LandedFile]) -> LandedFile:
        for landed in files:
            try:
                self.connection.execute(
                    "SELECT count(*) FROM read_json_objects(?, format = 'newline_delimited', "
                    f"ignore_errors = true, maximum_object_size = {MAX_OBJECT_BYTES})",
                    [landed.name],
                )
            except duckdb.InterruptException:
                raise
            except duckdb.Error:
                return landed
        raise RuntimeError("a batch failed to read but every file reads alone")

    def _split_troubled(self, files: list[LandedFile]) -> tuple[list[QuarantinedRecord], list[LandedFile]]:
        """Split troubled files into lines in Python; DuckDB then judges each decoded line as it judges
        whole files. Returns what is kept aside, and the files that vanished before they could be read."""
        connection = self.connection
        connection.execute(
            "CREATE OR REPLACE TEMP TABLE _bronze_lines (_landed_file VARCHAR, _source_line BIGINT, record VARCHAR)"
        )
        quarantined: list[QuarantinedRecord] = []
        vanished: list[LandedFile] = []
        relative = {f.name: f.relative for f in files}
        for landed in files:
            try:
                data = landed.path.read_bytes()
            except OSError:
                vanished.append(landed)
                continue
            split = split_lines(data)
            if split.whole_file_reason is not None:
                quarantined.append(QuarantinedRecord(landed.relative, None, None, split.whole_file_reason))
                continue
            quarantined += [QuarantinedRecord(landed.relative, n, text, why) for n, text, why in split.bad_lines]
            if split.lines:
                connection.execute(
                    "INSERT INTO _bronze_lines SELECT $file, unnest($numbers), unnest($texts)",
                    {
                        "file": landed.name,
                        "numbers": [n for n, _ in split.lines],
                        "texts": [text for _, text in split.lines],
                    },
                )
        id_problem = "NULL"
        if self.needs_id:
            id_problem = (
                "CASE WHEN NOT ok THEN NULL "
                "WHEN json_type(record, '$.id') IS NULL THEN 'the id field is missing' "
                "WHEN json_type(record, '$.id') = 'NULL' THEN 'the id is null' "
                f"WHEN NOT {self._usable_id('record')} THEN 'the id is empty' END"
            )
        connection.execute(
            "CREATE OR REPLACE TEMP TABLE _bronze_line_survey AS "
            f"SELECT *, CASE WHEN ok THEN json_keys(record) END AS keys, {id_problem} AS id_problem FROM ("
            "SELECT *, CASE WHEN json_valid(record) THEN json_type(record) = 'OBJECT' ELSE false END AS ok "
            "FROM _bronze_lines)"
        )
        for name, number, record, problem in connection.execute(
            "SELECT _landed_file, _source_line, record, id_problem FROM _bronze_line_survey "
            "WHERE NOT ok OR id_problem IS NOT NULL"
        ).fetchall():
            reason = line_problem(record) if problem is None else f"no usable id: {problem} (silver keys records by id)"
            quarantined.append(QuarantinedRecord(relative[name], number, record, reason))
        if relative:
            connection.execute("DELETE FROM _bronze_survey WHERE list_contains(?, source_file)", [list(relative)])
        connection.execute(
            "INSERT INTO _bronze_survey "
            "SELECT _landed_file, ok, keys, ok AND id_problem IS NULL, NULL FROM _bronze_line_survey"
        )
        connection.execute("DROP TABLE _bronze_lines")
        quarantined.sort(key=lambda q: (q.source_file, q.line_number or 0))
        return quarantined, vanished

    def _evolve_schema(self, report: RefreshReport) -> tuple[list[str], list[str]]:
        """Add a JSON column per new top-level key; keys that cannot be columns go to _rescued_data."""
        existing = self._columns()
        reserved = {c.lower() for c in (*METADATA_COLUMNS, *_INTERNAL_NAMES)}
        taken = {c.lower() for c in existing}
        # The most frequent spelling of a key claims the column when two differ only by case; on a
        # tie, the lower-case spelling (JSON keys are camelCase far more often than not).
        counted = self.connection.execute(
            "SELECT k, count(*) FROM (SELECT unnest(keys) AS k FROM _bronze_survey WHERE loadable) GROUP BY k"
        ).fetchall()
        keys = [k for k, _ in sorted(counted, key=lambda kn: (-kn[1], kn[0].swapcase()))]
        columns: list[str] = []
        rescued: list[str] = []
        for key in keys:
            if key.lower() in reserved:
                rescued.append(key)
            elif key in existing:
                columns.append(key)
            elif not key or len(key) > MAX_COLUMN_NAME or key.lower() in taken or not key.isprintable():
                rescued.append(key)
            else:
                self.connection.execute(f"ALTER TABLE {self.table} ADD COLUMN {quote_identifier(key)} JSON")
                taken.add(key.lower())
                columns.append(key)
                report.new_columns.append(key)
        return columns, rescued

    def _select_list(self, columns: list[str], rescued: list[str], value_of) -> tuple[list[str], list[str], dict]:
        """Target columns, their value expressions and the bound parameters, for one insert from `r`."""
        params: dict[str, object] = {}
        values = [self._typed(key, value_of(i, key)) for i, key in enumerate(columns)]
        rescued_sql = "NULL"
        if rescued:
            pairs, present = [], []
            for n, key in enumerate(rescued):
                params[f"rescued_{n}"] = key
                value = value_of(len(columns) + n, key)
                pairs.append(f"$rescued_{n}, {value}")
                present.append(f"{value} IS NOT NULL")
            rescued_sql = f"CASE WHEN {' OR '.join(present)} THEN json_object({', '.join(pairs)}) END"
        targets = [quote_identifier(c) for c in columns]
        targets += ["_rescued_data", "_source_file", "_ingestion_timestamp", "ingestion_date", LINE_COLUMN]
        values += [rescued_sql, "r._landed_file", "$loaded_at::TIMESTAMPTZ", "$loaded_on::DATE", "r._source_line"]
        return targets, values, params

    def _insert_plain(
        self, files: list[LandedFile], columns: list[str], rescued: list[str], loaded_at: datetime, *, numbered: bool
    ) -> int:
        """Plain files in one read. Numbered, lines are counted in the order DuckDB reads them (it keeps
        the order of the files and of their lines), less the lines of the files before. Counting rows
        in order takes DuckDB's read to one thread, so files whose line order decides nothing are read
        on every thread and keep _source_line NULL."""
        if not files:
            return 0
        first_rows, row = [], 1
        for landed in files:
            first_rows.append(row)
            row += landed.lines
        params: dict[str, object] = {
            "files": [f.name for f in files],
            "loaded_at": loaded_at,
            "loaded_on": loaded_at.date(),
        }
        row_number = "row_number() OVER ()" if numbered else "NULL::BIGINT"
        line = "NULL::BIGINT"
        if numbered:
            params["first_rows"] = first_rows
            line = "_landed_row - list_extract($first_rows, list_position($files, _landed_file)) + 1"
        if rescued:
            # Keys kept in _rescued_data may not even be valid column names (""): every wanted key is
            # extracted from the whole object by JSON pointer, and the pointers travel as parameters.
            targets, values, extra = self._select_list(columns, rescued, _extracted)
            params["pointers"] = _pointers(columns + rescued)
            read = (
                "SELECT json_extract(json, $pointers::VARCHAR[]) AS v, filename AS _landed_file, "
                f"{row_number} AS _landed_row FROM read_json_objects($files, format = 'newline_delimited', "
                f"filename = true, maximum_object_size = {MAX_OBJECT_BYTES})"
            )
        else:
            targets, values, extra = self._select_list(columns, [], lambda i, key: f"r.{quote_identifier(key)}")
            params["schema"] = {key: "JSON" for key in columns or ["_no_keys"]}  # read_json needs a column
            read = (
                f"SELECT *, {row_number} AS _landed_row FROM read_json($files, format = 'newline_delimited', "
                f"columns = $schema, filename = '_landed_file', maximum_object_size = {MAX_OBJECT_BYTES})"
            )
        params.update(extra)
        # The first row of each file is looked up by position, not joined: a join would cost DuckDB its
        # direct write of whole row groups, and the next checkpoint would rewrite the whole batch.
        sql = (
            f"INSERT INTO {self.table} ({', '.join(targets)}) SELECT {', '.join(values)} FROM ("
            f"SELECT *, {line} AS _source_line FROM ({read})) AS r"
        )
        result = self.connection.execute(sql, params).fetchone()
        inserted = int(result[0]) if result else 0
        expected = sum(f.lines for f in files)
        if inserted != expected:
            raise RuntimeError(f"{self.table}: read {inserted} record(s) from files of {expected} line(s)")
        return inserted

    def _insert_lines(self, columns: list[str], rescued: list[str], loaded_at: datetime) -> int:
        """The loadable lines of troubled files, each parsed once by DuckDB."""
        keys = columns + rescued
        targets, values, params = self._select_list(columns, rescued, _extracted)
        params.update(pointers=_pointers(keys), loaded_at=loaded_at, loaded_on=loaded_at.date())
        sql = (
            f"INSERT INTO {self.table} ({', '.join(targets)}) SELECT {', '.join(values)} FROM ("
            "SELECT json_extract(record, $pointers::VARCHAR[]) AS v, _landed_file, _source_line "
            "FROM _bronze_line_survey WHERE ok AND id_problem IS NULL) AS r"
        )
        result = self.connection.execute(sql, params).fetchone()
        return int(result[0]) if result else 0

    def _surveyed_counts(
        self, files: list[LandedFile], quarantined: list[QuarantinedRecord]
    ) -> dict[str, tuple[int, int]]:
        """Per file of a surveyed batch: records loaded, records kept aside."""
        loaded = dict(
            self.connection.execute(
                "SELECT source_file, count(*) FILTER (WHERE loadable) FROM _bronze_survey GROUP BY 1"
            ).fetchall()
        )
        kept_aside: dict[str, int] = {}
        for record in quarantined:
            kept_aside[record.source_file] = kept_aside.get(record.source_file, 0) + 1
        return {f.relative: (int(loaded.get(f.name, 0)), kept_aside.get(f.relative, 0)) for f in files}

    def _record(
        self,
        files: list[LandedFile],
        twins: list[LandedFile],
        quarantined: list[QuarantinedRecord],
        loaded_at: datetime,
        counts: dict[str, tuple[int, int]],
    ) -> None:
        """Inside the batch's transaction: the files read, their counts and what was kept aside."""
        record_read(self.connection, self.table, files, counts, twins, loaded_at)
        if quarantined:
            self.connection.executemany(
                f"INSERT INTO {QUARANTINE_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
                [[self.table, q.source_file, q.line_number, q.raw_text, q.error, loaded_at] for q in quarantined],
            )


def _extracted(i: int, key: str) -> str:
    """The i-th value taken by JSON pointer from `r.v`; a JSON null is SQL NULL, as in a file read whole."""
    return f"nullif(r.v[{i + 1}], 'null'::JSON)"


def _pointers(keys: list[str]) -> list[str]:
    return ["/" + k.replace("~", "~0").replace("/", "~1") for k in keys] or ["/"]
