"""The compiled project, kept between commands while nothing it is made from has changed.

Rendering every SQL file was the largest share of a run that found nothing new. A compile depends only
on the files under sql/, the runner code that renders and parses them, the target and the selection;
the cache holds the last compile of a project folder with a key made of all of them, so any edit (or
another target or selection) compiles again. It lives in Jinja's private per-user folder (the one
runner.project keeps compiled templates in), one file a project folder, dropped once unused for a day;
a cache that cannot be read or written only costs the compile.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

import jinja2

from runner import project
from runner.config import Target
from runner.project import SQL_ROOT, CompiledObject

RUNNER_ROOT = Path(project.__file__).parent


def _key(target: Target, select: object, exclude: object, keep_setup: bool, sql_root: Path) -> str:
    digest = hashlib.sha256(repr((sys.version, jinja2.__version__, target, select, exclude, keep_setup)).encode())
    for root in (sql_root, RUNNER_ROOT):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


def compile_project(
    target: Target,
    select: str | list[str] | None = None,
    exclude: str | list[str] | None = None,
    *,
    keep_setup: bool = True,
    sql_root: Path = SQL_ROOT,
    cache_dir: Path | None = None,
) -> list[CompiledObject]:
    """runner.project.compile_project, from the cache when the same inputs were compiled before."""
    key = _key(target, select, exclude, keep_setup, sql_root)
    try:
        folder = cache_dir or Path(jinja2.FileSystemBytecodeCache().directory)
    except (OSError, RuntimeError):  # no private folder to be had
        return project.compile_project(target, select, sql_root, exclude, keep_setup=keep_setup)
    path = folder / f"lakehouse-compiled-{hashlib.sha256(str(sql_root).encode()).hexdigest()[:16]}.pickle"
    with contextlib.suppress(Exception):  # missing, half-written or from another version: compile again
        cached_key, objects = pickle.loads(path.read_bytes())  # noqa: S301 - a folder only this user can write
        if cached_key == key:
            with contextlib.suppress(OSError):
                os.utime(path)  # in use: not stale (see _remove_stale)
            return objects
    objects = project.compile_project(target, select, sql_root, exclude, keep_setup=keep_setup)
    with contextlib.suppress(OSError):
        handle, temporary = tempfile.mkstemp(dir=folder, prefix="lakehouse-compiled-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump((key, objects), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # whole or not at all, for a command that reads it meanwhile
        _remove_stale(folder)
    return objects


# A compile of a project folder unused this long is dropped: a folder that is gone (a test's copy) leaves
# its compile behind, and the per-user folder would only grow.
STALE_AFTER_SECONDS = 24 * 3600


def _remove_stale(folder: Path) -> None:
    now = time.time()
    for stale in [*folder.glob("lakehouse-compiled-*.pickle"), *folder.glob("lakehouse-compiled-*.tmp")]:
        with contextlib.suppress(OSError):
            if now - stale.stat().st_mtime > STALE_AFTER_SECONDS:
                stale.unlink()
