"""Expressions, queries and scripts generated with a fixed seed (tests/fidelity/generated.py), none of them
written into the corpus: each must give Databricks' answer (checked on Spark), or be refused.

A larger hunt runs with `python -m tests.fidelity.generated --seed N --count M`.
"""

from __future__ import annotations

from runner.config import load_target
from runner.engines.duckdb_engine import DuckDBEngine
from tests.fidelity.corpus import evaluate, summary
from tests.fidelity.generated import generate
from usersql.session import UserSql

# A share that runs in well under half a minute once Spark is up.
SEED, EXPRESSIONS, QUERIES, SCRIPTS = 20260, 320, 12, 4


def test_generated_sql_agrees_with_databricks(spark, tmp_path, capsys):
    cases = generate(SEED, EXPRESSIONS, QUERIES, SCRIPTS)
    queries = load_target("local", data_dir=tmp_path / "queries")
    scripts = load_target("local", data_dir=tmp_path / "scripts")
    shared = UserSql(DuckDBEngine(queries))
    try:
        outcomes = evaluate(spark, cases, shared, lambda: UserSql(DuckDBEngine(scripts)), strict=True)
    finally:
        shared.engine.close()
    line = summary(outcomes, f"generated (seed {SEED})")
    with capsys.disabled():
        print(f"\n{line}")
    different = [f"{o.case.sql}\n    {o.detail}" for o in outcomes if o.verdict == "different"]
    assert not different, line + "\n" + "\n".join(different)


def test_the_generator_is_deterministic_and_covers_every_signature():
    from tests.fidelity.generated import SIGNATURES

    first = [c.sql for c in generate(1, 400, 5, 2)]
    assert first == [c.sql for c in generate(1, 400, 5, 2)]
    templates = {s[0].split("(")[0] for s in SIGNATURES}
    written = " ".join(first)
    missing = [t for t in templates if t.isidentifier() and t not in written]
    assert not missing, missing
