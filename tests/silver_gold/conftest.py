"""Fixtures for the silver and gold tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory; the tests land files and call the CLI on it."""
    monkeypatch.delenv("TICKETMASTER_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"
