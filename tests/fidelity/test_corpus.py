"""Users' Databricks SQL gives Databricks' answer on the local target, or a clear refusal.

Every case of corpus.toml runs on Spark (the Databricks oracle) and through the code path of
`runner query` / `runner exec`. None may give a different answer; at least 98.5% must be equal.
"""

from __future__ import annotations

import pytest

from runner.config import load_target
from runner.engines.duckdb_engine import DuckDBEngine
from tests.fidelity.corpus import evaluate, load_cases, summary
from usersql.session import UserSql

MIN_EQUAL_SHARE = 0.985


def test_the_corpus_agrees_with_databricks(spark, tmp_path, capsys):
    # Queries share one connection; each script gets a connection of its own, to another file.
    queries = load_target("local", data_dir=tmp_path / "queries")
    scripts = load_target("local", data_dir=tmp_path / "scripts")
    spark.sparkContext.setLogLevel("OFF")
    shared = UserSql(DuckDBEngine(queries))
    try:
        # Strict: a DOUBLE is not an integer, and DECIMALs keep their scale (2.50 is not 2.5).
        outcomes = evaluate(spark, load_cases(), shared, lambda: UserSql(DuckDBEngine(scripts)), strict=True)
    finally:
        shared.engine.close()
    line = summary(outcomes)
    with capsys.disabled():
        print(f"\n{line}")
    wrong = [f"{o.case.name}: {o.detail}" for o in outcomes if o.verdict in ("different", "failed", "unreadable")]
    refused = [f"{o.case.name}: {o.detail}" for o in outcomes if o.verdict == "refused"]
    assert not wrong, line + "\n" + "\n".join(wrong)
    equal = sum(1 for o in outcomes if o.verdict == "equal")
    assert equal >= MIN_EQUAL_SHARE * len(outcomes), line + "\nrefused:\n" + "\n".join(refused)


def test_the_corpus_has_300_cases():
    assert len(load_cases()) >= 300


@pytest.mark.parametrize("name", ["concat", "dates"])
def test_groups_exist(name):
    assert any(c.name.startswith(name) for c in load_cases())
