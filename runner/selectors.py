"""`--select` and `--exclude` as dbt users write them, over the objects of the SQL project.

A selection is a list of terms separated by spaces or commas; the objects of every term are kept (a
union). A term is

    silver.events       one object (its layer and file name); `events` alone works when it is unique
    silver              every object of a layer (`layer:silver` says the same)
    kind:mv             every object of a kind: schema, volume, streaming_table (st), table, view,
                        mv (materialized view), procedure, rule
    +silver.events      the object and everything it reads through ref(), transitively
    silver.events+      the object and everything that reads it (gold tables, procedures, rules)

A term that matches nothing is an error naming the closest known terms.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from runner.errors import LakehouseError
from runner.splitter import strip_comments

KINDS = ("schema", "volume", "streaming_table", "table", "view", "mv", "procedure", "rule")
KIND_ALIASES = {"st": "streaming_table", "materialized_view": "mv", "test": "rule", "quality": "rule"}
_CREATE = re.compile(
    r"^\s*CREATE\s+(?:OR\s+(?:REPLACE|REFRESH)\s+)?(?:TEMP(?:ORARY)?\s+)?"
    r"(MATERIALIZED\s+VIEW|STREAMING\s+TABLE|VIEW|TABLE|PROCEDURE|FUNCTION|VOLUME|SCHEMA)\b",
    re.IGNORECASE,
)
_KIND_OF_CREATE = {
    "MATERIALIZED VIEW": "mv",
    "STREAMING TABLE": "streaming_table",
    "VIEW": "view",
    "TABLE": "table",
    "PROCEDURE": "procedure",
    "FUNCTION": "procedure",
    "VOLUME": "volume",
    "SCHEMA": "schema",
}


class Selectable(Protocol):
    """What selection needs of a compiled object (runner.project.CompiledObject)."""

    @property
    def key(self) -> str: ...


def kind_of(obj) -> str:
    """The kind of object a SQL file defines, read from what it compiles to."""
    if obj.file.layer == "quality":
        return "rule"
    if obj.materialized_views:
        return "mv"
    if obj.streaming_tables:
        return "streaming_table"
    if obj.file.layer == "procedures":
        return "procedure"
    for statement in obj.deploy:
        match = _CREATE.match(strip_comments(statement.sql))
        if match:
            return _KIND_OF_CREATE[" ".join(match.group(1).upper().split())]
    # The landing volume is a folder on the local target: its file compiles to no statement there.
    return "volume" if not obj.deploy and obj.file.layer == "bronze" else "table"


def split_terms(values: str | Sequence[str] | None) -> list[str]:
    """Terms from `--select a b,c` (argparse gives a list) or one string."""
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    return [term for value in values for term in re.split(r"[\s,]+", value) if term]


class Graph:
    """The objects in execution order and their ref() edges, both ways."""

    def __init__(self, objects: Sequence):
        self.objects = list(objects)
        self.by_key = {obj.key: obj for obj in self.objects}
        self.parents: dict[str, set[str]] = {
            obj.key: {ref for ref in obj.refs if ref in self.by_key and ref != obj.key} for obj in self.objects
        }
        self.children: dict[str, set[str]] = {key: set() for key in self.by_key}
        for key, parents in self.parents.items():
            for parent in parents:
                self.children[parent].add(key)

    def _walk(self, start: Iterable[str], edges: dict[str, set[str]]) -> set[str]:
        seen: set[str] = set()
        todo = list(start)
        while todo:
            key = todo.pop()
            for nxt in edges[key]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    def ancestors(self, keys: Iterable[str]) -> set[str]:
        return self._walk(keys, self.parents)

    def descendants(self, keys: Iterable[str]) -> set[str]:
        return self._walk(keys, self.children)

    def known_terms(self) -> list[str]:
        layers = sorted({obj.file.layer for obj in self.objects})
        names = [obj.key for obj in self.objects] + [obj.file.name for obj in self.objects]
        return layers + [f"kind:{k}" for k in KINDS] + names

    def match(self, term: str) -> set[str]:
        """The keys one term selects; a term that matches nothing raises with the closest known terms."""
        up = term.startswith("+")
        down = term.endswith("+") and len(term) > 1
        core = term[1 if up else 0 : -1 if down else None]
        keys = self._core(core)
        if not keys:
            raise LakehouseError(self._no_match(term, core))
        chosen = set(keys)
        if up:
            chosen |= self.ancestors(keys)
        if down:
            chosen |= self.descendants(keys)
        return chosen

    def _core(self, core: str) -> set[str]:
        method, sep, value = core.partition(":")
        if sep:
            if method == "kind":
                kind = KIND_ALIASES.get(value.lower(), value.lower())
                return {obj.key for obj in self.objects if kind_of(obj) == kind}
            if method == "layer":
                return {obj.key for obj in self.objects if obj.file.layer == value}
            return set()
        layer_members = {obj.key for obj in self.objects if obj.file.layer == core}
        if layer_members:
            return layer_members
        if core in self.by_key:
            return {core}
        return {obj.key for obj in self.objects if obj.file.name == core}

    def _no_match(self, term: str, core: str) -> str:
        close = difflib.get_close_matches(core, self.known_terms(), n=3, cutoff=0.6)
        if not close:
            # A layer-qualified guess compares better against names without their layer.
            close = difflib.get_close_matches(core.rpartition(".")[2], self.known_terms(), n=3, cutoff=0.6)
        hint = (
            f"; did you mean {' or '.join(dict.fromkeys(close))}?"
            if close
            else ("; `lakehouse ls` lists every object, with its layer and kind.")
        )
        return f"{term!r} matches no object, layer or kind{hint}"


def select_objects(
    objects: Sequence,
    select: str | Sequence[str] | None,
    exclude: str | Sequence[str] | None = None,
    *,
    keep_setup: bool = True,
) -> list:
    """The objects a selection keeps, in their original order.

    With keep_setup, objects of the setup layer (the schemas) stay whenever anything is selected: every
    other object needs them, and creating them again changes nothing."""
    terms, excluded = split_terms(select), split_terms(exclude)
    if not terms and not excluded:
        return list(objects)
    graph = Graph(objects)
    chosen: set[str] = set()
    for term in terms:
        chosen |= graph.match(term)
    if not terms:
        chosen = set(graph.by_key)
    for term in excluded:
        chosen -= graph.match(term)
    if not chosen:
        raise LakehouseError("the selection keeps no object once --exclude is applied.")
    return [obj for obj in objects if obj.key in chosen or (keep_setup and obj.file.layer == "setup")]
