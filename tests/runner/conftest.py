"""Helpers for runner tests: a data directory per test and a way to land NDJSON files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from runner.cli import main


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("TICKETMASTER_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


@pytest.fixture
def runner(data_dir: Path) -> Callable[..., int]:
    """Call the command line in-process against the test's data directory."""

    def call(*args: str) -> int:
        return main([*args, "--data-dir", str(data_dir)])

    return call


@pytest.fixture
def land(data_dir: Path) -> Callable[..., Path]:
    """Write one landing file of JSON objects (or raw lines) for an entity."""

    def write(entity: str, name: str, records: list[object], day: str = "2026/11/20") -> Path:
        folder = data_dir / "landing" / entity / day
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
        path.write_text("\n".join(lines) + "\n")
        return path

    return write


def rows(data_dir: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(data_dir / "lakehouse.duckdb"), read_only=True) as connection:
        return connection.execute(sql, params).fetchall()
