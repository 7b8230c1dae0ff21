"""A local fake of the Databricks REST endpoints deploy uses, recording every request.

Shapes follow the REST API reference (jobs 2.2, workspace 2.0, secrets 2.0, genie 2.0, vector-search
2.0, sql/warehouses 2.0, unity-catalog 2.1, files 2.0); the real databricks-sdk client talks to it over
HTTP, so what is recorded is what the SDK would send. The Unity Catalog objects and the volume's files
are shared with the fake warehouse (fake_warehouse.py), so SQL and REST see one workspace.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: dict
    raw: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def is_write(self) -> bool:
        return self.method not in ("GET", "HEAD")


@dataclass
class State:
    secrets: dict[str, set[str]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # path -> base64 content
    folders: set[str] = field(default_factory=set)
    jobs: dict[int, dict] = field(default_factory=dict)
    spaces: dict[str, dict] = field(default_factory=dict)
    vector_endpoints: dict[str, dict] = field(default_factory=dict)
    vector_indexes: dict[str, dict] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    next_id: int = 100
    # Unity Catalog and SQL: object full name -> kind (CATALOG, SCHEMA, VOLUME, TABLE, STREAMING_TABLE,
    # MATERIALIZED_VIEW, VIEW, PROCEDURE), its owner, and folders and files under /Volumes.
    user: str = "deployer@example.com"
    token: str | None = None  # when set, a request without this bearer token is refused (401)
    objects: dict[str, str] = field(default_factory=lambda: {"main": "CATALOG"})
    owners: dict[str, str] = field(default_factory=lambda: {"main": "deployer@example.com"})
    procedures: dict[str, str] = field(default_factory=dict)  # name -> CREATE PROCEDURE text
    volume_paths: set[str] = field(default_factory=set)
    grants: list[tuple[str, str, str]] = field(default_factory=list)  # (privilege, securable, principal)
    groups: dict[str, set[str]] = field(default_factory=dict)  # group -> members
    effective: dict[str, list[str]] = field(default_factory=dict)  # securable -> privileges of `user`
    warehouses: dict[str, dict] = field(
        default_factory=lambda: {
            "wh0123456789": {
                "id": "wh0123456789",
                "name": "Serverless Starter Warehouse",
                "enable_serverless_compute": True,
                "warehouse_type": "PRO",
                "state": "RUNNING",
            }
        }
    )
    sql_log: list[tuple[str, str]] = field(default_factory=list)  # (identity, statement)


def _not_found(message: str) -> tuple[int, dict]:
    return 404, {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": message}


def _unity_catalog(state: State, kind: str, full_name: str) -> tuple[int, dict]:
    if state.objects.get(full_name) != kind:
        return 404, {"error_code": f"{kind}_DOES_NOT_EXIST", "message": f"{kind.title()} '{full_name}' does not exist."}
    parts = full_name.split(".")
    body = {"name": parts[-1], "full_name": full_name, "owner": state.owners.get(full_name, state.user)}
    if kind == "SCHEMA":
        body["catalog_name"] = parts[0]
    if kind == "VOLUME":
        body.update(catalog_name=parts[0], schema_name=parts[1], volume_type="MANAGED")
    return 200, body


def route(state: State, request: Request) -> tuple[int, dict]:
    m, p, q, b = request.method, request.path, request.query, request.body
    if state.token is not None and request.headers.get("Authorization") != f"Bearer {state.token}":
        return 401, {"error_code": "UNAUTHENTICATED", "message": "Invalid access token."}
    if (m, p) == ("GET", "/api/2.0/preview/scim/v2/Me"):
        return 200, {"id": "1001", "userName": state.user, "active": True}
    if m == "GET" and p.startswith("/api/2.0/sql/warehouses/"):
        warehouse = state.warehouses.get(p.rsplit("/", 1)[1])
        return (200, warehouse) if warehouse else _not_found("Warehouse does not exist.")
    if m == "GET" and p.startswith("/api/2.1/unity-catalog/catalogs/"):
        return _unity_catalog(state, "CATALOG", unquote(p.rsplit("/", 1)[1]))
    if m == "GET" and p.startswith("/api/2.1/unity-catalog/schemas/"):
        return _unity_catalog(state, "SCHEMA", unquote(p.rsplit("/", 1)[1]))
    if m == "GET" and p.startswith("/api/2.1/unity-catalog/volumes/"):
        return _unity_catalog(state, "VOLUME", unquote(p.rsplit("/", 1)[1]))
    if m == "GET" and p.startswith("/api/2.1/unity-catalog/effective-permissions/"):
        full_name = unquote(p.rsplit("/", 1)[1])
        privileges = [{"privilege": name} for name in state.effective.get(full_name, [])]
        return 200, {"privilege_assignments": [{"principal": q.get("principal"), "privileges": privileges}]}
    if p.startswith("/api/2.0/fs/directories/"):
        path = unquote(p.removeprefix("/api/2.0/fs/directories"))
        volume = "/".join(path.split("/")[:5])  # /Volumes/<catalog>/<schema>/<volume>
        if m == "PUT":
            if volume not in state.volume_paths:
                return _not_found(f"The volume of {path} does not exist.")
            parts = path.rstrip("/").split("/")
            state.volume_paths.update("/".join(parts[:n]) for n in range(5, len(parts) + 1))
            return 200, {}
        if m == "HEAD":
            return (200, {}) if path.rstrip("/") in state.volume_paths else _not_found("no such directory")
    if (m, p) == ("POST", "/api/2.2/jobs/delete"):
        return (200, {}) if state.jobs.pop(b["job_id"], None) is not None else _not_found("no such job")
    if (m, p) == ("GET", "/api/2.0/workspace/get-status"):
        if any(f == q["path"] or f.startswith(q["path"] + "/") for f in state.files):
            return 200, {"path": q["path"], "object_type": "DIRECTORY"}
        return _not_found(f"Path ({q['path']}) doesn't exist.")
    if (m, p) == ("POST", "/api/2.0/workspace/delete"):
        gone = [f for f in state.files if f == b["path"] or f.startswith(b["path"] + "/")]
        for f in gone:
            del state.files[f]
        return (200, {}) if gone else _not_found(f"Path ({b['path']}) doesn't exist.")
    if m == "DELETE" and p.startswith("/api/2.0/genie/spaces/"):
        return (200, {}) if state.spaces.pop(p.rsplit("/", 1)[1], None) is not None else _not_found("no such space")
    if m == "DELETE" and p.startswith("/api/2.0/vector-search/indexes/"):
        name = p.rsplit("/", 1)[1]
        return (200, {}) if state.vector_indexes.pop(name, None) is not None else _not_found(f"Index {name}")
    if (m, p) == ("GET", "/api/2.0/secrets/list"):
        if q["scope"] not in state.secrets:
            return _not_found(f"Scope {q['scope']} does not exist!")
        return 200, {"secrets": [{"key": k, "last_updated_timestamp": 1} for k in sorted(state.secrets[q["scope"]])]}
    if (m, p) == ("GET", "/api/2.0/workspace/export"):
        if q.get("format") == "SOURCE":
            # SOURCE exports notebooks; deploy imports plain files (RAW), which export as RAW or AUTO.
            return 400, {"error_code": "INVALID_PARAMETER_VALUE", "message": f"{q['path']} is not a notebook"}
        if q["path"] not in state.files:
            return _not_found(f"Path ({q['path']}) doesn't exist.")
        return 200, {"content": state.files[q["path"]], "file_type": "sql"}
    if (m, p) == ("POST", "/api/2.0/workspace/mkdirs"):
        state.folders.add(b["path"])
        return 200, {}
    if (m, p) == ("POST", "/api/2.0/workspace/import"):
        parent = b["path"].rsplit("/", 1)[0]
        if parent not in state.folders:
            return _not_found(f"The parent folder ({parent}) does not exist.")
        if b["path"] in state.files and not b.get("overwrite"):
            return 400, {"error_code": "RESOURCE_ALREADY_EXISTS", "message": "exists"}
        state.files[b["path"]] = b["content"]
        return 200, {}
    if (m, p) == ("GET", "/api/2.2/jobs/list"):
        found = [
            {"job_id": i, "settings": {"name": s["name"]}}
            for i, s in state.jobs.items()
            if "name" not in q or s.get("name") == q["name"]
        ]
        return 200, {"jobs": found, "has_more": False}
    if (m, p) == ("GET", "/api/2.2/jobs/get"):
        job_id = int(q["job_id"])
        if job_id not in state.jobs:
            return _not_found(f"Job {job_id} does not exist.")
        return 200, {"job_id": job_id, "settings": state.jobs[job_id]}
    if (m, p) == ("POST", "/api/2.2/jobs/create"):
        state.next_id += 1
        state.jobs[state.next_id] = b
        return 200, {"job_id": state.next_id}
    if (m, p) == ("POST", "/api/2.2/jobs/reset"):
        if b["job_id"] not in state.jobs:
            return _not_found("no such job")
        state.jobs[b["job_id"]] = b["new_settings"]
        return 200, {}
    if (m, p) == ("GET", "/api/2.0/genie/spaces"):
        listed = [{k: v for k, v in s.items() if k != "serialized_space"} for s in state.spaces.values()]
        return 200, {"spaces": listed}
    if (m, p) == ("POST", "/api/2.0/genie/spaces"):
        state.next_id += 1
        space = {"space_id": f"space{state.next_id}", **b}
        state.spaces[space["space_id"]] = space
        return 200, space
    if p.startswith("/api/2.0/genie/spaces/"):
        space_id = p.rsplit("/", 1)[1]
        if space_id not in state.spaces:
            return _not_found("no such space")
        if m == "GET":
            space = dict(state.spaces[space_id])
            if q.get("include_serialized_space") != "true":
                space.pop("serialized_space", None)
            return 200, space
        if m == "PATCH":
            state.spaces[space_id].update(b)
            return 200, state.spaces[space_id]
    if (m, p) == ("POST", "/api/2.0/vector-search/endpoints"):
        endpoint = {**b, "endpoint_status": {"state": "ONLINE"}}
        state.vector_endpoints[b["name"]] = endpoint
        return 200, endpoint
    if (m, p) == ("POST", "/api/2.0/vector-search/indexes"):
        state.vector_indexes[b["name"]] = b
        return 200, b
    if m == "POST" and p.startswith("/api/2.0/vector-search/indexes/") and p.endswith("/sync"):
        name = p.removeprefix("/api/2.0/vector-search/indexes/").removesuffix("/sync")
        return (200, {}) if name in state.vector_indexes else _not_found(f"Index {name} does not exist")
    if m == "GET" and p.startswith("/api/2.0/vector-search/endpoints/"):
        name = p.rsplit("/", 1)[1]
        found = state.vector_endpoints.get(name)
        return (200, found) if found else _not_found(f"Vector search endpoint {name} not found")
    if m == "GET" and p.startswith("/api/2.0/vector-search/indexes/"):
        name = p.rsplit("/", 1)[1]
        found = state.vector_indexes.get(name)
        return (200, found) if found else _not_found(f"Index {name} does not exist")
    if p == "/.well-known/databricks-config":
        return _not_found("no host metadata")  # as on workspaces that publish none: the SDK uses its config
    return 501, {"error_code": "NOT_IMPLEMENTED", "message": f"fake has no {m} {p}"}


class FakeDatabricks:
    def __init__(self) -> None:
        self.state = State()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                headers = {k: v for k, v in self.headers.items()}
                request = Request(self.command, url.path, query, json.loads(raw) if raw else {}, raw, headers)
                state.requests.append(request)
                status, payload = route(state, request)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _serve

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeDatabricks:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def calls(self, method: str, path: str) -> list[Request]:
        return [r for r in self.state.requests if r.method == method and r.path.startswith(path)]

    def writes(self) -> list[Request]:
        return [r for r in self.state.requests if r.is_write]
