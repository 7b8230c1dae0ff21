"""How often four ways of running users' Databricks SQL on DuckDB give Databricks' answer.

Each expression of common_expressions.toml runs on Spark (the Databricks oracle), then on DuckDB:
as written, as sqlglot's databricks -> duckdb transpiler writes it, and as the `dialect` package
translates it. An answer agrees when its values equal Spark's (as the corpus compares them) or when
both fail; a refusal of the `dialect` package is counted apart.

    .venv/bin/python -m tests.fidelity.fourway
"""

from __future__ import annotations

import sys
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import sqlglot

from tests.fidelity.corpus import REFUSAL, Result, normalize, quiet, same_rows

EXPRESSIONS = Path(__file__).with_name("common_expressions.toml")


def load_expressions(path: Path = EXPRESSIONS) -> list[str]:
    return list(tomllib.loads(path.read_text())["expressions"])


def _duckdb_runner(translate: Callable[[str], str]) -> Callable[[str], Result]:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")

    def run(sql: str) -> Result:
        try:
            rows = connection.execute(translate(sql)).fetchall()
        except Exception as exc:  # noqa: BLE001 - a failure is an answer here
            return Result(error=str(exc).splitlines()[0])
        return Result(rows=[normalize(list(r)) for r in rows])

    return run


def _dialect_runner(data_dir: Path) -> Callable[[str], Result]:
    from runner.config import load_target
    from runner.engines.duckdb_engine import DuckDBEngine
    from usersql.session import UserSql

    user = UserSql(DuckDBEngine(load_target("local", data_dir=data_dir)))

    def run(sql: str) -> Result:
        try:
            return Result(rows=[normalize(list(r)) for r in user.query(sql).rows])
        except Exception as exc:  # noqa: BLE001
            return Result(error=str(exc).splitlines()[0])

    return run


def _spark_runner(spark: Any) -> Callable[[str], Result]:
    def run(sql: str) -> Result:
        try:
            return Result(rows=[normalize(list(r)) for r in spark.sql(sql).collect()])
        except Exception as exc:  # noqa: BLE001
            return Result(error=str(exc).splitlines()[0])

    return run


def verdict(oracle: Result, answer: Result) -> str:
    if answer.error is not None:
        if REFUSAL in answer.error:
            return "refused"
        return "agrees" if oracle.error is not None else "fails"
    if oracle.error is not None:
        return "differs"
    return "agrees" if same_rows(oracle.rows or [], answer.rows or [], ordered=True) else "differs"


def measure(spark: Any, expressions: list[str], data_dir: Path) -> dict[str, dict[str, list[str]]]:
    ways = {
        "DuckDB as written": _duckdb_runner(lambda sql: sql),
        "sqlglot databricks -> duckdb": _duckdb_runner(
            lambda sql: sqlglot.transpile(sql, read="databricks", write="duckdb")[0]
        ),
        "dialect package": _dialect_runner(data_dir),
    }
    oracle = _spark_runner(spark)
    table: dict[str, dict[str, list[str]]] = {name: {} for name in ways}
    for expression in expressions:
        sql = f"SELECT {expression}"
        expected = oracle(sql)
        for name, run in ways.items():
            table[name].setdefault(verdict(expected, run(sql)), []).append(expression)
    return table


def main() -> int:
    from tests.spark_oracle import start_spark

    spark = start_spark()
    quiet(spark)
    expressions = load_expressions()
    with tempfile.TemporaryDirectory() as tmp:
        table = measure(spark, expressions, Path(tmp))
    for name, verdicts in table.items():
        counts = ", ".join(f"{len(v)} {k}" for k, v in sorted(verdicts.items()))
        print(f"{name}: {len(verdicts.get('agrees', []))} of {len(expressions)} agree with Spark ({counts})")
        for kind in ("differs", "fails"):
            for expression in verdicts.get(kind, []):
                print(f"    {kind}: {expression}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
