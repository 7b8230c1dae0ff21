"""The Genie space definition from genie/: description, gold tables, instructions, certified examples.

The files are the source; this module only turns them into the `serialized_space` JSON (version 2)
that create_space/update_space take, shaped as the Get Genie Space response documents it. Ids are
hashes of the content, so an unchanged repository gives a byte-identical payload and redeploy can
leave the space alone.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from runner.config import PROJECT_ROOT, Target
from runner.errors import LakehouseError
from runner.project import Renderer

GENIE_ROOT = PROJECT_ROOT / "genie"


@dataclass(frozen=True)
class Example:
    question: str
    sql: str
    source: Path


@dataclass(frozen=True)
class SpaceDefinition:
    description: str
    tables: list[str]
    instructions: list[str]
    examples: list[Example]

    def serialized(self) -> str:
        return json.dumps(self.payload(), sort_keys=True)

    def payload(self) -> dict:
        """The space as the Get Genie Space response shows it: every collection with ids sorted by id,
        text as lists of lines, and the general instructions as one text_instructions entry."""
        instructions = "\n".join(self.instructions)
        general = [{"id": _id(instructions), "content": _lines(instructions)}] if instructions else []
        return {
            "version": 2,
            "config": {
                "sample_questions": _by_id([{"id": _id(e.question), "question": [e.question]} for e in self.examples])
            },
            "data_sources": {"tables": [{"identifier": name} for name in sorted(self.tables)]},
            "instructions": {
                "text_instructions": general,
                "example_question_sqls": _by_id(
                    [
                        {"id": _id(e.question + e.sql), "question": [e.question], "sql": _lines(e.sql)}
                        for e in self.examples
                    ]
                ),
            },
        }


def _id(text: str) -> str:
    """A 32-hex-digit id, as the documented examples show, derived from the content so it is stable."""
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _by_id(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda item: item["id"])


def _lines(text: str) -> list[str]:
    """Text as the list of its lines, each keeping its line break, as the serialized space holds it."""
    return text.splitlines(keepends=True)


def read_example(path: Path, target: Target) -> Example:
    """One certified example: a `-- question:` first line, then one statement using ref()."""
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0] if text else ""
    if not first.startswith("-- question:"):
        raise LakehouseError(f"{path}: the first line must be '-- question: <the question it answers>'.")
    statements = Renderer(target).render_text(text, str(path))
    if len(statements) != 1:
        raise LakehouseError(f"{path}: an example holds exactly one statement, found {len(statements)}.")
    body = statements[0].sql.split("\n", 1)[1] if statements[0].sql.startswith("--") else statements[0].sql
    return Example(first.removeprefix("-- question:").strip(), body.strip(), path)


def load_space(target: Target, root: Path = GENIE_ROOT) -> SpaceDefinition:
    path = root / "space.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LakehouseError(f"cannot read the Genie space definition {path}: {exc}") from exc
    renderer = Renderer(target)
    tables = [renderer.qualified(name) for name in raw.get("tables", [])]
    if not tables:
        raise LakehouseError(f"{path}: tables must list at least one gold table.")
    examples = [read_example(p, target) for p in sorted((root / "examples").glob("*.sql"))]
    return SpaceDefinition(raw.get("description", "").strip(), tables, list(raw.get("instructions", [])), examples)
