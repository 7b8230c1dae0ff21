"""The command line: plan, compile, deploy twice, query's read-only guard, exec, config errors."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import copy_sample_lakehouse
from tests.runner.conftest import rows

CATALOG_STATE = """
SELECT 'table' AS kind, schema_name, table_name AS name, comment, sql AS definition FROM duckdb_tables()
UNION ALL SELECT 'column', schema_name, table_name || '.' || column_name, comment, data_type FROM duckdb_columns()
UNION ALL SELECT 'view', schema_name, view_name, comment, sql FROM duckdb_views() WHERE NOT internal
UNION ALL SELECT 'schema', schema_name, schema_name, comment, NULL FROM duckdb_schemas() WHERE NOT internal
UNION ALL SELECT 'sequence', schema_name, sequence_name, comment, last_value::VARCHAR FROM duckdb_sequences()
ORDER BY ALL
"""


def _deployed_state(data_dir):
    """The catalog, plus the content of every table a deploy may write (procedures, rules, state)."""
    tables = rows(data_dir, "SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL")
    content = {f"{s}.{t}": rows(data_dir, f'SELECT * FROM "{s}"."{t}" ORDER BY ALL') for s, t in tables}
    return rows(data_dir, CATALOG_STATE), content


def test_deploy_twice_succeeds_and_changes_nothing(runner, data_dir):
    assert runner("deploy") == 0
    first = _deployed_state(data_dir)
    assert ("schema", "bronze", "bronze") in [r[:3] for r in first[0]]
    assert runner("deploy") == 0
    assert _deployed_state(data_dir) == first


def test_deploy_after_a_run_keeps_the_data(runner, data_dir, sample_lakehouse):
    copy_sample_lakehouse(sample_lakehouse, data_dir)  # what `run` leaves in a fresh data directory
    before = rows(data_dir, "SELECT count(*) FROM bronze.events_raw")
    runner("deploy")
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == before


def test_plan_lists_deploy_and_run_steps_in_order(runner, capsys):
    assert runner("plan", "-v") == 0
    out = capsys.readouterr().out
    assert out.index("CREATE SCHEMA IF NOT EXISTS bronze") < out.index(
        "CREATE OR REFRESH STREAMING TABLE bronze.events_raw"
    )
    assert "REFRESH bronze.events_raw: read files landed since the last run" in out
    assert out.index("\nrun:") > out.index("\ndeploy:")
    assert re.search(r"deploy: \d+ to create, 0 to change, 0 unchanged", out)


def test_plan_for_databricks_shows_qualified_statements(runner, capsys):
    assert runner("plan", "--target", "databricks", "-v") == 0
    out = capsys.readouterr().out
    assert "CREATE VOLUME IF NOT EXISTS main.bronze.landing" in out
    assert "REFRESH STREAMING TABLE main.bronze.events_raw" in out


def test_compile_writes_one_file_per_object_with_what_would_run(runner, data_dir, tmp_path):
    out = tmp_path / "compiled"
    assert runner("compile", "--target", "databricks", "--out", str(out)) == 0
    files = sorted(p.relative_to(out / "databricks").as_posix() for p in (out / "databricks").rglob("*.sql"))
    assert "bronze/events_raw.sql" in files and "setup/schemas.sql" in files
    text = (out / "databricks" / "bronze" / "events_raw.sql").read_text()
    assert "CREATE OR REFRESH STREAMING TABLE main.bronze.events_raw" in text
    assert "FROM STREAM read_files(\n    '/Volumes/main/bronze/landing/events'" in text
    assert "REFRESH STREAMING TABLE main.bronze.events_raw;" in text


def test_select_limits_to_one_layer_or_object(runner, capsys):
    assert runner("plan", "--select", "bronze.venues_raw") == 0
    out = capsys.readouterr().out
    assert "bronze.venues_raw" in out and "bronze.events_raw" not in out
    assert runner("plan", "--select", "nonsense") == 1
    assert "'nonsense' matches no object, layer or kind" in capsys.readouterr().err


def test_query_prints_rows_in_each_format(runner, data_dir, sample_lakehouse, capsys):
    copy_sample_lakehouse(sample_lakehouse, data_dir)
    capsys.readouterr()
    assert runner("query", "SELECT count(*) AS n FROM bronze.venues_raw", "--format", "json") == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["n"] > 0
    assert runner("query", "SELECT 1 AS a, NULL AS b", "--format", "csv") == 0
    assert capsys.readouterr().out == "a,b\n1,\n"
    assert runner("query", "SELECT 'x' AS a") == 0
    assert capsys.readouterr().out.splitlines() == ["a", "x", "(1 row)"]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM bronze.events_raw",
        "DROP TABLE bronze.events_raw",
        "SELECT 1; DELETE FROM bronze.events_raw",
        "INSERT INTO bronze._quarantine SELECT * FROM bronze._quarantine",
        "CREATE TABLE x AS SELECT 1",
    ],
)
def test_query_refuses_anything_that_writes(runner, data_dir, sample_lakehouse, capsys, sql):
    copy_sample_lakehouse(sample_lakehouse, data_dir)
    before = rows(data_dir, "SELECT count(*) FROM bronze.events_raw")
    capsys.readouterr()
    assert runner("query", sql) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: `query`")
    assert rows(data_dir, "SELECT count(*) FROM bronze.events_raw") == before


def test_query_cannot_write_even_through_a_read_keyword(runner, data_dir, sample_lakehouse, capsys):
    copy_sample_lakehouse(sample_lakehouse, data_dir)
    capsys.readouterr()
    # The first word is a reading one; the parsed statement is an INSERT.
    assert runner("query", "WITH x AS (SELECT 1) INSERT INTO bronze._quarantine SELECT * FROM bronze._quarantine") == 1
    assert "a WITH ... INSERT statement can change data" in capsys.readouterr().err


def test_query_before_any_run_says_what_to_do(runner, capsys):
    assert runner("query", "SELECT 1") == 1
    assert "Run `lakehouse run` first" in capsys.readouterr().err


def test_exec_runs_a_sql_file_and_prints_results(runner, tmp_path, capsys):
    script = tmp_path / "try.sql"
    script.write_text(
        "-- a user's own script\nCREATE TABLE IF NOT EXISTS {{ schema('gold') }}.t AS SELECT 42 AS answer;\n"
        "SELECT answer FROM {{ schema('gold') }}.t;\n"
    )
    runner("deploy")
    capsys.readouterr()
    assert runner("exec", str(script)) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["answer", "    42"]


def test_an_invalid_identifier_in_config_is_refused_naming_the_field(runner, monkeypatch, capsys):
    monkeypatch.setenv("LAKEHOUSE_CATALOG", "main; DROP CATALOG main")
    assert runner("plan", "--target", "databricks") == 1
    err = capsys.readouterr().err
    assert "workspace.catalog must be a plain identifier" in err


def test_config_file_and_environment_override(runner, tmp_path, monkeypatch, capsys):
    settings = tmp_path / "settings.toml"
    settings.write_text('[workspace]\ncatalog = "lake"\nvolume = "raw"\n')
    monkeypatch.setenv("LAKEHOUSE_BRONZE_SCHEMA", "tm_bronze")
    assert runner("plan", "--target", "databricks", "--config", str(settings), "-v") == 0
    out = capsys.readouterr().out
    assert "CREATE VOLUME IF NOT EXISTS lake.tm_bronze.raw" in out
    assert "/Volumes/lake/tm_bronze/raw" in out


def test_data_dir_from_the_environment(tmp_path, monkeypatch):
    from lakehouse.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TICKETMASTER_API_KEY", raising=False)
    monkeypatch.setenv("LAKEHOUSE_DATA_DIR", str(tmp_path / "elsewhere"))
    assert main(["deploy"]) == 0
    assert (tmp_path / "elsewhere" / "lakehouse.duckdb").is_file()
    assert not (tmp_path / "data").exists()


def test_every_command_has_help(capsys):
    from lakehouse.cli import main

    for command in ("plan", "compile", "deploy", "run", "query", "exec"):
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        assert "--target" in capsys.readouterr().out


def test_exec_registers_a_procedure_and_prints_what_a_call_returns(runner, tmp_path, capsys):
    script = tmp_path / "proc.sql"
    script.write_text(
        "CREATE OR REPLACE PROCEDURE {{ schema('gold') }}.even_sum(IN n INT, OUT total INT)\n"
        "LANGUAGE SQL SQL SECURITY INVOKER AS BEGIN\n"
        "  DECLARE i INT DEFAULT 0;\n  SET total = 0;\n"
        "  WHILE i < n DO\n    SET i = i + 1;\n    IF i % 2 = 0 THEN SET total = total + i; END IF;\n  END WHILE;\n"
        "END;\n"
        "DECLARE VARIABLE t INT;\nCALL {{ schema('gold') }}.even_sum(10, t);\n"
    )
    runner("deploy")
    capsys.readouterr()
    assert runner("exec", str(script)) == 0
    assert capsys.readouterr().out.splitlines()[:3] == ["total", "   30", "(1 row)"]


def test_exec_errors_name_the_file_and_line(runner, tmp_path, capsys):
    script = tmp_path / "broken.sql"
    script.write_text("SELECT 1;\n\nSELECT * FROM no_such_table;\n")
    runner("deploy")
    capsys.readouterr()
    assert runner("exec", str(script)) == 1
    assert f"{script}, line 3:" in capsys.readouterr().err
