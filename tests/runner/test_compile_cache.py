"""The CLI's compiled project comes from a cache only while the files it is made from are unchanged."""

from __future__ import annotations

import pickle
import shutil

import pytest

from lakehouse.compiled import compile_project as compile_cached
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
