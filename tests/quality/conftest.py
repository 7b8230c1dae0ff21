"""A lakehouse built once from the offline sample, copied per test so each can inject its own defect."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from lakehouse.cli import main
from tests.conftest import copy_sample_lakehouse


class Lakehouse:
    """A local lakehouse in a test's folder, driven through the command line."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.database = data_dir / "lakehouse.duckdb"

    def cli(self, *args: str) -> int:
        return main([*args, "--data-dir", str(self.data_dir)])

    def sql(self, *statements: str) -> None:
        with duckdb.connect(str(self.database)) as connection:
            for statement in statements:
                connection.execute(statement)

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return connection.execute(sql, params).fetchall()

    def check(self, run_id: str) -> dict[str, dict]:
        """Run sp_data_quality_checks alone (no refresh) and return the results by rule."""
        script = self.data_dir.parent / f"check_{run_id}.sql"
        script.write_text(f"CALL {{{{ schema('gold') }}}}.sp_data_quality_checks('{run_id}')\n")
        assert self.cli("exec", str(script)) == 0
        return self.results(run_id)

    def results(self, run_id: str) -> dict[str, dict]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            cursor = connection.execute("SELECT * FROM gold.data_quality_results WHERE run_id = ?", [run_id])
            names = [d[0] for d in cursor.description]
            return {row[1]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


@pytest.fixture(scope="session")
def built_lakehouse(sample_lakehouse: Path) -> Path:
    """The shared sample lakehouse (tests/conftest.py): read it, or copy it to change it."""
    return sample_lakehouse


@pytest.fixture
def lakehouse(built_lakehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Lakehouse]:
    monkeypatch.delenv("TICKETMASTER_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    # Without the landed files: the defects are injected into tables, and no test here lands anything.
    yield Lakehouse(copy_sample_lakehouse(built_lakehouse, tmp_path / "data", landing=False))


@dataclass(frozen=True)
class StaleRerun:
    lakehouse: Lakehouse
    output: str
    exit_code: int


@pytest.fixture(scope="session")
def stale_rerun(built_lakehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> StaleRerun:
    """A second run three days after the only landing: the HIGH freshness rule fails, nothing else does."""
    data_dir = tmp_path_factory.mktemp("quality_stale") / "data"
    lakehouse = Lakehouse(copy_sample_lakehouse(built_lakehouse, data_dir, landing=False))
    lakehouse.sql("UPDATE bronze.events_raw SET _ingestion_timestamp = _ingestion_timestamp - INTERVAL 3 DAYS")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = lakehouse.cli("run", "--skip-ingest")
    return StaleRerun(lakehouse, out.getvalue(), code)
