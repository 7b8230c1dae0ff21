"""A run advances the silver watermarks once, after the last load that reads since its last load."""

from __future__ import annotations

import re

import pytest

from runner.config import load_target
from runner.project import compile_project
from runner.steps import run_steps

WRITES_LOAD_STATE = re.compile(r"^\s*MERGE\s+INTO\s+\S*silver\.load_state\b", re.I)


@pytest.mark.parametrize("target_name", ["local", "databricks"])
def test_one_write_after_the_last_reader_for_every_pair_read(target_name, monkeypatch):
    monkeypatch.setenv("DATABRICKS_WAREHOUSE_ID", "abc123")
    target = load_target(target_name)
    objects = compile_project(target)
    steps = run_steps(target, objects)
    writes = [i for i, step in enumerate(steps) if WRITES_LOAD_STATE.match(step.sql or "")]
    assert len(writes) == 1
    readers = [obj for obj in objects if obj.watermarks]
    assert {obj.key for obj in readers} >= {"silver.events", "silver.venues", "gold.event_documents"}
    # right after the last statement of the last reader, before anything that reads its tables' watermarks
    last_reader = max(i for i, step in enumerate(steps) if step.object_key == readers[-1].key and i != writes[0])
    assert writes[0] == last_reader + 1
    sql = steps[writes[0]].sql or ""
    for obj in readers:
        for object_name, source_table in obj.watermarks:
            assert f"('{object_name}', '{source_table}')" in sql


def test_a_selection_advances_only_what_it_loads():
    target = load_target("local")
    steps = run_steps(target, compile_project(target, "silver.venues"))
    (write,) = [step.sql or "" for step in steps if WRITES_LOAD_STATE.match(step.sql or "")]
    pairs = set(re.findall(r"\('([^']+)', '([^']+)'\)", write))
    assert pairs == {("silver.venues", "bronze.venues_raw"), ("silver.venues", "bronze.events_raw")}
