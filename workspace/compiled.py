"""`compile --env`: write the workspace-side SQL (catalog, grants, job task files) for review."""

from __future__ import annotations

from pathlib import Path

from runner.config import Target
from runner.project import CompiledObject, compile_project
from workspace.grants import catalog_statements, grant_statements
from workspace.job import task_files
from workspace.settings import WorkspaceSettings


def write_workspace_sql(out: Path, settings: WorkspaceSettings, target: Target, objects: list[CompiledObject]) -> int:
    folder = out / "workspace"
    folder.mkdir(parents=True, exist_ok=True)
    grants = [f"-- Sent by deploy --env {settings.env} around the project's SQL; every statement is safe to repeat."]
    project = compile_project(target)  # grants and the job cover everything, whatever --select
    grants += [f"{sql};" for sql in catalog_statements(settings) + grant_statements(settings, project)]
    (folder / "grants.sql").write_text("\n".join(grants) + "\n", encoding="utf-8")
    tasks = task_files(settings, target, project)
    for task in tasks:
        (folder / task.path.rsplit("/", 1)[1]).write_text(task.content, encoding="utf-8")
    return 1 + len(tasks)
