"""The tests the documentation names as proof exist: a renamed or removed test fails here, not on a reader."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# `runner/test_cli.py` or `runner/test_cli.py::test_name`, relative to tests/ (or starting with tests/)
NAMED = re.compile(r"`(?:tests/)?((?:\w+/)+test_\w+\.py)(?:::(\w+))?")


def named_tests() -> list[tuple[str, str, str | None]]:
    return [
        (doc.relative_to(REPO).as_posix(), match.group(1), match.group(2))
        for doc in DOCS
        for match in NAMED.finditer(doc.read_text(encoding="utf-8"))
    ]


def test_every_test_the_docs_name_exists():
    named = named_tests()
    assert sum(doc == "docs/reliability.md" for doc, _, _ in named) >= 40  # the guarantees table is read
    missing = []
    for doc, path, name in named:
        module = REPO / "tests" / path
        if not module.is_file():
            missing.append(f"{doc}: {path} does not exist")
        elif name and not re.search(rf"^def {name}\(", module.read_text(encoding="utf-8"), re.M):
            missing.append(f"{doc}: {path} has no test {name}")
    assert not missing, "\n".join(missing)
