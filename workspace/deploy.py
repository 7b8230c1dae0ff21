"""Deploy and plan for a Databricks environment: SQL objects, grants, files, job and Genie space."""

from __future__ import annotations

from collections.abc import Callable

from databricks.sdk import WorkspaceClient

from runner.config import Target
from runner.engines.base import Engine
from runner.errors import LakehouseError
from runner.project import CompiledObject, compile_project
from workspace.genie import load_space
from workspace.grants import catalog_statements, grant_statements
from workspace.plan import APPLY, CREATE, MISSING, Change, plan_workspace
from workspace.settings import WorkspaceSettings

Say = Callable[[str], None]


def workspace_client(target: Target) -> WorkspaceClient:
    """The SDK client, with retry limits, after a probe of the host (workspace/connection.py)."""
    from workspace.connection import workspace_client as limited_client

    return limited_client(target)


def sql_changes(settings: WorkspaceSettings, objects: list[CompiledObject]) -> tuple[list[Change], list[Change]]:
    """Statements before the project's SQL (catalog) and after it (grants); all are safe to repeat."""
    before = [Change("sql", sql, APPLY, "idempotent") for sql in catalog_statements(settings)]
    after = [Change("sql", sql, APPLY, "idempotent") for sql in grant_statements(settings, objects)]
    return before, after


def show_plan(
    client: WorkspaceClient,
    settings: WorkspaceSettings,
    target: Target,
    objects: list[CompiledObject],
    say: Say = print,
) -> list[Change]:
    project = compile_project(target)
    before, after = sql_changes(settings, project)
    changes = before + after + plan_workspace(client, settings, target, project, load_space(target))
    say(f"\nworkspace ({settings.env}): nothing is changed by plan")
    for change in changes:
        say(change.line())
    counts = {action: sum(c.action == action for c in changes) for action in (CREATE, "change", "leave alone")}
    say("  " + ", ".join(f"{n} to {a}" for a, n in counts.items()))
    return changes


def deploy_workspace(
    client: WorkspaceClient,
    settings: WorkspaceSettings,
    target: Target,
    objects: list[CompiledObject],
    engine: Engine,
    say: Say = print,
) -> list[Change]:
    """Plan first (validates the Genie files and the secret before anything is written), then apply."""
    from workspace.landing import deploy_sql

    space = load_space(target)
    # The job's files come from the whole project: --select narrows the SQL deployed now, not the daily job.
    project = compile_project(target)
    workspace_changes = plan_workspace(client, settings, target, project, space)
    for change in workspace_changes:
        if change.action == MISSING:
            raise LakehouseError(change.detail)
    # Grants name the objects deploy creates, so they cover the whole project whatever --select says.
    before, after = sql_changes(settings, project)
    for change in before:
        engine.execute(change.name)
    deploy_sql(client, target, objects, engine, say)
    for change in after:
        engine.execute(change.name)
    for change in workspace_changes:
        if change.apply is not None:
            change.apply()
        say(change.line())
    # The RAG assistant's Vector Search endpoint and Delta Sync index over gold.event_documents.
    from assistant.databricks import deploy_vector_search
    from assistant.settings import load_assistant_settings

    deploy_vector_search(client, engine.execute, target, load_assistant_settings(), say)
    say(f"workspace ({settings.env}): {len(after)} grant(s) applied")
    return before + after + workspace_changes
