"""Run the fidelity corpus: each case on Spark (the Databricks oracle) and locally, and compare.

Locally a case runs through `runner.usersql.UserSql`, the code path of `runner query` and
`runner exec`, in this process. Values compare as values: integers and decimals exactly, floating
point within FLOAT_TOLERANCE (relative), NaN equal to NaN, a DATE never equal to a TIMESTAMP, rows in
order only where the query orders them.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).with_name("corpus.toml")
FLOAT_TOLERANCE = 1e-9


@dataclass
class Case:
    name: str
    sql: str
    kind: str = "query"  # query: one statement; script: statements as in a file run by `exec`
    ordered: bool = False
    expected: list[list[Any]] | None = None  # from the documentation, where Spark cannot run the case
    expected_error: str | None = None
    source: str | None = None
    setup: list[str] = field(default_factory=list)


def load_cases(path: Path = CORPUS) -> list[Case]:
    data = tomllib.loads(path.read_text())
    cases: list[Case] = []
    for group in data.get("expressions", []):
        for number, expression in enumerate(group["exprs"], start=1):
            cases.append(Case(f"{group['name']}#{number}", f"SELECT {expression}"))
    for entry in data.get("case", []):
        cases.append(Case(**entry))
    names = [c.name for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, f"duplicate case names: {sorted(duplicates)}"
    return cases


# -- values ---------------------------------------------------------------------------------------------


def normalize(value: Any) -> Any:
    """A comparable form: Spark Rows and DuckDB structs as dicts, aware datetimes as naive UTC."""
    if hasattr(value, "asDict"):
        return {k: normalize(v) for k, v in value.asDict().items()}
    if isinstance(value, dict):
        return {normalize(k): normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return value


def same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, Decimal, float)) and isinstance(b, (int, Decimal, float)):
        if isinstance(a, float) or isinstance(b, float):
            fa, fb = float(a), float(b)
            if math.isnan(fa) or math.isnan(fb):
                return math.isnan(fa) and math.isnan(fb)
            return math.isclose(fa, fb, rel_tol=FLOAT_TOLERANCE, abs_tol=1e-12)
        return Decimal(a) == Decimal(b)
    if isinstance(a, datetime) or isinstance(b, datetime):
        return isinstance(a, datetime) and isinstance(b, datetime) and a == b
    if isinstance(a, date) or isinstance(b, date):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def same_rows(expected: list[list[Any]], actual: list[list[Any]], ordered: bool) -> bool:
    if len(expected) != len(actual):
        return False
    if not ordered:
        expected = sorted(expected, key=repr)
        actual = sorted(actual, key=repr)
        if not all(same_row(e, a) for e, a in zip(expected, actual, strict=True)):
            # repr orders 1 and Decimal('1') apart: match greedily instead
            remaining = list(actual)
            for row in expected:
                match = next((i for i, cand in enumerate(remaining) if same_row(row, cand)), None)
                if match is None:
                    return False
                remaining.pop(match)
            return True
        return True
    return all(same_row(e, a) for e, a in zip(expected, actual, strict=True))


def same_row(a: list[Any], b: list[Any]) -> bool:
    return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))


# -- running --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    case: Case
    verdict: str  # equal | refused | different
    detail: str = ""


def spark_rows(spark: Any, case: Case) -> list[list[Any]]:
    session = spark.newSession() if case.kind == "script" else spark
    rows: list[Any] = []
    for statement in _statements(case):
        rows = session.sql(statement).collect()
    return [normalize(list(r)) for r in rows]


def _statements(case: Case) -> list[str]:
    from runner.splitter import split_statements

    return [s.sql for s in split_statements(case.sql)]


def local_rows(user: Any, case: Case) -> list[list[Any]]:
    from runner.readonly import check_read_only

    if case.kind == "query":
        result = user.query(check_read_only(case.sql))
        return [normalize(list(r)) for r in result.rows]
    rows: list[Any] = []
    for statement in _statements(case):
        result = user.execute(statement)
        if result.columns:
            rows = result.rows
    return [normalize(list(r)) for r in rows]


# Failures of the code itself, never a message meant for a user.
_INTERNAL = (AssertionError, AttributeError, KeyError, IndexError, TypeError, NameError, RecursionError)


def batch_oracle(spark: Any, cases: list[Case], size: int = 32) -> dict[str, list[list[Any]]]:
    """Spark's rows for single-expression cases, asked many expressions per query to save time.

    A batch that fails is split until each failing expression is left to run on its own."""
    simple = [
        c for c in cases
        if c.kind == "query" and c.expected is None and c.expected_error is None and "#" in c.name
        and " FROM " not in c.sql.upper() and "EXPLODE" not in c.sql.upper()
    ]  # fmt: skip
    answers: dict[str, list[list[Any]]] = {}

    def ask(batch: list[Case]) -> None:
        if not batch:
            return
        columns = ", ".join(f"{c.sql[len('SELECT ') :]} AS c{i}" for i, c in enumerate(batch))
        try:
            rows = spark.sql(f"SELECT {columns}").collect()
        except Exception:  # noqa: BLE001 - some expression of the batch fails: narrow it down
            if len(batch) > 1:
                half = len(batch) // 2
                ask(batch[:half])
                ask(batch[half:])
            return
        values = normalize(list(rows[0]))
        for i, case in enumerate(batch):
            answers[case.name] = [[values[i]]]

    for start in range(0, len(simple), size):
        ask(simple[start : start + size])
    return answers


def run_case(spark: Any, user: Any, case: Case, known: dict[str, list[list[Any]]] | None = None) -> Outcome:
    local_error = None
    local = None
    try:
        local = local_rows(user, case)
    except _INTERNAL as exc:
        local_error = f"internal error {type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - every local failure is judged below
        local_error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if case.expected is not None or case.expected_error is not None:
        oracle_error = case.expected_error
        oracle = [normalize(r) for r in case.expected] if case.expected is not None else None
    elif known is not None and case.name in known:
        oracle_error, oracle = None, known[case.name]
    else:
        oracle_error = None
        try:
            oracle = spark_rows(spark, case)
        except Exception as exc:  # noqa: BLE001
            oracle, oracle_error = None, str(exc).splitlines()[0]
    if local_error is not None:
        if oracle_error is not None and not local_error.startswith("internal error"):
            return Outcome(case, "equal", f"both fail: {local_error}")
        if "not supported on the local target" in local_error:
            return Outcome(case, "refused", local_error)
        return Outcome(case, "refused", f"local error: {local_error}; Databricks: {oracle_error or oracle}")
    if oracle_error is not None:
        return Outcome(case, "different", f"Databricks fails ({oracle_error}); locally {local}")
    assert oracle is not None and local is not None
    ordered = case.ordered or _orders(case.sql)
    if same_rows(oracle, local, ordered):
        return Outcome(case, "equal")
    return Outcome(case, "different", f"Databricks {oracle!r}; locally {local!r}")


def _orders(sql: str) -> bool:
    import sqlglot

    try:
        tree = sqlglot.parse(sql, read="databricks")[-1]
    except Exception:  # noqa: BLE001
        return False
    return tree is not None and tree.args.get("order") is not None


def summary(outcomes: list[Outcome]) -> str:
    counts = {v: sum(1 for o in outcomes if o.verdict == v) for v in ("equal", "refused", "different")}
    total = len(outcomes)
    share = 100.0 * counts["equal"] / total if total else 0.0
    return (
        f"fidelity corpus: {total} cases, {counts['equal']} equal ({share:.1f}%), "
        f"{counts['refused']} refused, {counts['different']} different"
    )
