"""`python -m runner destroy --target databricks --env dev`: remove what deploy created, after a confirmation.

Removed, in this order, each found the way deploy finds it: the daily job (by name), the Genie space
(by title, to the trash), the Vector Search index, the workspace folder with the job's files, then the
bronze, silver and gold schemas with everything in them (DROP SCHEMA ... CASCADE: the landing volume
and its landed files too). Left alone: the catalog (it may hold other schemas), the Vector Search
endpoint (other indexes may use it), the secret scope (it holds a key a person put there) and grants
made outside deploy.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from runner.config import LAYERS, Target
from runner.errors import LakehouseError
from workspace.settings import WorkspaceSettings

Say = Callable[[str], None]


@dataclass
class Removal:
    what: str
    remove: Callable[[], object]


def add_command(commands: argparse._SubParsersAction, common: Callable[..., None]) -> None:
    destroy = commands.add_parser(
        "destroy", help="remove what deploy created in a Databricks environment (asks first; --yes to skip)"
    )
    common(destroy, select=False)
    destroy.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def plan_removals(
    client: Any, settings: WorkspaceSettings, target: Target, execute: Callable[[str], object]
) -> list[Removal]:
    """What exists of deploy's work, each with the call that removes it. Reads only."""
    from databricks.sdk.errors import NotFound, ResourceDoesNotExist

    from assistant.settings import load_assistant_settings
    from workspace.plan import _all_spaces, _find_job

    removals: list[Removal] = []
    job_name = settings.title(settings.job_name)
    job_id = _find_job(client, job_name)
    if job_id is not None:
        removals.append(Removal(f"job {job_name!r} ({job_id})", lambda: client.jobs.delete(job_id)))
    title = settings.title(settings.genie_title)
    for space in _all_spaces(client):
        if space.title == title:
            trash = lambda s=space.space_id: client.genie.trash_space(s)  # noqa: E731
            removals.append(Removal(f"Genie space {title!r} ({space.space_id})", trash))
    index = load_assistant_settings().index_name(target)
    try:
        client.vector_search_indexes.get_index(index)
    except (NotFound, ResourceDoesNotExist):
        pass
    else:
        delete_index = lambda: client.vector_search_indexes.delete_index(index)  # noqa: E731
        removals.append(Removal(f"Vector Search index {index}", delete_index))
    try:
        client.workspace.get_status(settings.root)
    except (NotFound, ResourceDoesNotExist):
        pass
    else:
        removals.append(
            Removal(f"workspace folder {settings.root}", lambda: client.workspace.delete(settings.root, recursive=True))
        )
    for layer in reversed(LAYERS):
        schema = target.schema(layer)
        try:
            client.schemas.get(schema)
        except (NotFound, ResourceDoesNotExist):
            continue
        detail = " (with the landing volume and every landed file)" if layer == "bronze" else ""
        drop = lambda s=schema: execute(f"DROP SCHEMA IF EXISTS {s} CASCADE")  # noqa: E731
        removals.append(Removal(f"schema {schema} and all it holds{detail}", drop))
    return removals


def destroy(
    client: Any,
    settings: WorkspaceSettings,
    target: Target,
    execute: Callable[[str], object],
    *,
    yes: bool,
    say: Say = print,
    ask: Callable[[str], str] | None = None,
) -> int:
    removals = plan_removals(client, settings, target, execute)
    if not removals:
        say(f"destroy ({settings.env}): nothing deploy creates exists; nothing to remove")
        return 0
    say(f"destroy ({settings.env}) removes:")
    for removal in removals:
        say(f"  - {removal.what}")
    say(f"  left alone: catalog {target.catalog}, the Vector Search endpoint, secret scope {settings.secret_scope}")
    if not yes:
        if ask is None and not sys.stdin.isatty():
            raise LakehouseError("destroy asks for confirmation on a terminal; pass --yes to remove without asking.")
        answer = (ask or input)(f"Type the environment name ({settings.env}) to remove all of this: ").strip()
        if answer != settings.env:
            say("destroy: not confirmed; nothing was removed")
            return 1
    for removal in removals:
        removal.remove()
        say(f"removed {removal.what}")
    return 0
