"""A local fake of the Databricks Files API (``/api/2.0/fs``) for testing volume landing offline.

Implements what landing uses, with the real status codes and error bodies: PUT/GET/HEAD on
``/api/2.0/fs/files/<path>`` (``overwrite=false`` answers 409 ``ALREADY_EXISTS``), PUT on
``/api/2.0/fs/directories/<path>`` (mkdir -p). It is stricter than the real service in one respect: an
upload into a directory that was never created fails with 404, so a client that forgets to create
directories is caught.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

FILES = "/api/2.0/fs/files"
DIRECTORIES = "/api/2.0/fs/directories"


class FakeFilesAPI:
    def __init__(self, *, token: str = "fake-token") -> None:
        self.token = token
        self.files: dict[str, bytes] = {}
        self.directories: set[str] = {"/"}
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def host(self) -> str:
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeFilesAPI:
        handler = type("Handler", (_Handler,), {"api": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="fake-files-api", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeFilesAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def mkdirs(self, path: str) -> None:
        parts = path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            self.directories.add("/" + "/".join(parts[:i]))

    def handle(self, method: str, raw_path: str, auth: str | None, body: bytes) -> tuple[int, dict[str, str], bytes]:
        split = urlsplit(raw_path)
        path = unquote(split.path)
        query = parse_qs(split.query)
        with self._lock:
            self.requests.append((method, path))
            if path.startswith("/.well-known/"):
                # Host metadata the SDK probes without credentials; absent here, so it uses the given config.
                return _error(404, "NOT_FOUND", path)
            if auth != f"Bearer {self.token}":
                return _error(401, "UNAUTHENTICATED", "Invalid access token.")
            if path.startswith(FILES + "/"):
                return self._file(method, path[len(FILES) :], query, body)
            if path.startswith(DIRECTORIES + "/"):
                target = path[len(DIRECTORIES) :].rstrip("/")
                if method == "PUT":
                    if target in self.files:
                        return _error(409, "RESOURCE_ALREADY_EXISTS", f"A file exists at {target}")
                    self.mkdirs(target)
                    return 200, {}, b""
                if method == "HEAD":
                    return (200, {}, b"") if target in self.directories else _error(404, "NOT_FOUND", target)
            return _error(404, "ENDPOINT_NOT_FOUND", f"No API found for '{method} {path}'")

    def _file(
        self, method: str, target: str, query: dict[str, list[str]], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        if method == "PUT":
            overwrite = query.get("overwrite", ["false"])[0].lower() == "true"
            if target in self.files and not overwrite:
                return _error(409, "ALREADY_EXISTS", f"The file being created already exists: {target}")
            if target.rsplit("/", 1)[0] not in self.directories:
                return _error(404, "NOT_FOUND", f"The parent directory of {target} does not exist.")
            self.files[target] = body  # stored only once the whole body arrived: atomic for readers
            return 204, {}, b""
        if target not in self.files:
            return _error(404, "NOT_FOUND", f"The file being accessed is not found: {target}")
        data = self.files[target]
        headers = {
            "Content-Type": "application/octet-stream",
            "Content-Length": str(len(data)),
            "Last-Modified": "Wed, 26 Nov 2025 00:00:00 GMT",
        }
        if method == "HEAD":
            return 200, headers, b""
        if method == "GET":
            return 200, headers, data
        return _error(405, "METHOD_NOT_ALLOWED", method)


def _error(status: int, code: str, message: str) -> tuple[int, dict[str, str], bytes]:
    return (
        status,
        {"Content-Type": "application/json"},
        json.dumps({"error_code": code, "message": message}).encode("utf-8"),
    )


class _Handler(BaseHTTPRequestHandler):
    api: FakeFilesAPI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature fixed by the base
        pass

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, headers, payload = self.api.handle(method, self.path, self.headers.get("Authorization"), body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if method != "HEAD" and payload:
            self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802 - names fixed by the base class
        self._serve("GET")

    def do_PUT(self) -> None:  # noqa: N802
        self._serve("PUT")

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve("HEAD")
