"""The CLI's compiled project comes from a cache only while the files it is made from are unchanged."""

from __future__ import annotations

import os
import pickle
import shutil
import time

import jinja2
import pytest

from lakehouse.compiled import STALE_AFTER_SECONDS
from lakehouse.compiled import compile_project as compile_cached
from runner import project as project_module
from runner.config import load_target
from runner.project import SQL_ROOT, compile_project


def _shape(objects) -> list[tuple]:
    return [
        (o.key, o.sql, o.deploy, o.run, o.streaming_tables, o.materialized_views, o.refs, o.watermarks, o.rule)
        for o in objects
    ]


@pytest.fixture()
def project(tmp_path):
    shutil.copytree(SQL_ROOT, tmp_path / "sql")
    return tmp_path / "sql", tmp_path / "cache"


@pytest.mark.parametrize("target_name", ["local", "databricks"])
def test_cached_compile_is_the_compile(project, target_name):
    sql_root, cache = project
    cache.mkdir()
    target = load_target(target_name, data_dir="unused")
    fresh = compile_project(target, sql_root=sql_root)
    assert _shape(compile_cached(target, sql_root=sql_root, cache_dir=cache)) == _shape(fresh)
    assert len(list(cache.glob("lakehouse-compiled-*.pickle"))) == 1
    assert _shape(compile_cached(target, sql_root=sql_root, cache_dir=cache)) == _shape(fresh)
    gold = compile_cached(target, "gold", sql_root=sql_root, cache_dir=cache)
    assert _shape(gold) == _shape(compile_project(target, "gold", sql_root=sql_root))


def test_an_edited_file_or_another_target_compiles_again(project):
    sql_root, cache = project
    cache.mkdir()
    local = load_target("local", data_dir="unused")
    compile_cached(local, sql_root=sql_root, cache_dir=cache)
    # What the cache holds is what a hit returns: a marked copy proves the second call read it.
    (path,) = cache.glob("lakehouse-compiled-*.pickle")
    key, objects = pickle.loads(path.read_bytes())
    objects[0].header = "read from the cache"
    path.write_bytes(pickle.dumps((key, objects)))
    assert compile_cached(local, sql_root=sql_root, cache_dir=cache)[0].header == "read from the cache"

    venue = sql_root / "gold" / "dim_venue.sql"
    venue.write_text(venue.read_text().replace("'Street address.'", "'Street address, first line.'"))
    recompiled = compile_cached(local, sql_root=sql_root, cache_dir=cache)
    assert recompiled[0].header != "read from the cache"
    (dim_venue,) = [o for o in recompiled if o.key == "gold.dim_venue"]
    assert "Street address, first line." in dim_venue.sql

    other = load_target("local", data_dir="elsewhere")
    assert _shape(compile_cached(other, sql_root=sql_root, cache_dir=cache)) == _shape(
        compile_project(other, sql_root=sql_root)
    )


def test_an_unreadable_cache_only_costs_the_compile(project):
    sql_root, cache = project
    cache.mkdir()
    target = load_target("local", data_dir="unused")
    compile_cached(target, sql_root=sql_root, cache_dir=cache)
    (path,) = cache.glob("lakehouse-compiled-*.pickle")
    path.write_bytes(b"not a pickle")
    assert _shape(compile_cached(target, sql_root=sql_root, cache_dir=cache)) == _shape(
        compile_project(target, sql_root=sql_root)
    )
    missing = cache / "missing"
    assert _shape(compile_cached(target, sql_root=sql_root, cache_dir=missing)) == _shape(
        compile_project(target, sql_root=sql_root)
    )


def test_compiles_of_folders_unused_for_a_day_are_dropped(project):
    # A test's copy of the project is deleted with its folder; its compile must not stay for good.
    sql_root, cache = project
    cache.mkdir()
    stale, fresh = cache / "lakehouse-compiled-0000.pickle", cache / "lakehouse-compiled-1111.pickle"
    stale.write_bytes(b"gone")
    fresh.write_bytes(b"in use")
    day_old = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(stale, (day_old, day_old))
    compile_cached(load_target("local", data_dir="unused"), sql_root=sql_root, cache_dir=cache)
    assert not stale.exists()
    assert fresh.exists()
    assert len(list(cache.glob("lakehouse-compiled-*.pickle"))) == 2  # the fresh one and this compile's


def test_copies_of_the_project_share_their_compiled_templates(tmp_path, monkeypatch):
    # Jinja's cache is keyed by the template's name, not its file: a second copy adds no entries.
    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "__init__", _cache_in(tmp_path / "bytecode"))
    project_module._ENVIRONMENTS.clear()
    target = load_target("local", data_dir="unused")
    for copy in ("one", "two"):
        shutil.copytree(SQL_ROOT, tmp_path / copy)
        compile_project(target, sql_root=tmp_path / copy)
        project_module._ENVIRONMENTS.clear()
    entries = list((tmp_path / "bytecode").iterdir())
    templates = [p for p in SQL_ROOT.rglob("*") if p.suffix in (".sql", ".jinja")]
    assert 0 < len(entries) <= len(templates)


def _cache_in(folder):
    original = jinja2.FileSystemBytecodeCache.__init__

    def init(self, directory=None, pattern="__jinja2_%s.cache"):
        folder.mkdir(exist_ok=True)
        original(self, str(folder), pattern)

    return init
