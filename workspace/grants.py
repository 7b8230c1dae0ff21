"""GRANT statements from the configured roles.

Grants go as SQL through the warehouse, not the Unity Catalog permissions API: GRANT of a privilege
already held is a no-op, so redeploying needs no diff; the statements parse with sqlfluff in CI and
read the same in `plan` as in the SQL editor; and they reuse the connection deploy already opened.
Privileges granted by hand outside this list are left alone, never revoked.

Refreshing a streaming table or a materialized view needs the REFRESH privilege on it, or ownership;
MODIFY is not enough. The job runs as `run_as` (or as the deployer, who owns what deploy created), so
the pipeline role is granted REFRESH on every streaming table (write_bronze) and materialized view
(write_gold) the project defines, by name, after deploy has created them.
"""

from __future__ import annotations

from collections.abc import Sequence

from runner.macros import sql_string
from runner.project import CompiledObject
from workspace.settings import WorkspaceSettings


def _principal(name: str) -> str:
    return f"`{name}`"


def catalog_statements(settings: WorkspaceSettings) -> list[str]:
    if not settings.create_catalog:
        return []
    comment = sql_string("Ticketmaster lakehouse: bronze, silver and gold schemas and the landing volume.")
    return [f"CREATE CATALOG IF NOT EXISTS {settings.catalog} COMMENT {comment}"]


def refreshable(objects: Sequence[CompiledObject]) -> dict[str, list[tuple[str, str]]]:
    """The objects a run refreshes, by the grant kind whose roles refresh them: (securable, name)."""
    return {
        "write_bronze": [("TABLE", spec.name) for obj in objects for spec in obj.streaming_tables],
        "write_gold": [("MATERIALIZED VIEW", name) for obj in objects for name in obj.materialized_views],
    }


def grant_statements(settings: WorkspaceSettings, objects: Sequence[CompiledObject] = ()) -> list[str]:
    catalog = settings.catalog
    volume = f"{catalog}.{settings.schema_name('bronze')}.{settings.volume}"
    on_securable = {
        "read_gold": ("USE SCHEMA, SELECT, EXECUTE", f"SCHEMA {catalog}.{settings.schema_name('gold')}"),
        "write_bronze": ("USE SCHEMA, SELECT, MODIFY", f"SCHEMA {catalog}.{settings.schema_name('bronze')}"),
        "write_silver": ("USE SCHEMA, SELECT, MODIFY", f"SCHEMA {catalog}.{settings.schema_name('silver')}"),
        "write_gold": ("USE SCHEMA, SELECT, MODIFY, EXECUTE", f"SCHEMA {catalog}.{settings.schema_name('gold')}"),
        "read_volume": ("READ VOLUME", f"VOLUME {volume}"),
        "write_volume": ("READ VOLUME, WRITE VOLUME", f"VOLUME {volume}"),
    }
    statements: list[str] = []
    seen_catalog: set[str] = set()
    for kind, (privileges, securable) in on_securable.items():
        for principal in settings.principals(kind):
            # Nothing below a catalog is reachable without USE CATALOG on it.
            if principal not in seen_catalog:
                seen_catalog.add(principal)
                statements.append(f"GRANT USE CATALOG ON CATALOG {catalog} TO {_principal(principal)}")
            statements.append(f"GRANT {privileges} ON {securable} TO {_principal(principal)}")
    for kind, securables in refreshable(objects).items():
        for principal in settings.principals(kind):
            statements.extend(f"GRANT REFRESH ON {what} {name} TO {_principal(principal)}" for what, name in securables)
    return statements
