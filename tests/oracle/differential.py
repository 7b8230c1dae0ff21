"""Run each pair of queries on both engines and say whether the answers are the same (compare.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from runner.config import Target
from tests.oracle.compare import compare_rows
from tests.oracle.lakehouse import SPARK_CATALOG, SparkEngine
from tests.oracle.queries import Query


@dataclass(frozen=True)
class Outcome:
    name: str
    equal: bool
    detail: str = ""
    spark_error: str = ""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _local_names(value: Any) -> Any:
    """Object names the SQL writes as values (watermark keys) carry the catalog on Databricks only."""
    prefix = f"{SPARK_CATALOG}."
    if isinstance(value, str) and value.startswith(prefix):
        return value[len(prefix) :]
    return value


def _kept(columns: list[str], rows: list[tuple], ignored: frozenset[str]) -> tuple[list[str], list[tuple]]:
    keep = [i for i, c in enumerate(columns) if c.lower() not in ignored]
    return [columns[i] for i in keep], [tuple(row[i] for i in keep) for row in rows]


def compare_results(
    name: str,
    spark_result: tuple[list[str], list[tuple]],
    duckdb_result: tuple[list[str], list[tuple]],
    *,
    started: datetime,
    ignored: frozenset[str] = frozenset(),
    named: bool = True,
) -> Outcome:
    spark_columns, spark_rows = _kept(*spark_result, ignored)
    duckdb_columns, duckdb_rows = _kept(*duckdb_result, ignored)
    if named and [c.lower() for c in spark_columns] != [c.lower() for c in duckdb_columns]:
        return Outcome(name, False, f"columns differ: Spark {spark_columns}, DuckDB {duckdb_columns}")
    spark_rows = [tuple(_local_names(v) for v in row) for row in spark_rows]
    difference = compare_rows(spark_rows, duckdb_rows, (started, _now()))
    return Outcome(name, difference is None, "" if difference is None else str(difference))


def run_pair(spark: Any, duckdb: Any, query: Query, started: datetime) -> Outcome:
    try:
        frame = spark.sql(query.databricks)
        spark_result = (list(frame.columns), [tuple(row) for row in frame.collect()])
    except Exception as exc:
        message = str(exc).split("\n", 1)[0]
        return Outcome(query.name, False, f"Spark failed: {message}", spark_error=message)
    try:
        result = duckdb.execute(query.local)
    except Exception as exc:
        return Outcome(query.name, False, f"DuckDB failed: {str(exc).splitlines()[0]}")
    return compare_results(
        query.name,
        spark_result,
        (result.columns, result.rows),
        started=started,
        ignored=query.ignored,
        named=query.named,
    )


class Recorder:
    """An engine that keeps every statement it ran with its result, for code that takes an engine."""

    def __init__(self, engine: Any):
        self.engine = engine
        self.dialect = engine.dialect
        self.calls: list[tuple[str, Any, Any]] = []

    def execute(self, sql: str, params: Any = None, **kwargs: Any) -> Any:
        result = self.engine.execute(sql, params, **kwargs)
        self.calls.append((sql, params, result))
        return result

    def close(self) -> None:
        pass


def tool_calls(engine: Any, target: Target) -> list[tuple[str, Any, Any]]:
    """What `runner status`, `runner report` and the run's quality summary read, on one engine."""
    from lakehouse.report import render_report
    from lakehouse.status import last_runs, show_status
    from runner.quality.results import read_outcome

    recorder = Recorder(engine)
    show_status(recorder, target, io.StringIO(), runs=5)
    render_report(recorder, target, runs=30)
    latest = last_runs(engine, target, 1)
    if latest:
        read_outcome(recorder, target, latest[0].run_id)
    return recorder.calls


def compare_tools(spark: Any, duckdb: Any, databricks: Target, local: Target, started: datetime) -> list[Outcome]:
    theirs = tool_calls(SparkEngine(spark), databricks)
    ours = tool_calls(duckdb, local)
    if len(theirs) != len(ours):
        return [Outcome("status, report and quality summary", False, f"{len(theirs)} vs {len(ours)} statements")]
    outcomes = []
    for number, ((sql, _, spark_result), (_, _, duckdb_result)) in enumerate(zip(theirs, ours, strict=True), 1):
        what = " ".join(sql.split())[:60]
        outcomes.append(
            compare_results(
                f"tool query {number}: {what}",
                (spark_result.columns, spark_result.rows),
                (duckdb_result.columns, duckdb_result.rows),
                started=started,
                named=False,  # the tools read their rows by position
            )
        )
    return outcomes
