"""Deploy's SQL on Databricks, with the landing volume's entity folders created as soon as it exists.

The bronze streaming tables read /Volumes/<catalog>/<bronze>/<volume>/<entity> from their creation on
(creation runs the first refresh), so each folder is made, through the Files API, between the
statement that creates the volume and the ones that create the tables. Creating a folder that exists
is left alone, so this is safe to repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner.config import Target
from runner.engines.base import Engine
from runner.errors import LakehouseError
from runner.project import CompiledObject
from runner.steps import Step

VOLUME_OBJECT = "bronze.landing"
Say = Callable[[str], None]


def landing_folders(objects: list[CompiledObject]) -> list[str]:
    return sorted({spec.source for obj in objects for spec in obj.streaming_tables})


def create_landing_folders(client: Any, folders: list[str], say: Say) -> None:
    """Each missing folder is created; one that exists is left alone, so a redeploy writes nothing."""
    from databricks.sdk.errors import DatabricksError, NotFound

    created = []
    for folder in folders:
        try:
            client.files.get_directory_metadata(folder)
            continue
        except NotFound:
            pass
        except DatabricksError:
            pass  # creating it says what is wrong
        try:
            client.files.create_directory(folder)
            created.append(folder)
        except DatabricksError as exc:
            raise LakehouseError(
                f"cannot create the landing folder {folder}: {str(exc).splitlines()[0]} (the landing volume must "
                "exist and the deployer needs WRITE VOLUME on it)"
            ) from exc
    if created:
        say(f"deploy: created {len(created)} landing folder(s) in {created[0].rsplit('/', 1)[0]}")


def deploy_sql(client: Any, target: Target, objects: list[CompiledObject], engine: Engine, say: Say) -> list[Step]:
    """pipeline.deploy, in two parts around the landing folders: up to the volume, then the rest."""
    from runner.pipeline import deploy

    keys = [obj.key for obj in objects]
    split = keys.index(VOLUME_OBJECT) + 1 if VOLUME_OBJECT in keys else 0
    quiet: Say = lambda _: None  # noqa: E731
    steps = deploy(target, objects[:split], engine, quiet) if split else []
    create_landing_folders(client, landing_folders(objects), say)
    steps += deploy(target, objects[split:], engine, quiet)
    say(f"deploy: {len(steps)} statement(s) on {target.name}")
    return steps
