"""The Genie space's tables exist and its certified SQL runs, on the local target built from the offline sample.

Genie would accept a space naming a table or column gold does not have; this catches it here instead.
"""

from __future__ import annotations

import duckdb
import pytest

from lakehouse.cli import main
from runner.config import load_target
from workspace.genie import load_space


@pytest.fixture(scope="module")
def lakehouse(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("genie") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TICKETMASTER_API_KEY", raising=False)
        patch.chdir(data_dir.parent)
        assert main(["run", "--sample", "--data-dir", str(data_dir)]) == 0
    return data_dir


def test_every_genie_table_exists_in_gold(lakehouse):
    space = load_space(load_target("local", data_dir=lakehouse))
    with duckdb.connect(str(lakehouse / "lakehouse.duckdb"), read_only=True) as connection:
        rows = connection.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() "
            "UNION ALL SELECT schema_name, view_name FROM duckdb_views()"
        ).fetchall()
    present = {f"{schema}.{name}" for schema, name in rows}
    assert set(space.tables) <= present, sorted(set(space.tables) - present)


def test_every_certified_example_runs_and_returns_rows(lakehouse, capsys):
    space = load_space(load_target("local", data_dir=lakehouse))
    assert space.examples
    for example in space.examples:
        assert main(["exec", str(example.source), "--data-dir", str(lakehouse)]) == 0, example.source
        out = capsys.readouterr().out
        assert out.strip(), f"{example.source.name} printed nothing"
