"""The SQL deploy sends for the catalog, grants and volume, and the job's task files, parse as Databricks SQL."""

from __future__ import annotations

import dataclasses

import pytest

from runner.config import load_target
from runner.project import compile_project
from runner.splitter import split_statements
from runner.steps import run_steps
from tests.runner.test_databricks_sql import assert_parses_as_databricks
from workspace.genie import load_space
from workspace.grants import catalog_statements, grant_statements
from workspace.job import task_files
from workspace.settings import load_settings


def _statements() -> list[tuple[str, str]]:
    found = []
    for env in ("dev", "prod"):
        settings = dataclasses.replace(load_settings(env), create_catalog=True)
        target = settings.apply_to(load_target("databricks"))
        found += [(f"{env}:catalog", sql) for sql in catalog_statements(settings)]
        objects = compile_project(target)
        found += [(f"{env}:grant{n}", sql) for n, sql in enumerate(grant_statements(settings, objects))]
        found += [(f"{env}:genie:{e.source.stem}", e.sql) for e in load_space(target).examples]
        found += [(f"{env}:volume", s.sql) for obj in objects if obj.key == "bronze.landing" for s in obj.deploy]
        # Layer run statements are parsed by tests/runner/test_databricks_sql.py; the rest of a task file here.
        covered = {step.sql for step in run_steps(target, objects)}
        for task in task_files(settings, target, objects):
            statements = [s.sql for s in split_statements(task.content)]
            found += [(f"{env}:{task.task_key}{n}", sql) for n, sql in enumerate(statements) if sql not in covered]
    return found


with pytest.MonkeyPatch.context() as _patch:
    _patch.setenv("DATABRICKS_WAREHOUSE_ID", "wh1")
    STATEMENTS = _statements()


def test_grants_volume_catalog_and_schedule_sql_are_all_covered():
    names = " ".join(n for n, _ in STATEMENTS)
    for part in ("genie", "catalog", "grant", "volume", "bronze", "gold", "quality"):
        assert part in names
    assert any("READ VOLUME" in s for _, s in STATEMENTS)


@pytest.mark.parametrize(("name", "sql"), STATEMENTS, ids=[n for n, _ in STATEMENTS])
def test_statement_parses_with_the_databricks_dialect(name, sql):
    assert_parses_as_databricks(sql, name)
