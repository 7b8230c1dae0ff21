"""Compare two results as multisets of rows, the way the differential tests call them equal.

- Row order is ignored (a multiset), duplicates count.
- Floating point (DOUBLE, and DECIMAL against DOUBLE) is equal within a relative 1e-9 (absolute 1e-12
  near zero): the engines may add in another order. Everything else compares exactly: integers,
  strings, dates, booleans, NULL.
- Timestamps compare as instants in UTC. A timestamp taken while the comparison ran
  (`current_timestamp` in the query) is the same "now" on both sides.
- Structs compare field by field (names case-insensitive), arrays element by element.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

REL_TOL = 1e-9
ABS_TOL = 1e-12


class Now:
    """A timestamp taken during the comparison."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Now)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "<now>"


@dataclass(frozen=True)
class Approx:
    """A non-integral number; equal within the documented tolerance."""

    value: float

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Approx):
            return False
        a, b = self.value, other.value
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)

    def __hash__(self) -> int:
        return 1

    def __repr__(self) -> str:
        return repr(self.value)


def normalize(value: Any, window: tuple[datetime, datetime] | None = None) -> Any:
    """A value in a form both engines' Python values agree on (see the module docstring)."""
    if value is None or isinstance(value, bool | str | bytes):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        # A whole number is the same value whatever its type (100, 100.0, DECIMAL 100.0).
        if math.isfinite(value) and value == int(value) and abs(value) < 2**53:
            return int(value)
        return Approx(float(value))
    if isinstance(value, datetime):
        # Aware values are instants; naive ones are wall-clock UTC on both engines here.
        instant = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        if window and window[0] <= instant <= window[1]:
            return Now()
        return instant
    if isinstance(value, date):
        return value
    if isinstance(value, dict):
        return tuple((str(k).lower(), normalize(v, window)) for k, v in value.items())
    if hasattr(value, "__fields__") and isinstance(value, tuple):  # a pyspark Row (a struct)
        return tuple((str(k).lower(), normalize(v, window)) for k, v in zip(value.__fields__, value, strict=True))
    if isinstance(value, list | tuple):
        return tuple(normalize(v, window) for v in value)
    return value


def _exact_key(row: tuple) -> tuple:
    """A hashable key where approximate numbers are replaced by a marker (matched separately)."""
    return tuple("~" if isinstance(v, Approx) else _exact_key(v) if isinstance(v, tuple) else v for v in row)


@dataclass
class Difference:
    only_databricks: list[tuple]
    only_local: list[tuple]
    problem: str = ""

    def __str__(self) -> str:
        lines = [self.problem] if self.problem else []
        for title, rows in (
            ("only on Spark (databricks)", self.only_databricks),
            ("only on DuckDB (local)", self.only_local),
        ):
            if rows:
                lines.append(f"{title}: {len(rows)} row(s), e.g.")
                lines.extend(f"    {row!r}" for row in rows[:3])
        return "\n".join(lines)


def compare_rows(
    spark_rows: Sequence[tuple], duckdb_rows: Sequence[tuple], window: tuple[datetime, datetime] | None = None
) -> Difference | None:
    """None when the two results are equal as multisets of rows, else what differs."""
    left = [normalize(tuple(r), window) for r in spark_rows]
    right = [normalize(tuple(r), window) for r in duckdb_rows]
    if left and right and len(left[0]) != len(right[0]):
        return Difference([], [], f"{len(left[0])} column(s) on Spark, {len(right[0])} on DuckDB")
    # Rows without approximate numbers match by hash; the rest pair up by tolerant equality.
    exact_left = Counter(r for r in left if _exact_key(r) == r)
    exact_right = Counter(r for r in right if _exact_key(r) == r)
    only_left = list((exact_left - exact_right).elements())
    only_right = list((exact_right - exact_left).elements())
    buckets: dict[tuple, list[tuple]] = {}
    for row in right:
        if _exact_key(row) != row:
            buckets.setdefault(_exact_key(row), []).append(row)
    for row in (r for r in left if _exact_key(r) != r):
        candidates = buckets.get(_exact_key(row), [])
        match = next((i for i, other in enumerate(candidates) if other == row), None)
        if match is None:
            only_left.append(row)
        else:
            candidates.pop(match)
    only_right.extend(row for rows in buckets.values() for row in rows)
    if only_left or only_right:
        return Difference(only_left, only_right)
    return None
