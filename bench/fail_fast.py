"""`python -m bench.fail_fast`: how long the databricks target takes to give up on a workspace it cannot
reach, with the real CLI, SDK and SQL connector, against a closed port and a server that never answers.

Prints one line per case: seconds, exit code and the last line the user reads. Nothing leaves 127.0.0.1.
The cases: `query` through the CLI (the probe answers first); the SQL connector alone (through the
engine, without the probe) against each server; and one SDK call to a host that answered the probe
and then never answers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOKEN = "dapi-0123456789abcdef-not-a-real-token"


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def silent_server() -> Iterator[int]:
    """A server that accepts connections and never sends a byte."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


@contextmanager
def answers_probe_then_hangs() -> Iterator[int]:
    """A host that answers the reachability probe (401, as a workspace does without a token) and the
    SDK's metadata discovery (404), then never answers an API call."""
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path.startswith(("/api/2.0/preview/scim/v2/Me", "/.well-known/")):
                body = b'{"error_code": "UNAUTHENTICATED", "message": "no"}'
                self.send_response(401 if "scim" in self.path else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            release.wait(120)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        release.set()
        server.shutdown()
        server.server_close()


# The engine with the real connector and no probe: only the connector's own limits end the attempt.
CONNECTOR_CASE = f"""
import types
from runner.config import load_target
from runner.engines.databricks_engine import DatabricksEngine
headers = {{{{"Authorization": "Bearer {TOKEN}"}}}}
config = types.SimpleNamespace(host="https://127.0.0.1:{{port}}", authenticate=lambda: headers)
DatabricksEngine(load_target("databricks"), sdk_config=config).execute("SELECT 1")
"""

# One SDK call, through the client the runner makes (probe, then the SDK with its limits).
SDK_CASE = """
from runner.config import load_target
from workspace.connection import workspace_client
workspace_client(load_target("databricks")).warehouses.get("abc123def456")
"""


def child_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABRICKS_", "LAKEHOUSE_"))}
    env.update(HOME=str(home), DATABRICKS_TOKEN=TOKEN, DATABRICKS_WAREHOUSE_ID="abc123def456", **extra)
    return env


def run_python(code: str, env: dict[str, str], timeout: float = 120) -> tuple[float, int, str, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    return time.perf_counter() - started, done.returncode, done.stdout, done.stderr


def run_cli(host: str, *args: str, home: Path, timeout: float = 120, **extra: str) -> tuple[float, int, str, str]:
    """The CLI in a child process, as a user runs it: seconds, exit code, stdout, stderr."""
    env = child_env(home, DATABRICKS_HOST=host, **extra)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "runner", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    return time.perf_counter() - started, done.returncode, done.stdout, done.stderr


def main() -> int:
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="fail-fast-"))
    query = ("query", "--target", "databricks", "SELECT 1")
    closed = closed_port()
    with silent_server() as silent, answers_probe_then_hangs() as hanging:
        cases = [
            ("cli, closed port", lambda: run_cli(f"http://127.0.0.1:{closed}", *query, home=home)),
            ("cli, silent server", lambda: run_cli(f"http://127.0.0.1:{silent}", *query, home=home)),
            ("connector, closed port", lambda: run_python(CONNECTOR_CASE.format(port=closed), child_env(home))),
            ("connector, silent server", lambda: run_python(CONNECTOR_CASE.format(port=silent), child_env(home))),
            (
                "sdk, call never answered",
                lambda: run_python(SDK_CASE, child_env(home, DATABRICKS_HOST=f"http://127.0.0.1:{hanging}")),
            ),
        ]
        for name, case in cases:
            seconds, code, _, err = case()
            last = err.strip().splitlines()[-1] if err.strip() else ""
            print(f"{name:<26} {seconds:5.1f} s  exit {code}  {last[:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
