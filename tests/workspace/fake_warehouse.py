"""A fake SQL warehouse for the fresh-workspace scenario: it runs no query, but it keeps the Unity Catalog
objects of the fake workspace (fake_databricks.State) and refuses what the documentation says a
warehouse refuses, with the documented error class:

- an object used before it exists, or a schema before its catalog (TABLE_OR_VIEW_NOT_FOUND, ...);
- a streaming table over read_files with no schema whose folder holds no file
  (CF_EMPTY_DIR_FOR_SCHEMA_INFERENCE), or whose folder does not exist;
- REFRESH of the wrong kind (NON_STREAMING_TABLE, NON_MATERIALIZED_VIEW), or without the REFRESH
  privilege or ownership (PERMISSION_DENIED);
- DML, OPTIMIZE or ANALYZE on a streaming table or materialized view;
- a GRANT naming a securable of another kind.

It stands in for the connector's session only (the connect callable of DatabricksEngine), and the job's
SQL task files are split the way the SQL task documents: on semicolons.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

from fake_databricks import State

from runner.splitter import strip_comments

_NAME = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*){0,2}"


class FakeSqlError(Exception):
    def __init__(self, error_class: str, message: str):
        super().__init__(f"[{error_class}] {message}")
        self.error_class = error_class


def _text(sql: str) -> str:
    """The statement without comments, on one line."""
    return " ".join(strip_comments(sql).split())


def _without_strings(text: str) -> str:
    return re.sub(r"'(?:[^'\\]|\\.|'')*'", "''", text)


@dataclass
class FakeWarehouse:
    state: State
    identity: str = ""  # who runs the statements; the deployer unless a job runs as someone else
    statements: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.identity = self.identity or self.state.user

    # the connector's surface that DatabricksEngine uses
    def connect(self, **kwargs) -> FakeWarehouse:
        return self

    def cursor(self) -> _Cursor:
        return _Cursor(self)

    def close(self) -> None:
        pass

    # ------------------------------------------------------------------ the rules
    def run(self, sql: str) -> None:
        self.statements.append(sql)
        self.state.sql_log.append((self.identity, sql))
        text = _text(sql)
        upper = text.upper()
        for pattern, handler in self._handlers():
            match = re.match(pattern, text, re.IGNORECASE)
            if match:
                handler(match, text)
                return
        if upper.startswith(("SELECT", "WITH")):
            self._references_exist(text)
            return
        raise FakeSqlError("PARSE_SYNTAX_ERROR", f"the fake warehouse does not know this statement: {text[:80]}")

    def _handlers(self):
        return [
            (r"USE CATALOG (\w+)$", self._use_catalog),
            (r"CREATE CATALOG IF NOT EXISTS (\w+)", self._create_catalog),
            (rf"CREATE SCHEMA IF NOT EXISTS ({_NAME})", self._create_schema),
            (rf"CREATE VOLUME IF NOT EXISTS ({_NAME})", self._create_volume),
            (rf"CREATE OR REFRESH STREAMING TABLE ({_NAME})", self._create_streaming_table),
            (rf"CREATE TABLE IF NOT EXISTS ({_NAME})", self._create_table),
            (rf"CREATE OR REPLACE MATERIALIZED VIEW ({_NAME})", self._create_materialized_view),
            (rf"CREATE OR REPLACE VIEW ({_NAME})", self._create_view),
            (rf"CREATE OR REPLACE PROCEDURE ({_NAME})", self._create_procedure),
            (rf"CALL ({_NAME})", self._call),
            (rf"REFRESH (STREAMING TABLE|TABLE|MATERIALIZED VIEW) ({_NAME})( FULL)?$", self._refresh),
            (rf"GRANT (.+?) ON (CATALOG|SCHEMA|VOLUME|TABLE|MATERIALIZED VIEW) ({_NAME}) TO `([^`]+)`$", self._grant),
            (rf"ALTER TABLE ({_NAME})", self._alter_table),
            (rf"COMMENT ON TABLE ({_NAME})", self._comment_table),
            (rf"COMMENT ON COLUMN ({_NAME})\.\w+ IS", self._comment_table),
            (rf"(?:MERGE INTO|INSERT INTO|DELETE FROM|UPDATE|OPTIMIZE|ANALYZE TABLE) ({_NAME})", self._write),
            (rf"DROP SCHEMA IF EXISTS ({_NAME}) CASCADE$", self._drop_schema),
            (rf"DROP TABLE IF EXISTS ({_NAME})$", self._drop_table),
        ]

    def _kind(self, name: str) -> str | None:
        return self.state.objects.get(name)

    def _need(self, name: str, *kinds: str) -> None:
        kind = self._kind(name)
        if kind is None:
            error = {"CATALOG": "NO_SUCH_CATALOG_EXCEPTION", "SCHEMA": "SCHEMA_NOT_FOUND"}.get(kinds[0], "")
            raise FakeSqlError(error or "TABLE_OR_VIEW_NOT_FOUND", f"{name} does not exist")
        if kind not in kinds:
            wanted = " or ".join(kinds)
            raise FakeSqlError("EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE", f"{name} is a {kind}, not a {wanted}")

    def _parent(self, name: str) -> str:
        return name.rsplit(".", 1)[0]

    def _add(self, name: str, kind: str, *, replace: bool = False) -> None:
        existing = self._kind(name)
        if existing is not None and existing != kind:
            raise FakeSqlError("TABLE_OR_VIEW_ALREADY_EXISTS", f"{name} exists as a {existing}")
        if existing is None or replace:
            self.state.objects[name] = kind
            self.state.owners[name] = self.identity

    def _references_exist(self, text: str, *, defining: str | None = None) -> None:
        catalogs = [n for n, k in self.state.objects.items() if k == "CATALOG"]
        if not catalogs:
            return
        pattern = r"\b(?:" + "|".join(map(re.escape, catalogs)) + r")\.\w+\.\w+\b"
        for name in set(re.findall(pattern, _without_strings(text))):
            if name != defining and name not in self.state.objects:
                raise FakeSqlError("TABLE_OR_VIEW_NOT_FOUND", f"The table or view {name} cannot be found")

    def _use_catalog(self, match, text) -> None:
        self._need(match.group(1), "CATALOG")

    def _create_catalog(self, match, text) -> None:
        self._add(match.group(1), "CATALOG")

    def _create_schema(self, match, text) -> None:
        name = match.group(1)
        self._need(self._parent(name), "CATALOG")
        self._add(name, "SCHEMA")

    def _create_volume(self, match, text) -> None:
        name = match.group(1)
        self._need(self._parent(name), "SCHEMA")
        self._add(name, "VOLUME")
        self.state.volume_paths.add("/Volumes/" + name.replace(".", "/"))

    def _create_streaming_table(self, match, text) -> None:
        name = match.group(1)
        self._need(self._parent(name), "SCHEMA")
        source = re.search(r"read_files\(\s*'([^']+)'", text)
        assert source, text
        folder = source.group(1).rstrip("/")
        files = [p for p in self.state.volume_paths if p.startswith(folder + "/") and "." in p.rsplit("/", 1)[1]]
        has_schema = re.search(r"\bschema\s*=>", text, re.IGNORECASE)
        # Creation runs the first refresh at once (the streaming table pages).
        if not has_schema and not files:
            raise FakeSqlError(
                "CF_EMPTY_DIR_FOR_SCHEMA_INFERENCE",
                f"Cannot infer schema when the input path `{folder}` is empty. Please try to start the stream "
                "when there are files in the input path, or specify the schema.",
            )
        if has_schema and re.search(r"schemaEvolutionMode\s*=>\s*'addNewColumns'", text, re.IGNORECASE):
            raise FakeSqlError("CF_ADD_NEW_NOT_SUPPORTED", "addNewColumns is not supported with a schema")
        if folder not in self.state.volume_paths:
            raise FakeSqlError("PATH_NOT_FOUND", f"Path does not exist: {folder}")
        self._add(name, "STREAMING_TABLE")

    def _create_table(self, match, text) -> None:
        name = match.group(1)
        self._need(self._parent(name), "SCHEMA")
        self._references_exist(text, defining=name)
        self._add(name, "TABLE")

    def _create_materialized_view(self, match, text) -> None:
        name = match.group(1)
        self._need(self._parent(name), "SCHEMA")
        self._references_exist(text, defining=name)
        self._add(name, "MATERIALIZED_VIEW", replace=True)

    def _create_view(self, match, text) -> None:
        name = match.group(1)
        self._need(self._parent(name), "SCHEMA")
        self._references_exist(text, defining=name)
        self._add(name, "VIEW", replace=True)

    def _create_procedure(self, match, text) -> None:
        # Names in a procedure body are resolved when it runs (CALL), not at creation.
        name = match.group(1)
        self._need(self._parent(name), "SCHEMA")
        self._add(name, "PROCEDURE", replace=True)
        self.state.procedures[name] = text

    def _call(self, match, text) -> None:
        name = match.group(1)
        self._need(name, "PROCEDURE")
        self._references_exist(self.state.procedures[name], defining=name)

    def _refresh(self, match, text) -> None:
        form, name = match.group(1).upper(), match.group(2)
        self._need(name, "STREAMING_TABLE", "MATERIALIZED_VIEW", "TABLE")
        kind = self._kind(name)
        if form == "MATERIALIZED VIEW" and kind != "MATERIALIZED_VIEW":
            raise FakeSqlError("NON_MATERIALIZED_VIEW", f"{name} is not a materialized view")
        if form != "MATERIALIZED VIEW" and kind != "STREAMING_TABLE":
            raise FakeSqlError("NON_STREAMING_TABLE", f"{name} is not a streaming table")
        if not self._may("REFRESH", name):
            raise FakeSqlError("PERMISSION_DENIED", f"User {self.identity} does not have REFRESH on {name}")

    def _may(self, privilege: str, name: str) -> bool:
        if self.state.owners.get(name) == self.identity:
            return True  # "Owners have this privilege implicitly"
        principals = {self.identity} | {g for g, members in self.state.groups.items() if self.identity in members}
        return any(p == privilege and s == name and who in principals for p, s, who in self.state.grants)

    def _grant(self, match, text) -> None:
        privileges, securable, name, principal = match.groups()
        kind = {"MATERIALIZED VIEW": ("MATERIALIZED_VIEW",), "TABLE": ("TABLE", "STREAMING_TABLE")}.get(
            securable.upper(), (securable.upper(),)
        )
        self._need(name, *kind)
        for privilege in privileges.split(","):
            self.state.grants.append((" ".join(privilege.split()).upper(), name, principal))

    def _alter_table(self, match, text) -> None:
        self._need(match.group(1), "TABLE")

    def _comment_table(self, match, text) -> None:
        self._need(match.group(1), "TABLE", "VIEW")

    def _write(self, match, text) -> None:
        name = match.group(1)
        self._need(name, "TABLE")
        self._references_exist(text)

    def _drop_table(self, match, text) -> None:
        # DROP TABLE drops a table; a view, materialized view or streaming table needs its own DROP.
        name = match.group(1)
        kind = self._kind(name)
        if kind is None:
            return
        if kind != "TABLE":
            raise FakeSqlError("WRONG_COMMAND_FOR_OBJECT_TYPE", f"{name} is a {kind}: DROP TABLE does not drop it")
        del self.state.objects[name]

    def _drop_schema(self, match, text) -> None:
        name = match.group(1)
        for full in [n for n in self.state.objects if n == name or n.startswith(name + ".")]:
            del self.state.objects[full]
        prefix = "/Volumes/" + name.replace(".", "/")
        self.state.volume_paths = {p for p in self.state.volume_paths if not p.startswith(prefix)}


class _Cursor:
    def __init__(self, warehouse: FakeWarehouse):
        self.warehouse = warehouse
        self.description = None
        self.rowcount = -1

    def execute(self, sql, parameters=None):
        self.warehouse.run(sql)

    def fetchall(self):
        return []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# ---------------------------------------------------------------------- the daily job


def split_as_the_sql_task_does(content: str) -> list[str]:
    """A SQL file task runs "multiple SQL statements separated by semicolons"; whether comments or quotes
    protect a semicolon is not documented, so here nothing does."""
    pieces = [piece.strip() for piece in content.split(";")]
    return [piece for piece in pieces if strip_comments(piece).strip()]


def land_files(state: State, landing_root: str, day: str = "2026/12/02") -> list[str]:
    """What the ingest task leaves in the volume: one NDJSON file per entity."""
    written = []
    for entity in ("events", "venues", "attractions", "classifications"):
        folder = f"{landing_root}/{entity}"
        for part in day.split("/"):
            folder += f"/{part}"
            state.volume_paths.add(folder)
        path = f"{folder}/{entity}-0001.ndjson"
        state.volume_paths.add(path)
        written.append(path)
    return written


def run_job(state: State, job_id: int, landing_root: str, identity: str) -> list[tuple[str, str]]:
    """Run the job's tasks in order: the ingest task lands files, each SQL task's file is split on
    semicolons and run on the warehouse as the job's identity, the sync task needs its index."""
    job = state.jobs[job_id]
    warehouse = FakeWarehouse(state, identity)
    ran: list[tuple[str, str]] = []
    done: set[str] = set()
    for task in job["tasks"]:
        for dependency in task.get("depends_on", []):
            assert dependency["task_key"] in done, f"{task['task_key']} runs before {dependency['task_key']}"
        if "sql_task" in task:
            path = task["sql_task"]["file"]["path"]
            content = base64.b64decode(state.files[path]).decode()
            for statement in split_as_the_sql_task_does(content):
                warehouse.run(statement)
                ran.append((task["task_key"], statement))
        elif task["task_key"] == "ingest":
            land_files(state, landing_root)
        else:
            index = task["spark_python_task"]["parameters"][-1]
            if index not in state.vector_indexes:
                raise FakeSqlError("RESOURCE_DOES_NOT_EXIST", f"Vector Search index {index} does not exist")
        done.add(task["task_key"])
    return ran
