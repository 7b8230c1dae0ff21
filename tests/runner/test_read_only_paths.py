"""query and ask cannot write, read files or run forever: the engine enforces it, not a keyword list."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import duckdb
import pytest

from lakehouse.cli import main
from runner.config import load_target
from runner.engines import open_engine
from runner.engines.duckdb_readonly import StatementTimeout, check_statement
from runner.errors import LakehouseError, NotReadOnly, QuerySyntaxError
from tests.conftest import copy_sample_lakehouse
from usersql.readonly import check_read_only
from usersql.session import UserSql, configured_timeout

# Sums over a triple cross join of silver.events (500^3 rows): about 30 s here, so any short
# timeout stops it while it runs.
SLOW_QUERY = (
    "SELECT count(*) FROM silver.events AS a CROSS JOIN silver.events AS b CROSS JOIN silver.events AS c "
    "WHERE a.event_name || b.event_name || c.event_name = 'x'"
)


@pytest.fixture(scope="module")
def lake(sample_lakehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the offline sample's lakehouse, shared by the tests here (none may change it):
    writable, so that what stops an attack is the product, not the shared copy's file permissions."""
    return copy_sample_lakehouse(sample_lakehouse, tmp_path_factory.mktemp("readonly") / "data")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the lakehouse holding a file nobody should read through query."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".secret_token").write_text("s3cr3t-value\n")
    return home


def fingerprint(data_dir: Path) -> dict[str, str]:
    """Every file of the data directory (database, landing zone) by relative path -> sha256."""
    return {
        str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    }


def query(lake: Path, sql: str, *extra: str) -> int:
    return main(["query", sql, "--data-dir", str(lake), *extra])


def attacks(lake: Path, outside: Path) -> list[str]:
    database = lake / "lakehouse.duckdb"
    planted = lake / "landing" / "events" / "2026" / "11" / "20" / "planted.json"
    secret = outside / ".secret_token"
    return [
        f"EXPLAIN ANALYZE COPY (SELECT 'x') TO '{database}' (FORMAT csv)",
        f"EXPLAIN ANALYZE COPY (SELECT '{{\"id\": \"planted\"}}' AS line) TO '{planted}' (FORMAT csv, HEADER false)",
        f"COPY (SELECT 'x') TO '{database}' (FORMAT csv)",
        "EXPLAIN ANALYZE INSTALL httpfs",
        "INSTALL httpfs",
        f"SELECT * FROM read_csv('{secret}')",
        f"SELECT * FROM read_text('{secret}')",
        f"SELECT * FROM glob('{outside}/*')",
        f"SELECT * FROM glob('{outside}/.*')",
        f"SELECT * FROM read_files('{secret}', format => 'text')",
        "WITH a AS (SELECT 1 AS x) INSERT INTO gold.etl_log (run_id) SELECT 'x' FROM a",
        f"ATTACH '{outside}/other.duckdb' AS other",
        "SET enable_external_access = true",
    ]


def test_every_attack_through_query_fails_clearly_and_changes_nothing(lake, outside, capsys):
    before = fingerprint(lake)
    for sql in attacks(lake, outside):
        capsys.readouterr()
        assert query(lake, sql) == 1, sql
        captured = capsys.readouterr()
        assert captured.err.startswith("error: ") and captured.err.count("\n") == 1, (sql, captured.err)
        assert "s3cr3t" not in captured.out + captured.err and ".secret_token" not in captured.out
        assert fingerprint(lake) == before, sql
    assert query(lake, "SELECT count(*) AS n FROM gold.fact_events", "--format", "csv") == 0
    assert capsys.readouterr().out == "n\n500\n"


def test_the_engine_refuses_what_translation_lets_through(lake, outside):
    """Straight to the read-only connection, past the Databricks check and the translation."""
    before = fingerprint(lake)
    engine = open_engine(load_target("local", data_dir=lake), read_only=True)
    try:
        UserSql(engine)  # sets the session up, then the configuration is locked on the first query
        engine.lock()
        connection = engine.connection
        secret = outside / ".secret_token"
        duckdb_only = [f"SELECT * FROM read_blob('{secret}')", f"SELECT * FROM read_json('{secret}')"]
        for sql in [*(a for a in attacks(lake, outside) if "read_files" not in a), *duckdb_only]:
            with pytest.raises(duckdb.Error) as raised:
                connection.execute(sql).fetchall()
            assert isinstance(raised.value, duckdb.PermissionException | duckdb.InvalidInputException), (sql, raised)
        # DuckDB's parser names the statement kind; a reading first word does not help.
        for sql, message in [
            (f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{lake}/x.csv'", "EXPLAIN ANALYZE runs the statement"),
            ("EXPLAIN (ANALYZE) SELECT 1", "EXPLAIN ANALYZE runs the statement"),
            ("WITH a AS (SELECT 1 AS x) INSERT INTO gold.etl_log (run_id) SELECT 'x' FROM a", "INSERT statement"),
            ("INSTALL httpfs", "LOAD statement"),
            ("CALL pragma_version()", "CALL statement"),
            ("SELECT 1; SELECT 2", "one statement"),
        ]:
            with pytest.raises(NotReadOnly, match=message):
                check_statement(connection, sql)
        for sql in ("SELECT 1", "EXPLAIN SELECT 1", "SHOW TABLES", "DESCRIBE gold.fact_events", "FROM gold.dim_date"):
            check_statement(connection, sql)
    finally:
        engine.close()
    assert fingerprint(lake) == before


def test_status_and_report_run_on_the_locked_connection(lake, tmp_path, capsys):
    before = fingerprint(lake)
    assert main(["status", "--data-dir", str(lake)]) == 0
    assert main(["report", "--data-dir", str(lake), "--out", str(tmp_path / "report.html")]) == 0
    assert (tmp_path / "report.html").stat().st_size > 0
    assert fingerprint(lake) == before


@pytest.mark.parametrize("sql", ["SELEC 1", "SELECT 1 FROM", "SELECT a b c FROM gold.dim_date", "SELECT 'open"])
def test_a_syntax_error_reads_as_a_syntax_error(lake, capsys, sql):
    assert query(lake, sql) == 1
    err = capsys.readouterr().err
    assert "syntax error" in err.lower() and "change data" not in err, err


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a", "a WITH ... INSERT statement can change data"),
        ("WITH a AS (SELECT 1) MERGE INTO t USING a ON t.x = a.x WHEN MATCHED THEN DELETE", "can change data"),
        ("EXPLAIN ANALYZE SELECT 1", "EXPLAIN ANALYZE runs the statement"),
        ("EXPLAIN INSERT INTO t VALUES (1)", "an INSERT statement"),
        ("OPTIMIZE gold.fact_events", "an OPTIMIZE statement"),
        ("SET STATEMENT_TIMEOUT = 0", "a SET statement"),
        ("SELECT http_request(conn => 'c', method => 'POST', path => '/')", "http_request"),
        ("SELECT 1; DROP TABLE t", "one statement"),
    ],
)
def test_the_databricks_check_refuses_side_effects(sql, message):
    with pytest.raises(LakehouseError, match=message):
        check_read_only(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1",
        "WITH a AS (SELECT 1 AS x) SELECT x FROM a UNION ALL SELECT 2",
        "VALUES (1), (2)",
        "TABLE gold.fact_events",
        "SHOW TABLES IN gold",
        "DESCRIBE TABLE gold.fact_events",
        "EXPLAIN FORMATTED SELECT * FROM gold.fact_events",
        "(SELECT 1)",
    ],
)
def test_the_databricks_check_accepts_queries(sql):
    assert check_read_only(sql) == sql


def test_a_slow_query_stops_at_the_timeout_with_a_clear_message(lake, capsys):
    started = time.monotonic()
    assert query(lake, SLOW_QUERY, "--timeout", "0.5") == 1
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert "statement timeout (0.5 s)" in err and "--timeout" in err, err
    assert elapsed < 10, elapsed


def test_the_timeout_comes_from_the_settings_file_and_the_environment(lake, tmp_path, monkeypatch, capsys):
    settings = tmp_path / "lakehouse.toml"
    settings.write_text("[query]\nstatement_timeout = 0.5\n")
    monkeypatch.delenv("LAKEHOUSE_STATEMENT_TIMEOUT", raising=False)
    assert configured_timeout(settings) == 0.5
    assert configured_timeout(tmp_path / "absent.toml") == 300
    assert main(["query", SLOW_QUERY, "--data-dir", str(lake), "--config", str(settings)]) == 1
    assert "statement timeout (0.5 s)" in capsys.readouterr().err
    monkeypatch.setenv("LAKEHOUSE_STATEMENT_TIMEOUT", "2")
    assert configured_timeout(settings) == 2
    assert configured_timeout(settings, 7) == 7
    monkeypatch.setenv("LAKEHOUSE_STATEMENT_TIMEOUT", "soon")
    with pytest.raises(LakehouseError, match="LAKEHOUSE_STATEMENT_TIMEOUT must be a number of seconds"):
        configured_timeout(settings)


def test_a_timeout_leaves_the_connection_usable(lake):
    engine = open_engine(load_target("local", data_dir=lake), read_only=True)
    try:
        user = UserSql(engine, timeout=0.3)
        with pytest.raises(StatementTimeout):
            user.query(SLOW_QUERY)
        assert user.query("SELECT count(*) AS n FROM gold.dim_venue").rows[0][0] > 0
    finally:
        engine.close()


def test_databricks_gets_the_statement_timeout_and_never_a_write(monkeypatch, workspace_host):
    from databricks.sdk.core import Config

    from runner.engines.databricks_engine import DatabricksEngine
    from tests.runner.test_databricks_engine import RecordingConnection
    from tests.runner.test_databricks_sql import assert_parses_as_databricks

    monkeypatch.setenv("DATABRICKS_WAREHOUSE_ID", "abc123")
    connections: list[RecordingConnection] = []

    def connect(**kwargs):
        connections.append(RecordingConnection(**kwargs))
        return connections[-1]

    config = Config(host=workspace_host, token="t")
    engine = DatabricksEngine(load_target("databricks"), connect=connect, sdk_config=config)
    user = UserSql(engine, timeout=120)
    with pytest.raises(NotReadOnly):
        user.query("WITH a AS (SELECT 1) INSERT INTO main.gold.etl_log SELECT * FROM a")
    with pytest.raises(QuerySyntaxError):
        user.query("SELEC 1")
    assert not connections  # nothing was sent, not even a connection opened
    user.query("SELECT count(*) FROM main.gold.fact_events")
    user.query("SELECT 1")
    sent = connections[0].log
    assert sent == ["SET STATEMENT_TIMEOUT = 120", "SELECT count(*) FROM main.gold.fact_events", "SELECT 1"]
    for statement in sent:
        assert_parses_as_databricks(statement)


def test_ask_on_databricks_takes_the_same_path(monkeypatch):
    from assistant.backends import DatabricksBackend
    from assistant.settings import AssistantSettings
    from runner.engines.base import QueryResult

    class RecordingEngine:
        dialect = "databricks"

        def __init__(self):
            self.sent: list[str] = []

        def execute(self, sql, params=None, **_):
            self.sent.append(sql)
            return QueryResult(["n"], [(1,)])

        def close(self):
            pass

    monkeypatch.setenv("LAKEHOUSE_STATEMENT_TIMEOUT", "0.5")
    engine = RecordingEngine()
    backend = DatabricksBackend(load_target("databricks"), AssistantSettings(), engine)
    with pytest.raises(NotReadOnly):
        backend.run_query("WITH a AS (SELECT 1) INSERT INTO main.gold.etl_log SELECT * FROM a")
    assert engine.sent == []
    assert backend.run_query("SELECT 1 AS n").rows == [(1,)]
    assert backend.run_query("SELECT 2 AS n").rows == [(1,)]
    # Half a second is one whole second there: 0 would mean no limit.
    assert engine.sent == ["SET STATEMENT_TIMEOUT = 1", "SELECT 1 AS n", "SELECT 2 AS n"]
