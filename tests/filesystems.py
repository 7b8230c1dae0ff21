"""Real filesystem faults for tests: a full disk and a read-only folder, made by the operating system.

A command runs in a private mount namespace (``unshare --user --map-root-user --mount``), where a tiny
tmpfs or a read-only bind mount covers one folder; nothing outside the command sees it. Writes there
fail the way they fail for users (ENOSPC, EROFS), inside the real ``open``/``write``/``fsync``. After
the command, a listing of the folder is taken inside the namespace, so a test can check what was left.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

_SCRIPT = """
set -e
folder="$1"; kind="$2"; size="$3"; listing="$4"; shift 4
if [ "$kind" = full ]; then
  mount -t tmpfs -o "size=$size" tmpfs "$folder"
else
  mount --bind "$folder" "$folder"
  mount -o remount,bind,ro "$folder"
fi
set +e
"$@"
code=$?
find "$folder" -mindepth 1 > "$listing"
exit $code
"""


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    left_behind: list[str]  # paths under the folder after the command, relative to it


@cache
def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


def require_namespaces() -> None:
    if not _namespaces_work():
        pytest.skip("needs `unshare --user --mount` (unprivileged user namespaces) to make a real disk fault")


def run_on(
    kind: str, folder: Path, command: list[str], *, env: dict[str, str], cwd: Path, size: str = "64k", timeout=300
) -> Outcome:
    """Run ``command`` with ``folder`` full (``kind="full"``: a tmpfs of ``size``) or read-only."""
    assert kind in ("full", "readonly")
    require_namespaces()
    folder.mkdir(parents=True, exist_ok=True)
    listing = folder.parent / f".{folder.name}.listing"
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", _SCRIPT, "sh", str(folder), kind, size, str(listing), *command],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    left = [str(Path(p).relative_to(folder)) for p in listing.read_text().split("\n") if p] if listing.exists() else []
    return Outcome(done.returncode, done.stdout, done.stderr, left)
