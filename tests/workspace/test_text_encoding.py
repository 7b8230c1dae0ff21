"""The files deploy uploads are read as UTF-8 whatever the machine's locale.

Python opens text in the locale's encoding unless told otherwise (cp1252 on most Windows machines,
ASCII under a bare C locale), and the ingest sources deploy uploads hold accented names.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import ingest

REPO = Path(__file__).resolve().parents[2]
# A bare C locale without Python's UTF-8 coercion: text files open as ASCII.
ASCII_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}

UPLOADS = """
import json, locale
from runner.config import load_target
from runner.project import compile_project
from workspace.job import upload_files
from workspace.settings import load_settings

settings = load_settings("prod")
target = settings.apply_to(load_target("databricks"))
files = {f.path.rsplit("/src/", 1)[-1]: f.content for f in upload_files(settings, target, compile_project(target))}
print(json.dumps({"encoding": locale.getpreferredencoding(False), "files": files}))
"""


def test_deploy_uploads_the_ingest_sources_as_they_are_under_an_ascii_locale():
    env = {**os.environ, **ASCII_LOCALE, "DATABRICKS_WAREHOUSE_ID": "wh0123456789", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", UPLOADS], cwd=REPO, env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    found = json.loads(done.stdout)
    assert found["encoding"] in ("ANSI_X3.4-1968", "US-ASCII", "ascii")  # the locale this test is about
    sources = sorted(Path(ingest.__file__).parent.glob("*.py"))
    assert any(not s.read_bytes().isascii() for s in sources)  # something to get wrong
    for source in sources:
        assert found["files"][f"ingest/{source.name}"] == source.read_text(encoding="utf-8")
