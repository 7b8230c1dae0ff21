"""Print query results as an aligned table, CSV or JSON.

The table is for reading: numbers right-aligned, floats rounded to four decimals, the first rows
only (a note says how many were left out). CSV and JSON are for programs: every row, every digit,
numbers as numbers, text as UTF-8.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from rich.table import Table

from runner.engines.base import QueryResult

FORMATS = ("table", "csv", "json")
DEFAULT_LIMIT = 100
FLOAT_DECIMALS = 4
# A decimal travels through json.dumps as a marked string, then loses its quotes and marks.
_DECIMAL_MARK = "\x00"
_DECIMAL = re.compile(r'"\\u0000(-?[0-9]+(?:\.[0-9]+)?(?:E[+-]?[0-9]+)?)\\u0000"')


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def display(value: Any) -> str:
    """A value as the table shows it."""
    if value is None:
        return "NULL"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        text = f"{value:.{FLOAT_DECIMALS}f}".rstrip("0")
        text = text + "0" if text.endswith(".") else text  # 99.0 stays a float to the eye
        return "0.0" if text == "-0.0" else text
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Written as the number it is, every digit kept (a double would round DECIMAL(38, 2) sums).
        return f"{_DECIMAL_MARK}{value}{_DECIMAL_MARK}" if value.is_finite() else None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def write_result(result: QueryResult, fmt: str = "table", out: IO[str] | None = None, limit: int | None = None) -> None:
    """`limit` bounds the rows of the table format (None: DEFAULT_LIMIT; 0: every row)."""
    out = out or sys.stdout
    if fmt == "json":
        rows = [
            {column: _json_value(value) for column, value in zip(result.columns, row, strict=True)}
            for row in result.rows
        ]
        text = json.dumps(rows, indent=2, ensure_ascii=False, default=str)
        out.write(_DECIMAL.sub(lambda m: m.group(1), text) + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([["" if v is None else v for v in row] for row in result.rows])
        return
    limit = DEFAULT_LIMIT if limit is None else limit
    shown = result.rows if not limit else result.rows[:limit]
    numeric = [
        any(_is_number(row[i]) for row in shown) and all(row[i] is None or _is_number(row[i]) for row in shown)
        for i in range(len(result.columns))
    ]
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0), header_style="bold", show_edge=False)
    for column, is_number in zip(result.columns, numeric, strict=True):
        table.add_column(column, justify="right" if is_number else "left", no_wrap=True)
    for row in shown:
        table.add_row(*(display(v) for v in row))
    cells = [[display(v) for v in row] for row in shown]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    from lakehouse.console import PipeAwareConsole

    console = PipeAwareConsole(file=out, highlight=False, width=max(sum(w + 2 for w in widths), 20), soft_wrap=False)
    console.print(table)
    total = len(result.rows)
    if len(shown) < total:
        out.write(f"(showing the first {len(shown)} of {total} rows; --limit 0 shows every row)\n")
    else:
        out.write(f"({total} row{'s' if total != 1 else ''})\n")
