"""Turn variable references in Databricks SQL text into bound DuckDB parameters.

Databricks resolves an identifier to a column first and to a variable only when no column of that
name is in scope (sql-ref-name-resolution). DuckDB's binder decides exactly that for us: the text is
sent as written, and only an identifier that DuckDB reports as an unresolved column, and that names a
visible variable, is replaced by `CAST(? AS <type>)`, one occurrence at a time, at the position
DuckDB reports. Binder errors are raised before anything executes (and do not abort a
transaction), so probing has no side effects. The result is cached per statement, so a loop pays for
the probing once.

Values never enter the SQL text: only `?` placeholders do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from scripting.ast import Sql
from scripting.lexer import QUOTED, WORD, Token, tokenize


@dataclass(frozen=True)
class Ref:
    qualifier: str | None
    name: str

    def __str__(self) -> str:
        return f"{self.qualifier}.{self.name}" if self.qualifier else self.name


class Template:
    """SQL made of fixed text and source slices; only the slices may contain variable references."""

    __slots__ = ("parts", "alias_part", "alias_for", "__weakref__")

    def __init__(
        self, *parts: str | Sql, alias_part: int | None = None, alias_for: Callable[[Ref], str | None] | None = None
    ):
        self.parts = parts
        # References in part `alias_part` for which `alias_for` names a column of the same SELECT
        # are rendered as that column (a lateral alias) instead of a parameter: this is how an
        # assignment and the condition that follows it are evaluated in one query.
        self.alias_part = alias_part
        self.alias_for = alias_for


@dataclass
class _Sub:
    part: int
    start: int
    end: int
    ref: Ref


@dataclass
class Compiled:
    sql: str
    refs: list[Ref]
    subs: list[_Sub]
    # (start in `sql`, end in `sql`, part index, start in that part's source) for copied source text;
    # fixed text and placeholders have no segment, so an error inside them maps to nothing.
    segments: list[tuple[int, int, int, int]]


# Lookup of a reference in the current scope: (DuckDB type, value) or None when not a variable.
Resolver = Callable[[Ref], "tuple[str, Any] | None"]

_UNRESOLVED_COLUMN = re.compile(r'Referenced column "((?:[^"]|"")+)" (?:not found|was not found)')
_UNRESOLVED_TABLE = re.compile(r'Referenced table "((?:[^"]|"")+)" not found')
_NO_SUCH_COLUMN = re.compile(r'Table "((?:[^"]|"")+)" does not have a column named "((?:[^"]|"")+)"')
_LINE = re.compile(r"\nLINE (\d+): (.*)\n( *)\^")
_MAX_PROBES = 500


class Binder:
    def __init__(self) -> None:
        self.last: Compiled | None = None  # what the latest execute() sent, for naming result columns
        self._cache: dict[Template, Compiled] = {}
        self._tokens: dict[str, list[Token]] = {}

    def clear(self) -> None:
        self._cache.clear()

    def execute(
        self,
        conn: duckdb.DuckDBPyConnection,
        template: Template,
        resolve: Resolver,
    ) -> duckdb.DuckDBPyConnection:
        """Run the template on `conn` with variables bound; DuckDB errors other than probing propagate."""
        compiled = self._cache.get(template)
        if compiled is not None:
            params = _values(compiled.refs, resolve)
            if params is not None:
                try:
                    self.last = compiled
                    return conn.execute(compiled.sql, params)
                except duckdb.BinderException:
                    pass  # the schema changed under the cached form: probe again from scratch
            compiled = None
        subs: list[_Sub] = []
        for _ in range(_MAX_PROBES):
            compiled = self._render(template, subs, resolve)
            params = [resolve(ref)[1] for ref in compiled.refs]  # type: ignore[index]
            try:
                self.last = compiled
                cursor = conn.execute(compiled.sql, params)
            except duckdb.BinderException as exc:
                sub = self._locate(template, compiled, subs, exc, resolve)
                if sub is None:
                    raise
                subs.append(sub)
                subs.sort(key=lambda s: (s.part, s.start))
                continue
            self._cache[template] = compiled
            return cursor
        raise RuntimeError("too many variable references in one statement")

    # -- rendering -------------------------------------------------------------------------------
    def _render(self, template: Template, subs: list[_Sub], resolve: Resolver) -> Compiled:
        out: list[str] = []
        refs: list[Ref] = []
        segments: list[tuple[int, int, int, int]] = []
        length = 0

        def emit(text: str, part: int | None = None, source_start: int = 0) -> None:
            nonlocal length
            if part is not None and text:
                segments.append((length, length + len(text), part, source_start))
            out.append(text)
            length += len(text)

        for index, part in enumerate(template.parts):
            if isinstance(part, str):
                emit(part)
                continue
            pos = 0
            for sub in subs:
                if sub.part != index:
                    continue
                emit(part.text[pos : sub.start], index, pos)
                alias = template.alias_for(sub.ref) if template.alias_for and index == template.alias_part else None
                if alias is not None:
                    emit(alias)
                else:
                    emit(f"CAST(? AS {resolve(sub.ref)[0]})")  # type: ignore[index]
                    refs.append(sub.ref)
                pos = sub.end
            emit(part.text[pos:], index, pos)
        return Compiled("".join(out), refs, list(subs), segments)

    @staticmethod
    def _original_position(compiled: Compiled, offset: int) -> tuple[int, int] | None:
        """Map an offset in the rendered SQL back to (part index, offset in that part's source)."""
        for start, end, part, source_start in compiled.segments:
            if start <= offset < end:
                return part, source_start + offset - start
        return None

    def _tokens_of(self, text: str) -> list[Token]:
        toks = self._tokens.get(text)
        if toks is None:
            toks = tokenize(text, backslash_escapes=False)  # the SQL DuckDB runs: no backslash escapes
            self._tokens[text] = toks
        return toks

    # -- probing ---------------------------------------------------------------------------------
    def _locate(
        self, template: Template, compiled: Compiled, subs: list[_Sub], exc: Exception, resolve: Resolver
    ) -> _Sub | None:
        message = str(exc)
        wanted: Ref
        if m := _UNRESOLVED_COLUMN.search(message):
            wanted = Ref(None, m.group(1).replace('""', '"').lower())
        elif m := _NO_SUCH_COLUMN.search(message):
            wanted = Ref(m.group(1).replace('""', '"').lower(), m.group(2).replace('""', '"').lower())
        elif m := _UNRESOLVED_TABLE.search(message):
            wanted = Ref(m.group(1).replace('""', '"').lower(), "")
        else:
            return None
        offset = _error_offset(message, compiled.sql)
        taken = {(s.part, s.start) for s in subs}
        if offset is not None:
            where = self._original_position(compiled, offset)
            if where is not None:
                sub = self._sub_at(template, where[0], where[1], wanted, resolve)
                if sub is not None and (sub.part, sub.start) not in taken:
                    return sub
        # DuckDB's excerpt could not be mapped (unusual characters, very long lines): take the first
        # occurrence not yet replaced. Only reached when the exact position is unknown.
        for index, part in enumerate(template.parts):
            if isinstance(part, str):
                continue
            for tok in self._tokens_of(part.text):
                if (index, tok.start) in taken or tok.kind not in (WORD, QUOTED):
                    continue
                sub = self._sub_at(template, index, tok.start, wanted, resolve)
                if sub is not None:
                    return sub
        return None

    def _sub_at(self, template: Template, index: int, offset: int, wanted: Ref, resolve: Resolver) -> _Sub | None:
        part = template.parts[index]
        assert isinstance(part, Sql)
        toks = self._tokens_of(part.text)
        k = next((k for k, t in enumerate(toks) if t.start == offset), None)
        if k is None:
            return None
        tok = toks[k]
        if tok.kind not in (WORD, QUOTED):
            return None
        prev = toks[k - 1] if k else None
        if wanted.qualifier is None:
            if tok.name != wanted.name or (prev is not None and prev.is_op(".")):
                return None
            if k + 1 < len(toks) and toks[k + 1].is_op("("):
                return None
            ref = Ref(None, wanted.name)
            end = tok.end
        else:
            if tok.name != wanted.qualifier or k + 2 >= len(toks) or not toks[k + 1].is_op("."):
                return None
            field = toks[k + 2]
            if field.kind not in (WORD, QUOTED) or (wanted.name and field.name != wanted.name):
                return None
            ref = Ref(wanted.qualifier, field.name)
            end = field.end
        if resolve(ref) is None:
            return None
        return _Sub(index, tok.start, end, ref)


_PLACEHOLDER_COLUMN = re.compile(r"CAST\(\$(\d+) AS [^()]*(?:\([^()]*\))?[^()]*\)")


def column_names(names: list[str], compiled: Compiled | None) -> list[str]:
    """Name a selected variable after the variable, as Databricks does, not after its placeholder."""
    if compiled is None:
        return names
    out = []
    for name in names:
        m = _PLACEHOLDER_COLUMN.fullmatch(name)
        if m and 0 < int(m.group(1)) <= len(compiled.refs):
            name = compiled.refs[int(m.group(1)) - 1].name
        out.append(name)
    return out


def _values(refs: Sequence[Ref], resolve: Resolver) -> list[Any] | None:
    out = []
    for ref in refs:
        found = resolve(ref)
        if found is None:
            return None
        out.append(found[1])
    return out


def _error_offset(message: str, sql: str) -> int | None:
    """Character offset in `sql` of DuckDB's caret, from the `LINE n: ...` excerpt of its message."""
    m = _LINE.search(message)
    if not m:
        return None
    line_no, excerpt, caret = int(m.group(1)), m.group(2), len(m.group(3))
    prefix = f"LINE {line_no}: "
    lines = sql.split("\n")
    if not 1 <= line_no <= len(lines):
        return None
    line = lines[line_no - 1]
    caret_bytes = caret - len(prefix)
    if caret_bytes < 0:
        return None
    lead = 0
    body = excerpt
    if body.startswith("..."):
        lead, body = 3, body[3:]
    tail = body[:-3] if body.endswith("...") else body
    start = line.find(tail) if tail else 0
    if start < 0:
        return None
    # DuckDB counts the caret in bytes; the excerpt is the same bytes decoded.
    encoded = ("..." if lead else "").encode() + body.encode()
    within = len(encoded[:caret_bytes].decode("utf-8", errors="ignore")) - lead
    if within < 0:
        return None
    return sum(len(x) + 1 for x in lines[: line_no - 1]) + start + within
