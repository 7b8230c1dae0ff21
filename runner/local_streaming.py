"""The local meaning of a Databricks streaming table over read_files, on DuckDB.

Each landed file is read exactly once: the rows of a batch of new files and the record that those
files were read commit in one transaction, so a crash leaves either both or neither. New top-level
JSON fields become new columns (older rows keep NULL). A line that is not a JSON object is kept
aside in bronze._quarantine with its file, line and error; the rest of its file is ingested.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from runner.identifiers import quote_identifier
from runner.macros import METADATA_COLUMNS, StreamingTableSpec

FILES_TABLE = "bronze._ingested_files"
QUARANTINE_TABLE = "bronze._quarantine"
# Files per transaction: bounds the memory of one batch while keeping commits few.
FILES_PER_BATCH = int(os.environ.get("LAKEHOUSE_FILES_PER_BATCH", "200"))
MAX_COLUMN_NAME = 255
# Real events reach ~40 KB; DuckDB sizes its read buffers by this, so keep its 16 MB default explicit.
MAX_OBJECT_BYTES = 16 * 1024 * 1024

_CREATE_FILES = f"""
CREATE TABLE IF NOT EXISTS {FILES_TABLE} (
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    file_size BIGINT NOT NULL,
    records BIGINT NOT NULL,
    quarantined_records BIGINT NOT NULL,
    ingested_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (table_name, source_file)
)"""
_CREATE_QUARANTINE = f"""
CREATE TABLE IF NOT EXISTS {QUARANTINE_TABLE} (
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    line_number BIGINT,
    raw_text VARCHAR,
    error VARCHAR NOT NULL,
    quarantined_at TIMESTAMP WITH TIME ZONE NOT NULL
)"""


@dataclass
class QuarantinedRecord:
    source_file: str
    line_number: int | None
    raw_text: str | None
    error: str


@dataclass
class RefreshReport:
    table: str
    new_files: int = 0
    rows: int = 0
    new_columns: list[str] = field(default_factory=list)
    quarantined: list[QuarantinedRecord] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.table}: {self.new_files} new file(s), {self.rows} row(s)"
        if self.new_columns:
            text += f", new column(s) {', '.join(self.new_columns)}"
        if self.quarantined:
            text += f"; {len(self.quarantined)} malformed record(s) kept aside in {QUARANTINE_TABLE}"
        return text


def ensure_state_tables(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(_CREATE_FILES)
    connection.execute(_CREATE_QUARANTINE)


def landed_files(source: Path) -> list[Path]:
    """Files under a landing folder, skipping names that read_files also skips (. and _ prefixes)."""
    if not source.is_dir():
        return []
    found = []
    for path in source.rglob("*"):
        relative = path.relative_to(source).parts
        if any(part.startswith((".", "_")) for part in relative) or not path.is_file():
            continue
        if path.suffix in (".tmp", ".partial"):
            continue
        found.append(path)
    return sorted(found)


class LocalStreamingTable:
    def __init__(self, connection: duckdb.DuckDBPyConnection, spec: StreamingTableSpec):
        self.connection = connection
        self.spec = spec
        self.table = spec.name

    def refresh(self, *, full: bool = False) -> RefreshReport:
        ensure_state_tables(self.connection)
        report = RefreshReport(self.table)
        if full:
            self._reset()
        done = {
            row[0]
            for row in self.connection.execute(
                f"SELECT source_file FROM {FILES_TABLE} WHERE table_name = ?", [self.table]
            ).fetchall()
        }
        pending = [p for p in landed_files(Path(self.spec.source)) if str(p) not in done]
        for start in range(0, len(pending), FILES_PER_BATCH):
            self._load_batch(pending[start : start + FILES_PER_BATCH], report)
        return report

    def _reset(self) -> None:
        # Full refresh forgets what was read, and rebuilds the table so its columns are re-inferred.
        self.connection.execute("BEGIN TRANSACTION")
        try:
            for table in (FILES_TABLE, QUARANTINE_TABLE):
                self.connection.execute(f"DELETE FROM {table} WHERE table_name = ?", [self.table])
            extra = [c for c in self._columns() if c not in METADATA_COLUMNS]
            for column in extra:
                self.connection.execute(f"ALTER TABLE {self.table} DROP COLUMN {quote_identifier(column)}")
            self.connection.execute(f"DELETE FROM {self.table}")
            self.connection.execute("COMMIT")
        except Exception:
            self.connection.execute("ROLLBACK")
            raise

    def _columns(self) -> list[str]:
        schema, _, name = self.table.rpartition(".")
        rows = self.connection.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
            [schema or "main", name],
        ).fetchall()
        return [r[0] for r in rows]

    def _load_batch(self, files: list[Path], report: RefreshReport) -> None:
        connection = self.connection
        loaded_at = datetime.now(UTC)
        # The survey only reads (into a temporary table), so it runs before the transaction: isolating
        # an unreadable file means statements that fail, and a failed statement aborts a transaction.
        readable, unreadable = self._survey(files)
        connection.execute("BEGIN TRANSACTION")
        try:
            quarantined = [QuarantinedRecord(str(p), None, None, err) for p, err in unreadable]
            quarantined += self._malformed_records()
            columns, rescued = self._evolve_schema(report)
            # Keys kept in _rescued_data may not even be valid column names (""), so a batch with any
            # takes the record-by-record path, as do files with bad records.
            dirty = {q.source_file for q in quarantined}
            clean = [p for p in readable if str(p) not in dirty and not rescued]
            messy = [p for p in readable if str(p) in dirty or rescued]
            rows = self._insert_clean(clean, columns, rescued, loaded_at)
            rows += self._insert_messy(messy, columns, rescued, loaded_at)
            self._record(files, quarantined, loaded_at)
            connection.execute("COMMIT")
        except Exception:
            connection.execute("ROLLBACK")
            raise
        finally:
            connection.execute("DROP TABLE IF EXISTS _bronze_survey")
            connection.execute("DROP TABLE IF EXISTS _bronze_messy")
        report.new_files += len(files)
        report.rows += rows
        report.quarantined += quarantined

    def _survey(self, files: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
        """One light pass: which records are JSON objects and which keys they carry (no values kept).

        Files DuckDB cannot read at all (not text, say) are isolated one by one and kept aside whole.
        """
        readable = list(files)
        unreadable: list[tuple[Path, str]] = []
        while readable:
            try:
                self.connection.execute(
                    "CREATE OR REPLACE TEMP TABLE _bronze_survey AS "
                    "SELECT filename AS source_file, coalesce(json_type(json) = 'OBJECT', false) AS ok, "
                    "CASE WHEN json_type(json) = 'OBJECT' THEN json_keys(json) END AS keys "
                    "FROM read_json_objects(?, format = 'newline_delimited', filename = true, "
                    f"ignore_errors = true, maximum_object_size = {MAX_OBJECT_BYTES})",
                    [[str(p) for p in readable]],
                )
                return readable, unreadable
            except duckdb.Error:
                bad = self._first_unreadable(readable)
                unreadable.append(bad)
                readable = [p for p in readable if p != bad[0]]
        self.connection.execute(
            "CREATE OR REPLACE TEMP TABLE _bronze_survey (source_file VARCHAR, ok BOOLEAN, keys VARCHAR[])"
        )
        return readable, unreadable

    def _first_unreadable(self, files: list[Path]) -> tuple[Path, str]:
        for path in files:
            try:
                self.connection.execute(
                    "SELECT count(*) FROM read_json_objects(?, format = 'newline_delimited', "
                    f"ignore_errors = true, maximum_object_size = {MAX_OBJECT_BYTES})",
                    [str(path)],
                )
            except duckdb.Error as exc:
                return path, f"cannot read the file: {exc}"
        raise RuntimeError("a batch failed to read but every file reads alone")

    def _malformed_records(self) -> list[QuarantinedRecord]:
        """Find the exact line and parser message of each bad record, reading only affected files."""
        files = [
            r[0]
            for r in self.connection.execute(
                "SELECT DISTINCT source_file FROM _bronze_survey WHERE NOT ok ORDER BY 1"
            ).fetchall()
        ]
        found: list[QuarantinedRecord] = []
        for name in files:
            with open(name, encoding="utf-8", errors="replace") as handle:
                for number, line in enumerate(handle, start=1):
                    text = line.strip()
                    if not text:
                        continue
                    raw = line.rstrip("\n")
                    try:
                        value = json.loads(text)
                    except json.JSONDecodeError as exc:
                        found.append(QuarantinedRecord(name, number, raw, f"malformed JSON: {exc}"))
                        continue
                    if not isinstance(value, dict):
                        kind = type(value).__name__
                        found.append(QuarantinedRecord(name, number, raw, f"expected a JSON object, found {kind}"))
        return found

    def _evolve_schema(self, report: RefreshReport) -> tuple[list[str], list[str]]:
        """Add a JSON column per new top-level key; keys that cannot be columns go to _rescued_data."""
        existing = self._columns()
        metadata = {c.lower() for c in METADATA_COLUMNS}
        taken = {c.lower() for c in existing}
        # The most frequent spelling of a key claims the column when two differ only by case; on a
        # tie, the lower-case spelling (JSON keys are camelCase far more often than not).
        counted = self.connection.execute(
            "SELECT k, count(*) FROM (SELECT unnest(keys) AS k FROM _bronze_survey WHERE ok) GROUP BY k"
        ).fetchall()
        keys = [k for k, _ in sorted(counted, key=lambda kn: (-kn[1], kn[0].swapcase()))]
        columns: list[str] = []
        rescued: list[str] = []
        for key in keys:
            if key.lower() in metadata:
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
        """Target columns, their value expressions and the bound parameters, for one insert."""
        params: dict[str, object] = {}
        values = [value_of(i, key) for i, key in enumerate(columns)]
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
        targets += ["_rescued_data", "_source_file", "_ingestion_timestamp", "ingestion_date"]
        values += [rescued_sql, "_landed_file", "$loaded_at::TIMESTAMPTZ", "$loaded_on::DATE"]
        return targets, values, params

    def _insert_clean(self, files: list[Path], columns: list[str], rescued: list[str], loaded_at: datetime) -> int:
        """Files with no bad record: one typed read straight into the table (one JSON parse per record)."""
        if not files:
            return 0
        keys = columns or ["_no_keys"]  # read_json needs a column even when every object is empty
        targets, values, params = self._select_list(columns, [], lambda i, key: quote_identifier(key))
        params.update(
            files=[str(p) for p in files],
            schema={key: "JSON" for key in keys},
            loaded_at=loaded_at,
            loaded_on=loaded_at.date(),
        )
        sql = (
            f"INSERT INTO {self.table} ({', '.join(targets)}) SELECT {', '.join(values)} "
            "FROM read_json($files, format = 'newline_delimited', columns = $schema, filename = '_landed_file', "
            f"maximum_object_size = {MAX_OBJECT_BYTES})"
        )
        result = self.connection.execute(sql, params).fetchone()
        return int(result[0]) if result else 0

    def _insert_messy(self, files: list[Path], columns: list[str], rescued: list[str], loaded_at: datetime) -> int:
        """Files with bad records: read objects one by one and insert only the good ones."""
        if not files:
            return 0
        keys = columns + rescued
        self.connection.execute(
            "CREATE OR REPLACE TEMP TABLE _bronze_messy AS "
            "SELECT filename AS _landed_file, json AS record "
            "FROM read_json_objects(?, format = 'newline_delimited', filename = true, "
            f"ignore_errors = true, maximum_object_size = {MAX_OBJECT_BYTES}) WHERE json_type(json) = 'OBJECT'",
            [[str(p) for p in files]],
        )
        targets, values, params = self._select_list(columns, rescued, lambda i, key: f"v[{i + 1}]")
        # Every wanted key is extracted at once by JSON pointer, and the pointers travel as parameters.
        params.update(
            pointers=["/" + k.replace("~", "~0").replace("/", "~1") for k in keys] or ["/"],
            loaded_at=loaded_at,
            loaded_on=loaded_at.date(),
        )
        sql = (
            f"INSERT INTO {self.table} ({', '.join(targets)}) SELECT {', '.join(values)} FROM ("
            "SELECT json_extract(record, $pointers::VARCHAR[]) AS v, _landed_file FROM _bronze_messy)"
        )
        result = self.connection.execute(sql, params).fetchone()
        return int(result[0]) if result else 0

    def _record(self, files: list[Path], quarantined: list[QuarantinedRecord], loaded_at: datetime) -> None:
        counts = dict(
            self.connection.execute(
                "SELECT source_file, count(*) FILTER (WHERE ok) FROM _bronze_survey GROUP BY 1"
            ).fetchall()
        )
        bad: dict[str, int] = {}
        for record in quarantined:
            bad[record.source_file] = bad.get(record.source_file, 0) + 1
        self.connection.executemany(
            f"INSERT INTO {FILES_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
            [
                [self.table, str(p), p.stat().st_size, int(counts.get(str(p), 0)), bad.get(str(p), 0), loaded_at]
                for p in files
            ],
        )
        if quarantined:
            self.connection.executemany(
                f"INSERT INTO {QUARANTINE_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
                [[self.table, q.source_file, q.line_number, q.raw_text, q.error, loaded_at] for q in quarantined],
            )
