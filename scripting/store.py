"""Where registered procedures live: a table in the DuckDB database itself.

Keeping them in the database (not in the Python process) is what lets `deploy` register a
procedure and a later `run` call it, and it keeps procedures beside the tables they act on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb

from scripting import ast

SCHEMA = "_runner"
TABLE = f"{SCHEMA}.procedures"


@dataclass
class StoredProcedure:
    schema: str
    name: str
    source: str
    line_offset: int
    origin: str | None
    dialect: str = "rendered"


class ProcedureStore:
    def __init__(self, conn: duckdb.DuckDBPyConnection):
        self.conn = conn
        self._ready = False

    def _ensure(self) -> None:
        if self._ready:
            return
        self.conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        self.conn.execute(
            f"""CREATE TABLE IF NOT EXISTS {TABLE} (
                schema_name VARCHAR NOT NULL,
                procedure_name VARCHAR NOT NULL,
                parameters VARCHAR NOT NULL,   -- JSON: [{{mode, name, type, default}}]
                body VARCHAR NOT NULL,         -- the BEGIN ... END compound, as written
                source VARCHAR NOT NULL,       -- the whole CREATE PROCEDURE statement
                comment VARCHAR,
                origin VARCHAR,                -- file the statement came from, when known
                line_offset INTEGER NOT NULL,  -- lines before the CREATE in that file
                created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
                PRIMARY KEY (schema_name, procedure_name)
            )"""
        )
        self._add_dialect_column()
        self._ready = True

    def _add_dialect_column(self) -> None:
        # 'rendered': deployed from sql/procedures, already rendered for DuckDB by the macros;
        # 'databricks': written by a user (`runner exec`), translated statement by statement when it runs.
        self.conn.execute(f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS dialect VARCHAR DEFAULT 'rendered'")

    def _has_dialect_column(self) -> bool:
        row = self.conn.execute(
            "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = ? AND table_name = 'procedures' AND column_name = 'dialect'",
            [SCHEMA],
        ).fetchone()
        return bool(row and row[0])

    def _exists(self) -> bool:
        if self._ready:
            return True
        row = self.conn.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = ? AND table_name = 'procedures'",
            [SCHEMA],
        ).fetchone()
        return bool(row and row[0])

    def schema_exists(self, schema: str) -> bool:
        row = self.conn.execute(
            "SELECT count(*) FROM duckdb_schemas() WHERE database_name = current_database() AND schema_name = ?",
            [schema],
        ).fetchone()
        return bool(row and row[0])

    def current_schema(self) -> str:
        row = self.conn.execute("SELECT current_schema()").fetchone()
        return row[0] if row else "main"

    def get(self, schema: str, name: str) -> StoredProcedure | None:
        if not self._exists():
            return None
        dialect = "dialect" if self._ready or self._has_dialect_column() else "'rendered'"
        row = self.conn.execute(
            f"SELECT schema_name, procedure_name, source, line_offset, origin, {dialect} FROM {TABLE} "
            "WHERE schema_name = ? AND procedure_name = ?",
            [schema, name],
        ).fetchone()
        return StoredProcedure(*row) if row else None

    def save(
        self,
        schema: str,
        name: str,
        definition: ast.ProcedureDef,
        body: str,
        source: str,
        line_offset: int,
        origin: str | None,
        dialect: str = "rendered",
    ) -> None:
        self._ensure()
        same = self.conn.execute(
            f"SELECT count(*) FROM {TABLE} WHERE schema_name = ? AND procedure_name = ? AND source = ? "
            "AND origin IS NOT DISTINCT FROM ? AND line_offset = ? AND dialect = ?",
            [schema, name, source, origin, line_offset, dialect],
        ).fetchone()
        if same and same[0]:
            return  # redeploying an unchanged procedure changes nothing, its created_at included
        params = [
            {"mode": p.mode, "name": p.name, "type": p.type_text, "default": p.default.text if p.default else None}
            for p in definition.params
        ]
        self.conn.execute(
            f"INSERT OR REPLACE INTO {TABLE} (schema_name, procedure_name, parameters, body, source, comment, "
            "origin, line_offset, dialect, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
            [schema, name, json.dumps(params), body, source, definition.comment, origin, line_offset, dialect],
        )

    def drop(self, schema: str, name: str) -> bool:
        if not self._exists():
            return False
        row = self.conn.execute(
            f"DELETE FROM {TABLE} WHERE schema_name = ? AND procedure_name = ? RETURNING 1", [schema, name]
        ).fetchall()
        return bool(row)

    def names(self) -> list[str]:
        if not self._exists():
            return []
        rows = self.conn.execute(f"SELECT schema_name || '.' || procedure_name FROM {TABLE} ORDER BY 1").fetchall()
        return [r[0] for r in rows]
