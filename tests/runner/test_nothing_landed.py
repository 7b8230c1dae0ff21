"""A run that finds nothing new in the landing zone after a complete run stops after bronze."""

from __future__ import annotations

import duckdb

from tests.reliability.gold_content import RUN_LOGS, gold_content

STOPPED = "nothing new landed since run"
NEW_EVENT = {"id": "vNothingLanded1", "name": "Late addition", "type": "event", "dates": {"start": {}}}


def _gold(data_dir) -> dict[str, list[tuple]]:
    """Gold's tables, the run logs left out (a stopped run logs fewer steps; its results are compared apart)."""
    return {table: rows for table, rows in gold_content(data_dir).items() if table.split(":")[0] not in RUN_LOGS}


def _results(data_dir) -> list[tuple]:
    with duckdb.connect(str(data_dir / "lakehouse.duckdb"), read_only=True) as db:
        run_id = db.execute("SELECT max(run_id) FROM gold.data_quality_results").fetchone()[0]
        return db.execute(
            "SELECT rule_name, status, rows_failing, rows_checked, checked_at FROM gold.data_quality_results "
            "WHERE run_id = ? ORDER BY rule_name",
            [run_id],
        ).fetchall()


def test_a_run_that_lands_nothing_after_a_complete_run_stops_after_bronze(runner, data_dir, capsys):
    assert runner("run") == 0  # the offline sample, every layer
    capsys.readouterr()
    gold = _gold(data_dir)
    before = _results(data_dir)

    assert runner("run", "--skip-ingest") == 0
    out = capsys.readouterr().out
    assert STOPPED in out and "landing_freshness checked again" in out
    assert "bronze.events_raw" in out and "silver.events" not in out and "gold.fact_events" not in out
    assert _gold(data_dir) == gold
    after = _results(data_dir)
    assert [row[:4] for row in after] == [row[:4] for row in before]  # every rule, the same findings
    checked = {row[0]: row[4] for row in after}
    previous = {row[0]: row[4] for row in before}
    assert checked["landing_freshness"] > previous["landing_freshness"]  # reads the clock: checked again
    assert checked["fact_grain"] == previous["fact_grain"]  # the data it checked is the same

    assert runner("run", "--skip-ingest") == 0  # and again: the stopped run left its own mark
    assert STOPPED in capsys.readouterr().out


def test_only_a_complete_run_lets_the_next_one_stop(runner, land, data_dir, capsys):
    assert runner("run") == 0
    land("events", "late.json", [NEW_EVENT])
    # Bronze alone reads the new file; silver has not seen it, so the next run must not stop.
    assert runner("run", "--skip-ingest", "--select", "bronze") == 0
    capsys.readouterr()
    assert runner("run", "--skip-ingest") == 0
    assert STOPPED not in capsys.readouterr().out
    with duckdb.connect(str(data_dir / "lakehouse.duckdb"), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM silver.events WHERE event_id = ?", [NEW_EVENT["id"]]).fetchone()[0]

    # A deploy that runs (objects may have changed) leaves every layer to be refreshed again.
    assert runner("deploy") == 0
    capsys.readouterr()
    assert runner("run", "--skip-ingest") == 0
    assert STOPPED not in capsys.readouterr().out
    # A full refresh never stops early.
    assert runner("run", "--skip-ingest", "--full-refresh") == 0
    assert STOPPED not in capsys.readouterr().out
    # Deleting a row of silver.load_state asks silver to read that pair again: no stop either.
    with duckdb.connect(str(data_dir / "lakehouse.duckdb")) as db:
        db.execute("DELETE FROM silver.load_state WHERE object_name = 'silver.event_venues'")
    assert runner("run", "--skip-ingest") == 0
    assert STOPPED not in capsys.readouterr().out
    with duckdb.connect(str(data_dir / "lakehouse.duckdb"), read_only=True) as db:
        assert db.execute(
            "SELECT count(*) FROM silver.load_state WHERE object_name = 'silver.event_venues'"
        ).fetchone()[0]


def test_a_hand_edit_through_exec_lets_the_next_run_refresh_every_layer(runner, data_dir, tmp_path, capsys):
    assert runner("run") == 0
    edit = tmp_path / "edit.sql"
    edit.write_text(
        "UPDATE gold.fact_events SET event_name = 'renamed by hand' WHERE event_id IN "
        "(SELECT min(event_id) FROM gold.fact_events);\n"
    )
    assert runner("exec", str(edit)) == 0
    capsys.readouterr()
    assert runner("run", "--skip-ingest") == 0
    out = capsys.readouterr().out
    assert STOPPED not in out and "gold.fact_events" in out
