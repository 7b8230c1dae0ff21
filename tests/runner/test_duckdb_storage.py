"""How the local engine stores what it writes: string columns without FSST (see DISABLED_COMPRESSION)."""

from __future__ import annotations

import duckdb

from runner.config import load_target
from runner.engines.duckdb_engine import DuckDBEngine

# Distinct, long, alike strings: dictionary compression cannot help, FSST can.
URLS = "SELECT 'https://www.ticketmaster.com/event/' || md5(i::VARCHAR) AS url FROM range(20000) AS r(i)"
COMPRESSIONS = "SELECT DISTINCT compression FROM pragma_storage_info('urls') WHERE column_name = 'url'"


def test_duckdb_alone_would_store_these_strings_with_fsst(tmp_path):
    with duckdb.connect(str(tmp_path / "plain.duckdb")) as connection:
        connection.execute(f"CREATE TABLE urls AS {URLS}")
        connection.execute("CHECKPOINT")
        assert ("FSST",) in connection.execute(COMPRESSIONS).fetchall()


def test_the_local_engine_stores_them_without_fsst(tmp_path):
    engine = DuckDBEngine(load_target("local", data_dir=tmp_path))
    try:
        engine.execute(f"CREATE TABLE urls AS {URLS}")
        engine.execute("CHECKPOINT")
        compressions = {name for (name,) in engine.connection.execute(COMPRESSIONS).fetchall()}
    finally:
        engine.close()
    assert compressions and "FSST" not in compressions
