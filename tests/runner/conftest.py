"""Helpers for runner tests: a data directory per test and a way to land NDJSON files."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from lakehouse.cli import main


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


@pytest.fixture(scope="session")
def workspace_host() -> Iterator[str]:
    """A local stand-in for a workspace host: databricks-sdk probes it for metadata when a Config is made."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            body = b'{"error_code": "NOT_FOUND", "message": "no such endpoint in this test server"}'
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def rows(data_dir: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(data_dir / "lakehouse.duckdb"), read_only=True) as connection:
        return connection.execute(sql, params).fetchall()
