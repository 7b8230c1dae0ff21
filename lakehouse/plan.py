"""`lakehouse plan`: per object, whether a deploy would create it, change it or leave it as it is.

Every deploy records a hash of each object's compiled deploy SQL (locally beside the database, for a
remote target under target/). The plan compiles the project again and compares: no record, or
(locally) no such table, view or schema in the database, means create; a different hash means
change; the same hash means unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from runner.config import Target
from runner.project import CompiledObject
from runner.selectors import kind_of
from runner.splitter import strip_comments
from runner.steps import deploy_steps, run_steps

STATES = ("create", "change", "unchanged")
_CREATED_NAME = re.compile(
    r"^\s*CREATE\s+(?:OR\s+\w+\s+)?(?:TEMP\w*\s+)?(?:MATERIALIZED\s+VIEW|STREAMING\s+TABLE|VIEW|TABLE|SCHEMA)\s+"
    r"(?:IF\s+NOT\s+EXISTS\s+)?([\w.`\"]+)",
    re.IGNORECASE,
)


def manifest_path(target: Target) -> Path:
    if target.is_local and target.data_dir is not None:
        return target.data_dir / "deployed.json"
    return Path("target") / "deployed" / f"{target.name}-{target.catalog}.json"


def sql_hash(target: Target, obj: CompiledObject) -> str:
    text = "\n;\n".join(step.sql or step.description for step in deploy_steps(target, [obj]))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_manifest(target: Target) -> dict[str, str]:
    try:
        data = json.loads(manifest_path(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("objects", {}) if isinstance(data, dict) else {}


def record_deployed(target: Target, objects: list[CompiledObject]) -> None:
    """After a deploy: remember what each deployed object's SQL was (best effort, never fails the deploy)."""
    path = manifest_path(target)
    recorded = read_manifest(target)
    recorded.update({obj.key: sql_hash(target, obj) for obj in objects})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"objects": recorded}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    except OSError:
        pass


def created_names(obj: CompiledObject) -> list[str]:
    names = []
    for statement in obj.deploy:
        match = _CREATED_NAME.match(strip_comments(statement.sql))
        if match:
            names.append(match.group(1).replace("`", "").replace('"', "").lower())
    return names


def _local_catalog(target: Target) -> set[str] | None:
    """Schema and schema.object names in the local database; None when there is no database yet."""
    if not target.database_path.is_file():
        return None
    import duckdb

    try:
        with duckdb.connect(str(target.database_path), read_only=True) as connection:
            rows = connection.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal "
                "UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal "
                "UNION ALL SELECT schema_name, NULL FROM duckdb_schemas() WHERE NOT internal"
            ).fetchall()
    except duckdb.Error:
        return None  # locked by a run in progress: the recorded hashes decide
    return {(f"{s}.{t}" if t else str(s)).lower() for s, t in rows}


@dataclass(frozen=True)
class PlannedObject:
    key: str
    layer: str
    kind: str
    state: str
    header: str
    deploy: list[str]
    run: list[str]

    def as_dict(self) -> dict:
        return {
            "object": self.key,
            "layer": self.layer,
            "kind": self.kind,
            "state": self.state,
            "description": self.header,
            "deploy_statements": self.deploy,
            "run_steps": self.run,
        }


def plan_states(target: Target, objects: list[CompiledObject], *, catalog: bool = True) -> dict[str, str]:
    """Each object's state: create, change or unchanged. `catalog=False` decides by the recorded hashes
    alone, as when the database is open in this process already (a run about to deploy)."""
    recorded = read_manifest(target)
    local = _local_catalog(target) if target.is_local and catalog else None
    states = {}
    for obj in objects:
        names = created_names(obj)
        if obj.key not in recorded:
            state = "create"
            if local is not None and names and all(name in local for name in names):
                state = "change"  # deployed before any record was kept: deploy applies the SQL again
        elif local is not None and any(name not in local for name in names):
            state = "create"
        elif recorded[obj.key] != sql_hash(target, obj):
            state = "change"
        else:
            state = "unchanged"
        states[obj.key] = state
    return states


def plan_objects(target: Target, objects: list[CompiledObject], *, full_refresh: bool = False) -> list[PlannedObject]:
    states = plan_states(target, objects)
    return [
        PlannedObject(
            obj.key,
            obj.file.layer,
            kind_of(obj),
            states[obj.key],
            obj.header,
            [step.sql or step.description for step in deploy_steps(target, [obj])],
            [] if obj.rule else [s.description for s in run_steps(target, [obj], full_refresh=full_refresh)],
        )
        for obj in objects
    ]
