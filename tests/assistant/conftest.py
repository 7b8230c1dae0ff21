"""One lakehouse built from the offline sample and embedded once per session; the model loads once."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.backends import LocalBackend
from assistant.embedder import Embedder, default_embedder
from lakehouse.cli import main
from runner.config import Target, load_target


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return default_embedder()


@pytest.fixture(scope="session")
def built_lakehouse(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """The sample through bronze, silver and gold, with every event document embedded."""
    data_dir = tmp_path_factory.mktemp("assistant") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("TICKETMASTER_API_KEY", raising=False)
        assert main(["run", "--data-dir", str(data_dir)]) == 0
    LocalBackend(load_target("local", data_dir=data_dir), embedder, say=lambda _: None).sync()
    return data_dir


@pytest.fixture
def lakehouse_copy(built_lakehouse: Path, tmp_path: Path) -> Path:
    """A private copy, for tests that change data."""
    copy = tmp_path / "data"
    shutil.copytree(built_lakehouse, copy)
    return copy


@pytest.fixture(scope="session")
def target(built_lakehouse: Path) -> Target:
    return load_target("local", data_dir=built_lakehouse)


@pytest.fixture(scope="session")
def backend(target: Target, embedder: Embedder) -> Iterator[LocalBackend]:
    local = LocalBackend(target, embedder, say=lambda _: None)
    yield local
    local.close()


@dataclass
class FakeChat:
    """A local OpenAI-compatible chat-completions server that answers with scripted replies."""

    url: str
    replies: list[str] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    status: int = 200


@pytest.fixture
def fake_chat() -> Iterator[FakeChat]:
    state = FakeChat(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if state.status != 200:
                payload = json.dumps({"error": {"message": "denied"}}).encode()
            else:
                reply = state.replies.pop(0) if state.replies else "ANSWER: I cannot answer that from this data."
                payload = json.dumps(
                    {
                        "object": "chat.completion",
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}}],
                    }
                ).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def run_cli() -> Callable[..., int]:
    return lambda *args: main(list(args))
