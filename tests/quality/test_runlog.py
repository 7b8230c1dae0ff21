"""The runner's etl_log writes: bound parameters on either target, and a missing table never fails a run."""

from __future__ import annotations

from datetime import datetime

from runner.config import load_target
from runner.engines.base import QueryResult
from runner.runlog import RunLog


class RecordingEngine:
    dialect = "databricks"

    def __init__(self, fail: bool = False):
        self.calls: list[tuple[str, list]] = []
        self.fail = fail

    def execute(self, sql, params=None, *, origin=None, line=1):
        self.calls.append((sql, params))
        if self.fail:
            raise RuntimeError("[TABLE_OR_VIEW_NOT_FOUND] main.gold.etl_log")
        return QueryResult()

    def close(self) -> None:
        pass


def test_rows_go_to_the_target_table_as_bound_parameters(monkeypatch):
    monkeypatch.setenv("DATABRICKS_WAREHOUSE_ID", "abc123")
    target = load_target("databricks")
    log = RunLog(target, say=lambda _: None)
    log.record("ingest", "land", log.started_at)  # before the engine: kept until attach
    engine = RecordingEngine()
    log.attach(engine)
    log.record("silver.events", "MERGE INTO main.silver.events", log.started_at, rows=3)
    log.record("gold.fact_events", "CALL x", log.started_at, error=RuntimeError("it's broken; DROP TABLE x"))
    log.finish()
    statements = [(sql, params) for sql, params in engine.calls if sql.startswith("INSERT")]
    assert all(sql.startswith("INSERT INTO main.gold.etl_log (") and sql.count("?") == len(v) for sql, v in statements)
    # ten values a row
    inserts = [(sql, params[i : i + 10]) for sql, params in statements for i in range(0, len(params), 10)]
    assert [p[2] for _, p in inserts] == ["run", "ingest", "silver.events", "gold.fact_events"]
    assert [p[7] for _, p in inserts] == ["running", "succeeded", "succeeded", "failed"]
    assert inserts[2][1][6] == 3
    assert inserts[3][1][8] == "it's broken; DROP TABLE x"  # a value, never SQL text
    assert all(isinstance(p[4], datetime) and p[0] == log.run_id for _, p in inserts)
    update_sql, update_params = engine.calls[-1]
    assert " ".join(update_sql.split()).startswith("UPDATE main.gold.etl_log SET") and update_params[1:] == [
        "succeeded",
        None,
        log.run_id,
    ]


def test_a_missing_log_table_is_said_once_and_the_run_goes_on():
    said: list[str] = []
    log = RunLog(load_target("local", data_dir="unused"), say=said.append)
    engine = RecordingEngine(fail=True)
    log.attach(engine)
    log.record("bronze.events_raw", "REFRESH", log.started_at)
    log.finish("boom")
    assert len(engine.calls) == 1 and len(said) == 1 and "deploy" in said[0]
