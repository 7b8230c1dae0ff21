"""Fixtures shared by every test package."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# Design notes and real recorded API responses live beside the clone for developers and CI;
# a user's clone has none, so tests that read them skip.
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared is not present beside this clone")
    return SHARED_DIR


@pytest.fixture
def fixtures_dir(shared_dir: Path) -> Path:
    path = shared_dir / "fixtures" / "ticketmaster"
    if not path.is_dir():
        pytest.skip("../shared/fixtures/ticketmaster is not present")
    return path


@pytest.fixture(scope="session")
def spark():
    """A local Spark session answering as the Databricks Runtime does (tests/spark_oracle.py)."""
    from tests.spark_oracle import NO_JDK, java_available, start_spark

    if not java_available():
        pytest.skip(NO_JDK)
    pytest.importorskip("pyspark", reason="pyspark is a test dependency: pip install -e '.[dev]'")
    session = start_spark()
    yield session
    session.stop()
