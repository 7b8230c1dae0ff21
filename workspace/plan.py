"""Desired versus actual: read the workspace (never write) and list what deploy would do.

Each Change carries the function that applies it, so `plan` and `deploy` cannot disagree:
deploy is "make the plan, then run its apply functions"; plan only prints it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass

from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import NotFound, ResourceDoesNotExist
from databricks.sdk.service import jobs, workspace

from runner.config import Target
from runner.errors import LakehouseError
from runner.project import CompiledObject
from workspace.genie import SpaceDefinition
from workspace.job import UploadFile, job_settings, upload_files
from workspace.settings import WorkspaceSettings

CREATE, CHANGE, LEAVE, APPLY, MISSING = "create", "change", "leave alone", "apply", "missing"
_MISSING = (NotFound, ResourceDoesNotExist)


@dataclass
class Change:
    kind: str
    name: str
    action: str
    detail: str = ""
    apply: Callable[[], object] | None = None

    def line(self) -> str:
        return f"  {self.action:<11} {self.kind:<6} {self.name}" + (f"  ({self.detail})" if self.detail else "")


def check_secret(client: WorkspaceClient, settings: WorkspaceSettings) -> Change:
    """Only the key's presence is checked (its metadata); the value is never requested."""
    name = f"{settings.secret_scope}/{settings.secret_key}"
    try:
        keys = {s.key for s in client.secrets.list_secrets(settings.secret_scope)}
    except _MISSING:
        keys = set()
    if settings.secret_key not in keys:
        return Change(
            "secret", name, MISSING,
            f"secret {name} (workspace.secret_scope / workspace.secret_key) does not exist; the ingest task reads "
            f"the Ticketmaster API key from it. Create it first: databricks secrets create-scope "
            f"{settings.secret_scope}; databricks secrets put-secret {settings.secret_scope} {settings.secret_key}",
        )  # fmt: skip
    return Change("secret", name, LEAVE, "present; read by the ingest task at run time")


def _file_changes(client: WorkspaceClient, files: list[UploadFile]) -> list[Change]:
    changes = []
    for file in files:
        try:
            # SOURCE is the notebook format; plain workspace files export as they are with RAW.
            current = client.workspace.export(file.path, format=workspace.ExportFormat.RAW).content
            action = LEAVE if current is not None and base64.b64decode(current).decode() == file.content else CHANGE
        except _MISSING:
            action = CREATE
        changes.append(Change("file", file.path, action, apply=_uploader(client, file) if action != LEAVE else None))
    return changes


def _uploader(client: WorkspaceClient, file: UploadFile) -> Callable[[], None]:
    def upload() -> None:
        client.workspace.mkdirs(file.path.rsplit("/", 1)[0])
        client.workspace.import_(
            file.path,
            content=base64.b64encode(file.content.encode()).decode(),
            format=workspace.ImportFormat.RAW,
            overwrite=True,
        )

    return upload


def _find_job(client: WorkspaceClient, name: str) -> int | None:
    ids = [job.job_id for job in client.jobs.list(name=name) if job.settings and job.settings.name == name]
    if len(ids) > 1:
        raise LakehouseError(f"{len(ids)} jobs are named {name!r} (ids {ids}); delete all but one, then redeploy.")
    return ids[0] if ids else None


def _job_change(client: WorkspaceClient, desired: jobs.JobSettings) -> Change:
    assert desired.name is not None
    job_id = _find_job(client, desired.name)
    if job_id is None:
        return Change(
            "job",
            desired.name,
            CREATE,
            "daily at the configured time",
            lambda: client.jobs.create(**desired.as_shallow_dict()),
        )
    actual = client.jobs.get(job_id).settings
    if actual is not None and _contains(actual.as_dict(), desired.as_dict()):
        return Change("job", desired.name, LEAVE, f"job {job_id}")
    return Change(
        "job", desired.name, CHANGE, f"job {job_id}: settings replaced", lambda: client.jobs.reset(job_id, desired)
    )


def _contains(actual: object, desired: object) -> bool:
    """Whether actual holds everything desired says; the service adds defaults we do not manage."""
    if isinstance(desired, dict):
        return isinstance(actual, dict) and all(_contains(actual.get(k), v) for k, v in desired.items())
    if isinstance(desired, list):
        return isinstance(actual, list) and len(actual) == len(desired) and all(map(_contains, actual, desired))
    return actual == desired


def _space_change(client: WorkspaceClient, settings: WorkspaceSettings, space: SpaceDefinition) -> Change:
    title = settings.title(settings.genie_title)
    matches = [s.space_id for s in _all_spaces(client) if s.title == title]
    if len(matches) > 1:
        raise LakehouseError(f"{len(matches)} Genie spaces are titled {title!r}; trash all but one, then redeploy.")
    serialized = space.serialized()
    if not matches:
        return Change(
            "genie", title, CREATE, f"{len(space.tables)} tables, {len(space.examples)} examples",
            lambda: client.genie.create_space(
                settings.warehouse_id, serialized, description=space.description, title=title
            ),
        )  # fmt: skip
    space_id = matches[0]
    actual = client.genie.get_space(space_id, include_serialized_space=True)
    same = (
        actual.description == space.description
        and actual.warehouse_id == settings.warehouse_id
        and actual.serialized_space is not None
        # The service may add fields of its own to the export; only what we define must match.
        and _contains(json.loads(actual.serialized_space), space.payload())
    )
    if same:
        return Change("genie", title, LEAVE, f"space {space_id}")
    return Change(
        "genie", title, CHANGE, f"space {space_id}: definition replaced",
        lambda: client.genie.update_space(
            space_id, description=space.description, serialized_space=serialized, title=title,
            warehouse_id=settings.warehouse_id,
        ),
    )  # fmt: skip


def _all_spaces(client: WorkspaceClient):
    token = None
    while True:
        page = client.genie.list_spaces(page_token=token)
        yield from page.spaces or []
        token = page.next_page_token
        if not token:
            return


def plan_workspace(
    client: WorkspaceClient,
    settings: WorkspaceSettings,
    target: Target,
    objects: list[CompiledObject],
    space: SpaceDefinition,
) -> list[Change]:
    """Every workspace change deploy would make, in the order it would make them. Reads only."""
    changes = [check_secret(client, settings)]
    changes += _file_changes(client, upload_files(settings, target, objects))
    changes.append(_job_change(client, job_settings(settings, target, objects)))
    changes.append(_space_change(client, settings, space))
    return changes
