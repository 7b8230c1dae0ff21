"""Run the fidelity corpus: each case on Spark (the Databricks oracle) and locally, and compare.

Locally a case runs through `usersql.session.UserSql`, the code path of `runner query` and
`runner exec`, in this process. Values compare as values: integers and decimals exactly, floating
point within FLOAT_TOLERANCE (relative), NaN equal to NaN, a DATE never equal to a TIMESTAMP, rows in
order only where the query orders them.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Context, Decimal
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
    # One expression run as `SELECT <expression> [FROM VALUES (<bindings>) AS t(<names>)]`: Spark is
    # asked many such cases in one query.
    expression: str | None = None
    bindings: list[tuple[str, str]] = field(default_factory=list)


def load_cases(path: Path = CORPUS) -> list[Case]:
    data = tomllib.loads(path.read_text())
    cases: list[Case] = []
    for group in data.get("expressions", []):
        for number, expression in enumerate(group["exprs"], start=1):
            cases.append(expression_case(f"{group['name']}#{number}", expression))
    for entry in data.get("case", []):
        cases.append(Case(**entry))
    names = [c.name for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, f"duplicate case names: {sorted(duplicates)}"
    return cases


def expression_case(name: str, expression: str, bindings: list[tuple[str, str]] | None = None) -> Case:
    """A case of one expression, over a one-row VALUES table of `bindings` (column name, literal) if any."""
    bindings = list(bindings or [])
    sql = f"SELECT {expression}"
    if bindings:
        values = ", ".join(v for _, v in bindings)
        names = ", ".join(n for n, _ in bindings)
        sql += f" FROM VALUES ({values}) AS t({names})"
    # An expression that brings its own FROM, or makes rows, is not asked with others.
    alone = " FROM " in expression.upper() or "EXPLODE" in expression.upper()
    return Case(name, sql, expression=None if alone else expression, bindings=bindings)


# -- values ---------------------------------------------------------------------------------------------


def _variant_json(value: Any) -> Any:
    """A VARIANT as Databricks' connector returns it: its JSON as Spark writes it (pyspark's own toJson
    writes Python's floats and escapes). The value and its types are Spark's; the writing is the local
    target's, which the cases of to_json check against Spark's."""
    from dialect.variant import stripped_values, to_json

    return to_json(stripped_values(value.toPython()))


def normalize(value: Any) -> Any:
    """A comparable form: Spark Rows and DuckDB structs as dicts, aware datetimes as naive UTC."""
    if type(value).__name__ == "VariantVal":
        return _variant_json(value)
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


def same(a: Any, b: Any, strict: bool = False) -> bool:
    """Equal as values. `strict`: also of the same kind as a user sees it printed: a DOUBLE never equals
    an integer or a DECIMAL (3.0 against 3), and DECIMALs have the same scale (2.50 against 2.5)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, Decimal, float)) and isinstance(b, (int, Decimal, float)):
        if strict and (isinstance(a, float) != isinstance(b, float) or _scale(a) != _scale(b)):
            return False
        if isinstance(a, float) or isinstance(b, float):
            fa, fb = float(a), float(b)
            if math.isnan(fa) or math.isnan(fb):
                return math.isnan(fa) and math.isnan(fb)
            if math.isinf(fa) or math.isinf(fb):
                return fa == fb
            return math.isclose(fa, fb, rel_tol=FLOAT_TOLERANCE, abs_tol=1e-12)
        return Decimal(a) == Decimal(b)
    if isinstance(a, datetime) or isinstance(b, datetime):
        return isinstance(a, datetime) and isinstance(b, datetime) and a == b
    if isinstance(a, date) or isinstance(b, date):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], strict) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y, strict) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _scale(value: int | float | Decimal) -> int:
    if isinstance(value, Decimal) and value.is_finite():
        return max(0, -int(value.as_tuple().exponent))
    return 0


def same_rows(expected: list[list[Any]], actual: list[list[Any]], ordered: bool, strict: bool = False) -> bool:
    if len(expected) != len(actual):
        return False
    if ordered:
        return all(same_row(e, a, strict) for e, a in zip(expected, actual, strict=True))
    expected = sorted(expected, key=repr)
    actual = sorted(actual, key=repr)
    if all(same_row(e, a, strict) for e, a in zip(expected, actual, strict=True)):
        return True
    # repr orders 1 and Decimal('1') apart: match greedily instead
    remaining = list(actual)
    for row in expected:
        match = next((i for i, cand in enumerate(remaining) if same_row(row, cand, strict)), None)
        if match is None:
            return False
        remaining.pop(match)
    return True


def same_row(a: list[Any], b: list[Any], strict: bool = False) -> bool:
    return len(a) == len(b) and all(same(x, y, strict) for x, y in zip(a, b, strict=True))


# -- running --------------------------------------------------------------------------------------------

REFUSAL = "not supported on the local target"
# Spark answered, but Python cannot hold the answer (a DATE or TIMESTAMP past the years 1-9999): the
# case compares nothing until it asks for the value's text, CAST(... AS STRING).
UNREADABLE = "the oracle's answer cannot be held in Python"
# Failures of the code itself, never a message meant for a user.
_INTERNAL = (AssertionError, AttributeError, KeyError, IndexError, TypeError, NameError, RecursionError)


@dataclass
class Outcome:
    case: Case
    # equal | refused | failed (a local error where Databricks answers) | different | unreadable (UNREADABLE)
    verdict: str
    detail: str = ""


@dataclass
class Result:
    """What one side gave: rows, or the first line of its error."""

    rows: list[list[Any]] | None = None
    error: str | None = None

    @property
    def refused(self) -> bool:
        return self.error is not None and REFUSAL in self.error


def spark_rows(spark: Any, case: Case) -> list[list[Any]]:
    session = spark.newSession() if case.kind == "script" else spark
    rows: list[Any] = []
    for statement in _statements(case):
        frame = session.sql(statement)
        rows = _at_declared_scales(frame.collect(), frame.schema)
    return [normalize(list(r)) for r in rows]


_WIDE = Context(prec=80)  # a DECIMAL(38, s) and more: quantize needs its digits within the precision


def _at_declared_scales(rows: list[Any], schema: Any) -> list[list[Any]]:
    """Rows with each DECIMAL at its column's scale. PySpark may hand over a value with one digit more
    (7.60E-19 in a DECIMAL(30,20) column, which Databricks prints 0.00000000000000000076), and the
    comparison reads a DECIMAL's scale as how it prints."""
    from pyspark.sql.types import DecimalType

    scales = [f.dataType.scale if isinstance(f.dataType, DecimalType) else None for f in schema.fields]
    return [
        [
            v.quantize(Decimal(1).scaleb(-s), context=_WIDE) if s is not None and isinstance(v, Decimal) else v
            for v, s in zip(r, scales, strict=True)
        ]
        for r in rows
    ]


def _statements(case: Case) -> list[str]:
    from runner.splitter import split_statements

    return [s.sql for s in split_statements(case.sql)]


def local_rows(user: Any, case: Case) -> list[list[Any]]:
    from usersql.readonly import check_read_only

    if case.kind == "query":
        result = user.query(check_read_only(case.sql))
        return [normalize(list(r)) for r in result.rows]
    rows: list[Any] = []
    for statement in _statements(case):
        result = user.execute(statement)
        if result.columns:
            rows = result.rows
    return [normalize(list(r)) for r in rows]


def run_local(user: Any, case: Case) -> Result:
    try:
        return Result(rows=local_rows(user, case))
    except _INTERNAL as exc:
        return Result(error=f"internal error {type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001 - every local failure is judged by the caller
        return Result(error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def run_spark(spark: Any, case: Case) -> Result:
    try:
        return Result(rows=spark_rows(spark, case))
    except (ValueError, OverflowError) as exc:  # raised by Python's datetime as collect() converts a row
        return Result(error=f"{UNREADABLE} ({exc})")
    except Exception as exc:  # noqa: BLE001
        text = str(exc).strip()
        return Result(error=text.splitlines()[0] if text else type(exc).__name__)


def batch_oracle(spark: Any, cases: list[Case], size: int = 48) -> dict[str, Result]:
    """Spark's answers for expression cases, asked many expressions per query to save time.

    A batch that fails is split until each failing expression is left to run on its own."""
    answers: dict[str, Result] = {}

    def ask(batch: list[Case]) -> None:
        if not batch:
            return
        if len(batch) == 1:
            answers[batch[0].name] = run_spark(spark, batch[0])
            return
        columns = ", ".join(f"{c.expression} AS c{i}" for i, c in enumerate(batch))
        bindings = [b for c in batch for b in c.bindings]
        sql = f"SELECT {columns}"
        if bindings:
            sql += f" FROM VALUES ({', '.join(v for _, v in bindings)}) AS t({', '.join(n for n, _ in bindings)})"
        try:
            frame = spark.sql(sql)
            rows = _at_declared_scales(frame.collect(), frame.schema)
        except Exception:  # noqa: BLE001 - some expression of the batch fails: narrow it down
            half = len(batch) // 2
            ask(batch[:half])
            ask(batch[half:])
            return
        values = normalize(list(rows[0]))
        for i, case in enumerate(batch):
            answers[case.name] = Result(rows=[[values[i]]])

    for start in range(0, len(cases), size):
        ask(cases[start : start + size])
    return answers


def quiet(spark: Any) -> None:
    """Keep Spark from printing a stack trace for each expected failure."""
    import logging

    from pyspark.logger import PySparkLogger

    spark.sparkContext.setLogLevel("OFF")
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL + 1)


def evaluate(
    spark: Any, cases: list[Case], query_user: Any, script_user: Any, *, strict: bool = False
) -> list[Outcome]:
    """Run every case locally, then on Spark (or against its documented answer), and judge each.

    `query_user` runs query cases; `script_user()` gives a fresh UserSql for each script case. Expression
    cases that ran locally are asked of Spark in batches; those that failed locally are asked alone,
    as they most likely fail on Spark too and would only split a batch."""
    quiet(spark)
    local: dict[str, Result] = {}
    for case in cases:
        if case.kind == "query":
            local[case.name] = run_local(query_user, case)
        else:
            user = script_user()
            try:
                local[case.name] = run_local(user, case)
            finally:
                user.engine.close()
    documented = [c for c in cases if c.expected is not None or c.expected_error is not None]
    oracle: dict[str, Result] = {
        c.name: Result(rows=[normalize(r) for r in c.expected] if c.expected is not None else None,
                       error=c.expected_error)
        for c in documented
    }  # fmt: skip
    batchable = [
        c for c in cases
        if c.name not in oracle and c.expression is not None and (local[c.name].error is None or local[c.name].refused)
    ]  # fmt: skip
    oracle.update(batch_oracle(spark, batchable))
    for case in cases:
        if case.name not in oracle:
            oracle[case.name] = run_spark(spark, case)
    return [judge(case, local[case.name], oracle[case.name], strict) for case in cases]


_ERROR_CLASS = re.compile(r"^\[([A-Z_.]+)\]")


def judge(case: Case, local: Result, oracle: Result, strict: bool = False) -> Outcome:
    if oracle.error is not None and oracle.error.startswith(UNREADABLE):
        if local.refused:
            return Outcome(case, "refused", local.error or "")
        return Outcome(case, "unreadable", f"{oracle.error}; locally {local.error or local.rows}")
    if local.error is not None:
        documented = _ERROR_CLASS.match(case.expected_error or "")
        if documented and not local.refused and documented.group(1) not in local.error:
            # The documentation names the error class: the local failure must be that one.
            return Outcome(case, "different", f"Databricks fails with {documented.group(1)}; locally {local.error}")
        if oracle.error is not None and not local.error.startswith("internal error"):
            return Outcome(case, "equal", f"both fail: {local.error}")
        if local.refused:
            return Outcome(case, "refused", local.error)
        return Outcome(case, "failed", f"local error: {local.error}; Databricks: {oracle.error or oracle.rows}")
    if oracle.error is not None:
        return Outcome(case, "different", f"Databricks fails ({oracle.error}); locally {local.rows}")
    assert oracle.rows is not None and local.rows is not None
    # One expression over at most one row: no ORDER BY to honour (and no parse to pay for).
    ordered = case.ordered or (case.expression is None and _orders(case.sql))
    # A documented answer is written in TOML, which has no DECIMAL: its values compare as values.
    if same_rows(oracle.rows, local.rows, ordered, strict and case.expected is None):
        return Outcome(case, "equal")
    return Outcome(case, "different", f"Databricks {oracle.rows!r}; locally {local.rows!r}")


def _orders(sql: str) -> bool:
    import sqlglot

    try:
        tree = sqlglot.parse(sql, read="databricks")[-1]
    except Exception:  # noqa: BLE001
        return False
    return tree is not None and tree.args.get("order") is not None


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    verdicts = ("equal", "refused", "failed", "different", "unreadable")
    return {v: sum(1 for o in outcomes if o.verdict == v) for v in verdicts}


def summary(outcomes: list[Outcome], label: str = "fidelity corpus") -> str:
    n = counts(outcomes)
    total = len(outcomes)
    share = 100.0 * n["equal"] / total if total else 0.0
    return (
        f"{label}: {total} cases, {n['equal']} equal ({share:.1f}%), {n['refused']} refused, "
        f"{n['failed']} failed locally, {n['different']} different"
    ) + (f", {n['unreadable']} not comparable in Python" if n["unreadable"] else "")
