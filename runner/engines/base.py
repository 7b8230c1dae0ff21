"""What every engine offers the runner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

Params = Sequence[Any] | Mapping[str, Any] | None


@dataclass
class QueryResult:
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    rowcount: int | None = None


# Statements whose result is rows for the caller; the rest report only how many rows they changed.
ROW_RETURNING = {
    "SELECT",
    "WITH",
    "VALUES",
    "FROM",
    "TABLE",
    "SHOW",
    "DESCRIBE",
    "DESC",
    "EXPLAIN",
    "SUMMARIZE",
    "CALL",
}


class Engine(Protocol):
    dialect: str

    def execute(self, sql: str, params: Params = None, *, origin: str | None = None, line: int = 1) -> QueryResult:
        """Run one statement; values travel as bound parameters, never in the SQL text.

        origin and line say where the statement sits in its file, for error messages."""
        ...

    def close(self) -> None: ...
