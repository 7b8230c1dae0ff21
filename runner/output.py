"""Print query results as an aligned table, CSV or JSON."""

from __future__ import annotations

import csv
import json
import sys
from typing import IO, Any

from runner.engines.base import QueryResult

FORMATS = ("table", "csv", "json")


def _text(value: Any) -> str:
    return "NULL" if value is None else str(value)


def write_result(result: QueryResult, fmt: str = "table", out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    if fmt == "json":
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        json.dump(rows, out, default=str, indent=2)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([["" if v is None else v for v in row] for row in result.rows])
    else:
        cells = [[_text(v) for v in row] for row in result.rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
        out.write("  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip() + "\n")
        out.write("  ".join("-" * w for w in widths) + "\n")
        for row in cells:
            out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")
        out.write(f"({len(cells)} row{'s' if len(cells) != 1 else ''})\n")
