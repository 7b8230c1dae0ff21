"""`debug` on the local target: the configuration, the data directory, DuckDB's version and what exists."""

from __future__ import annotations

import re

import duckdb

from tests.conftest import copy_sample_lakehouse


def test_debug_before_and_after_the_first_run(runner, data_dir, sample_lakehouse, capsys):
    assert runner("debug") == 0
    before = capsys.readouterr().out
    assert "target     local" in before and f"data dir   {data_dir} (absent: run creates it)" in before
    assert f"duckdb     {duckdb.__version__}" in before
    assert "does not exist yet: `lakehouse run` creates it" in before
    assert "events 0, venues 0, attractions 0, classifications 0 file(s)" in before

    copy_sample_lakehouse(sample_lakehouse, data_dir)  # what `run --sample` leaves in it
    capsys.readouterr()
    assert runner("debug") == 0
    after = capsys.readouterr().out
    assert "(absent" not in after.split("duckdb")[0]
    schemas = next(line for line in after.splitlines() if line.startswith("schemas"))
    assert re.fullmatch(r"schemas    bronze \(\d+ tables\), silver \(\d+ tables\), gold \(\d+ tables\)", schemas)
    assert "(0 tables)" not in schemas
    landing = next(line for line in after.splitlines() if line.startswith("landing"))
    assert "events 0," not in landing and "file(s)" in landing
