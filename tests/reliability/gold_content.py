"""Test support: what gold holds, in a form two runs can be compared by.

Run times and run ids differ between any two runs, and surrogate keys are compared by what they
stand for; everything else must be equal.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from runner.engines.duckdb_engine import without_pandas

# Columns that hold when or in which run a row was written.
RUN_COLUMNS = {"updated_at", "generated_at", "checked_at", "registered_at", "started_at", "ended_at", "run_id"}
# Log tables keep every run, a killed one included; only the last run's rows are compared.
RUN_LOGS = {"etl_log", "data_quality_results", "data_quality_scores"}
# Surrogate keys by what they stand for: the natural key and, for SCD2, the version's content.
NATURAL_KEYS = {
    "venue_sk": "SELECT venue_sk, venue_id || '@' || change_hash FROM gold.dim_venue",
    "attraction_sk": "SELECT attraction_sk, attraction_id || '@' || change_hash FROM gold.dim_attraction",
    "classification_sk": "SELECT classification_sk, classification_key FROM gold.dim_classification",
    "market_sk": "SELECT market_sk, market_id FROM gold.dim_market",
    # the keyword index's keys of documents and stemmed words
    "doc_id": "SELECT doc_id, event_id || '@' || content_hash FROM gold.event_document_lengths",
    "term_id": "SELECT term_id, term FROM gold.event_document_vocabulary",
}


def gold_content(data_dir: Path) -> dict[str, list[tuple]]:
    """Every gold table, sorted, with run times, run ids and surrogate key values replaced."""
    # Without pandas, as the command line runs: a crash trial records gold in a fresh process each time.
    with without_pandas(), duckdb.connect(str(data_dir / "lakehouse.duckdb"), read_only=True) as connection:
        meaning = {column: dict(connection.execute(sql).fetchall()) for column, sql in NATURAL_KEYS.items()}
        last_run = connection.execute(
            "SELECT max_by(run_id, started_at) FROM gold.etl_log WHERE step_name = 'run'"
        ).fetchone()[0]
        tables = connection.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'gold'").fetchall()
        content: dict[str, list[tuple]] = {}
        for (table,) in sorted(tables):
            columns = connection.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'gold' AND table_name = ? "
                "ORDER BY column_index",
                [table],
            ).fetchall()
            # A run that repairs what a killed one left does more work: its row counts differ.
            kept = [c for (c,) in columns if c not in RUN_COLUMNS and not (table == "etl_log" and c == "rows_affected")]
            where = "WHERE run_id = ?" if table in RUN_LOGS else ""
            rows = connection.execute(
                f'SELECT {", ".join(kept)} FROM gold."{table}" {where}', [last_run] if where else []
            ).fetchall()
            content[table] = sorted(
                (tuple(_meaning(c, v, meaning, str(data_dir)) for c, v in zip(kept, row, strict=True)) for row in rows),
                key=repr,
            )
        running = connection.execute("SELECT count(*) FROM gold.etl_log WHERE status = 'running'").fetchone()[0]
        content["etl_log: runs left running"] = [(running,)]
    return content


def _meaning(column: str, value: object, meaning: dict[str, dict], data_dir: str) -> object:
    if column in meaning:
        return meaning[column].get(value, f"dangling {column} {value}")
    if column in ("valid_from", "valid_to") and value is not None and value.year not in (1900, 9999):  # type: ignore[attr-defined]
        return "<a run's time>"
    if isinstance(value, str):
        return value.replace(data_dir, "<data dir>")
    if isinstance(value, float):
        # avg() and sum() of doubles add in whatever order the threads finish: the last bits vary.
        return float(f"{value:.12g}")
    return value
