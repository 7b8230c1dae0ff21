"""Databricks SQL scripting (stored procedures, compound statements) run locally on DuckDB.

The runner's DuckDB engine sends every statement for which `is_scripting_statement` is true to a
`ScriptingSession` bound to its connection. See docs/sql-scripting.md for the supported subset.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from scripting import ast
from scripting.errors import Condition, ConditionRaised, ScriptError, ScriptSyntaxError
from scripting.interpreter import Argument, Frame, Interpreter, LoadedProcedure, Scope, Variable, _Raised
from scripting.lexer import EOF, QUOTED, STRING, WORD, LexError, tokenize
from scripting.parser import Parser
from scripting.store import ProcedureStore
from scripting.validator import validate_procedure, validate_script

__all__ = ["ScriptError", "ScriptResult", "ScriptingSession", "is_scripting_statement", "benchmark_while_loop"]


@dataclass
class ScriptResult:
    """What a scripting statement returns to its invoker.

    `columns`/`rows` hold the result set of the last query the procedure or block executed. A CALL
    of a procedure that produced no result set but has OUT/INOUT parameters returns one row of
    their final values instead, so a caller without session variables still sees them; they are
    always in `out_params` too.
    """

    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    rowcount: int = -1
    message: str = ""
    out_params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# The first words decide; a statement's start is read alone when it holds them whole.
_HEAD_CHARS = 512


def _head(sql: str) -> list[str]:
    toks: list = []
    if len(sql) > _HEAD_CHARS:
        try:
            toks = tokenize(sql[:_HEAD_CHARS])
        except LexError:
            toks = []  # the cut fell in a string or comment: read the whole statement
    if len(toks) < 8:  # a seventh token before the cut (and EOF) shows the first six are whole
        try:
            toks = tokenize(sql)
        except LexError:
            return []
    words = []
    for tok in toks[:6]:
        if tok.kind == EOF:
            break
        words.append(tok.text.upper() if tok.kind == WORD else tok.text)
    return words


# The first word after leading space and comments, and a colon after it (a label).
_FIRST_WORD = re.compile(r"(?:\s+|--[^\n]*|/\*.*?\*/)*([A-Za-z_]\w*)\s*(:?)", re.S)
_SCRIPTING_FIRST_WORDS = {"CREATE", "DROP", "CALL", "BEGIN", "EXECUTE", "DECLARE", "SET"}
_CREATED_KIND = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?([A-Za-z_]\w*)", re.I)


def is_scripting_statement(sql: str) -> bool:
    """True for statements the interpreter runs instead of DuckDB (see module docstring)."""
    match = _FIRST_WORD.match(sql)
    if match and not match[2]:  # most statements are decided here, without tokenizing
        first = match[1].upper()
        if first not in _SCRIPTING_FIRST_WORDS:
            return False
        if first == "CREATE" and (created := _CREATED_KIND.match(sql, match.start(1))):
            return created[1].upper() == "PROCEDURE"
    words = _head(sql)
    if not words:
        return False
    first = words[0]
    if first == "CREATE":
        rest = words[1:]
        if rest[:2] == ["OR", "REPLACE"]:
            rest = rest[2:]
        return rest[:1] == ["PROCEDURE"]
    if first == "DROP":
        return words[1:2] == ["PROCEDURE"]
    if first == "CALL":
        return True
    if first == "BEGIN":
        # A bare BEGIN / BEGIN TRANSACTION is DuckDB's transaction statement, not a compound.
        return len(words) > 1 and words[1] not in ("TRANSACTION", "WORK", ";")
    if len(words) >= 3 and words[1] == ":" and words[2] == "BEGIN":
        return True
    if first == "EXECUTE":
        return words[1:2] == ["IMMEDIATE"]
    if first == "DECLARE":
        return True  # session variables; DuckDB has no DECLARE
    if first == "SET":
        return words[1:2] in (["VAR"], ["VARIABLE"])
    return False


class ScriptingSession:
    """Runs scripting statements on one DuckDB connection, and keeps its session variables."""

    def __init__(self, conn: duckdb.DuckDBPyConnection):
        self.conn = conn
        self.store = ProcedureStore(conn)
        self.session_scope = Scope(None, label="session")
        self._parsed: dict[str, ast.ProcedureDef] = {}
        self.interpreter = Interpreter(conn, self.session_scope, self._find_procedure, self._nested_scripting)
        # The configured catalog: the only one a three-part procedure name may name.
        self.catalog: str | None = None
        self._user = False

    def use_databricks_dialect(self, statement: Any, expression: Any, catalog: str) -> None:
        """Translate users' statements (dialect package); `execute(..., user=True)` marks them."""
        from dialect import install

        self.interpreter.translators = (statement, expression)
        self.interpreter.install_runtime = install
        self.catalog = catalog

    # -- public API --------------------------------------------------------------------------------
    def execute(
        self,
        sql: str,
        *,
        first_line: int = 1,
        origin: str | None = None,
        user: bool = False,
        params: Sequence[Any] | None = None,
    ) -> ScriptResult:
        """Run one scripting statement. `first_line`/`origin` say where it sits in its file, for messages.

        `user`: the statement is a user's Databricks SQL (`runner exec`): its expressions and statements
        are translated, and a procedure it creates is stored as written in that dialect.
        `params`: values bound to the `?` markers of a CALL, each marker a whole argument."""
        self._user = user and self.interpreter.translators is not None
        self.interpreter.binder.clear()  # tables may have changed since the last statement
        words = _head(sql)
        first = words[0] if words else ""
        offset = first_line - 1
        if first == "CREATE":
            return self._create(sql, offset, origin)
        if first == "DROP":
            return self._drop(sql, offset, origin)
        if first in ("DECLARE", "SET"):
            return self._session_statement(sql, offset, origin)
        if params is not None and first != "CALL":
            raise ScriptError(
                f"{first or 'statement'}: bound values reach only the arguments of a CALL; pass the values as literals"
            )
        if first == "CALL" or first == "EXECUTE":
            return self._single(sql, offset, origin, params)
        return self._script(sql, offset, origin)

    def call(self, name: str, *args: Any, **kwargs: Any) -> ScriptResult:
        """Call a procedure from Python. OUT parameters need no argument; their values are returned."""
        self.interpreter.binder.clear()
        parts = [p.lower() for p in name.split(".")]
        frame = Frame(None)
        try:
            proc = self._find_procedure(parts)
        except LookupError as exc:
            raise ScriptError(str(exc), condition="ROUTINE_NOT_FOUND", sqlstate="42883") from exc
        arguments = [Argument(None, value=v) for v in args] + [Argument(k.lower(), value=v) for k, v in kwargs.items()]
        return self._run_call(frame, proc, arguments, self.session_scope, f"CALL {proc.display}")

    def procedures(self) -> list[str]:
        return self.store.names()

    # -- statements ----------------------------------------------------------------------------------
    def _syntax_error(self, exc: ScriptSyntaxError, what: str, offset: int, origin: str | None) -> ScriptError:
        where = f"{origin}:" if origin else "line "
        return ScriptError(f"{what}: {where}{exc.line + offset}: {exc}", procedure=what, line=exc.line + offset)

    def _create(self, sql: str, offset: int, origin: str | None) -> ScriptResult:
        parser = Parser(sql) if _head(sql) else None
        name_hint = _procedure_name_hint(sql)
        try:
            assert parser is not None
            definition = parser.parse_create_procedure()
            validate_procedure(definition)
        except ScriptSyntaxError as exc:
            raise self._syntax_error(exc, f"CREATE PROCEDURE {name_hint}", offset, origin) from exc
        schema, name = self._qualify(definition.name)
        display = f"{schema}.{name}"
        if not self.store.schema_exists(schema):
            raise ScriptError(
                f"CREATE PROCEDURE {display}: schema {schema} does not exist (SCHEMA_NOT_FOUND)",
                procedure=display,
                sqlstate="3F000",
                condition="SCHEMA_NOT_FOUND",
            )
        existing = self.store.get(schema, name)
        if existing is not None and definition.if_not_exists:
            return ScriptResult(message=f"procedure {display} already exists; left unchanged")
        if existing is not None and not definition.or_replace:
            raise ScriptError(
                f"CREATE PROCEDURE {display}: a procedure of that name already exists "
                "(ROUTINE_ALREADY_EXISTS); use CREATE OR REPLACE",
                procedure=display,
                sqlstate="42723",
                condition="ROUTINE_ALREADY_EXISTS",
            )
        self.store.save(schema, name, definition, definition.body_text, sql, offset, origin, self._dialect)
        self._parsed[sql] = definition
        return ScriptResult(message=f"procedure {display} registered")

    def _drop(self, sql: str, offset: int, origin: str | None) -> ScriptResult:
        try:
            name_parts, if_exists = Parser(sql).parse_drop_procedure()
        except ScriptSyntaxError as exc:
            raise self._syntax_error(exc, "DROP PROCEDURE", offset, origin) from exc
        schema, name = self._qualify(name_parts)
        if not self.store.drop(schema, name) and not if_exists:
            raise ScriptError(
                f"DROP PROCEDURE {schema}.{name}: no such procedure (ROUTINE_NOT_FOUND)",
                procedure=f"{schema}.{name}",
                sqlstate="42883",
                condition="ROUTINE_NOT_FOUND",
            )
        return ScriptResult(message=f"procedure {schema}.{name} dropped")

    def _single(self, sql: str, offset: int, origin: str | None, params: Sequence[Any] | None = None) -> ScriptResult:
        try:
            node = Parser(sql).parse_single()
        except ScriptSyntaxError as exc:
            raise self._syntax_error(exc, _head(sql)[0], offset, origin) from exc
        frame = Frame(None, line_offset=offset, dialect=self._dialect)
        if isinstance(node, ast.CallStmt):
            try:
                proc = self._find_procedure(node.name)
            except LookupError as exc:
                raise ScriptError(str(exc), sqlstate="42883", condition="ROUTINE_NOT_FOUND") from exc
            arguments = _call_arguments(node, params)
            return self._run_call(frame, proc, arguments, self.session_scope, node.describe(), from_sql=True)
        block = ast.Compound(node.line, None, [], [], [node])
        return self._run_block(frame, block, self.session_scope, node.describe())

    def _script(self, sql: str, offset: int, origin: str | None) -> ScriptResult:
        try:
            block = Parser(sql).parse_script()
            if block.label is not None:
                # The reference: "label must not be specified for a top level compound statement"; the
                # parser of the Runtime rejects it as a syntax error.
                raise ScriptSyntaxError(
                    f"[PARSE_SYNTAX_ERROR] the top-level compound statement cannot have a label ({block.label}:); "
                    "remove it",
                    block.line,
                )
            validate_script(block, set(self.session_scope.vars))
        except ScriptSyntaxError as exc:
            raise self._syntax_error(exc, "compound statement", offset, origin) from exc
        frame = Frame(None, line_offset=offset, dialect=self._dialect)
        return self._run_block(frame, block, self.session_scope, "compound statement")

    def run_statement(self, sql: str, *, first_line: int = 1, origin: str | None = None) -> ScriptResult:
        """An ordinary statement of a user's file that may read session variables (`SELECT area, acc`)."""
        self._user = self.interpreter.translators is not None
        self.interpreter.binder.clear()
        word = _head(sql)[0].upper() if _head(sql) else ""
        from scripting.parser import QUERY_KEYWORDS

        node = ast.SqlStmt(1, ast.Sql(sql, 1), word, word in QUERY_KEYWORDS)
        block = ast.Compound(1, None, [], [], [node])
        frame = Frame(None, line_offset=first_line - 1, dialect=self._dialect)
        return self._run_block(frame, block, self.session_scope, node.describe())

    @property
    def _dialect(self) -> str:
        return "databricks" if self._user else "rendered"

    def _session_statement(self, sql: str, offset: int, origin: str | None) -> ScriptResult:
        """DECLARE [OR REPLACE] VARIABLE / SET VAR at the top level: session variables."""
        head = [t for t in _safe_tokens(sql)[:3]]
        replace = len(head) == 3 and head[0].is_word("DECLARE") and head[1].is_word("OR") and head[2].is_word("REPLACE")
        if replace:
            # Blank out OR REPLACE (keeping offsets and lines) and parse an ordinary DECLARE.
            sql = sql[: head[1].start] + " " * (head[2].end - head[1].start) + sql[head[2].end :]
        parser = Parser(sql)
        try:
            node: ast.Node
            if parser.peek().is_word("DECLARE"):
                node = parser.parse_declare()
                if not isinstance(node, ast.VarDecl):
                    raise parser.error("only variables can be declared at the session level")
                parser.accept_op(";")
                if parser.peek().kind != EOF:
                    raise parser.error(f"unexpected {parser.peek().text!r}")
                for name in node.names:
                    if name in self.session_scope.vars and not replace:
                        raise ScriptError(
                            f"session variable {name} already exists (VARIABLE_ALREADY_EXISTS); use DECLARE OR REPLACE",
                            sqlstate="42723",
                        )
            else:
                node = parser.parse_single()
        except ScriptSyntaxError as exc:
            raise self._syntax_error(exc, "session variable", offset, origin) from exc
        frame = Frame(None, line_offset=offset, dialect=self._dialect)
        if isinstance(node, ast.VarDecl):
            try:
                value, type_sql = (
                    (None, node.type_sql)
                    if node.default is None
                    else self.interpreter._value(frame, node.default, self.session_scope, node.type_sql)
                )
            except _Raised as raised:
                raise _script_error(raised.condition, "DECLARE VARIABLE") from None
            for name in node.names:
                self.session_scope.vars[name] = Variable(name, type_sql or "VARCHAR", value)
            return ScriptResult(message=f"session variable {', '.join(node.names)} declared")
        block = ast.Compound(node.line, None, [], [], [node])
        try:
            validate_script(block, set(self.session_scope.vars))
        except ScriptSyntaxError as exc:
            raise self._syntax_error(exc, "SET VAR", offset, origin) from exc
        return self._run_block(frame, block, self.session_scope, node.describe())

    # -- running -----------------------------------------------------------------------------------
    def _run_block(self, frame: Frame, block: ast.Compound, scope: Scope, what: str) -> ScriptResult:
        try:
            self.interpreter.run_block(frame, block, scope)
        except ConditionRaised as exc:
            raise _script_error(exc.condition, what) from None
        return _result(frame)

    def _run_call(
        self,
        frame: Frame,
        proc: LoadedProcedure,
        arguments: list[Argument],
        scope: Scope,
        what: str,
        *,
        from_sql: bool = False,
    ) -> ScriptResult:
        try:
            try:
                callee = self.interpreter.call(frame, proc, arguments, scope, from_sql=from_sql)
            except _Raised as raised:  # argument binding failed, before the body started
                cond = raised.condition
                cond.procedure = cond.procedure or proc.display
                cond.statement = cond.statement or what
                raise ConditionRaised(cond) from None
        except ConditionRaised as exc:
            raise _script_error(exc.condition, what) from None
        result = _result(callee)
        result.out_params = dict(callee_out_params(proc, callee))
        if callee.result is None and result.out_params:
            result.columns = list(result.out_params)
            result.rows = [tuple(result.out_params.values())]
        result.message = result.message or f"{what} completed"
        return result

    def _find_procedure(self, parts: list[str]) -> LoadedProcedure:
        schema, name = self._qualify(parts)
        stored = self.store.get(schema, name)
        if stored is None:
            raise LookupError(f"procedure {schema}.{name} does not exist (ROUTINE_NOT_FOUND)")
        definition = self._parsed.get(stored.source)
        if definition is None:
            definition = Parser(stored.source).parse_create_procedure()
            self._parsed[stored.source] = definition
        return LoadedProcedure(schema, name, definition, stored.line_offset, stored.dialect)

    def _qualify(self, parts: list[str]) -> tuple[str, str]:
        # The local lakehouse is the configured catalog: catalog.schema.name is schema.name there, and any
        # other catalog is an error (it would otherwise reach a procedure of the same name here).
        if len(parts) == 3:
            wanted = (self.catalog or "main").lower()
            if parts[0].lower() != wanted:
                raise ScriptError(
                    f"catalog {parts[0]} in {'.'.join(parts)} is not supported on the local target: its one "
                    f"catalog is {wanted} (the [workspace] catalog of lakehouse.toml)",
                    sqlstate="42704",
                    condition="CATALOG_NOT_FOUND",
                )
        if len(parts) == 1:
            return self.store.current_schema(), parts[0]
        return parts[-2], parts[-1]

    def _nested_scripting(self, sql: str) -> tuple[list[str], list[tuple]] | None:
        result = self.execute(sql)
        return (result.columns, result.rows) if result.columns else None


def callee_out_params(proc: LoadedProcedure, frame: Frame) -> list[tuple[str, Any]]:
    return [(p.name, frame.out_values.get(p.name)) for p in proc.definition.params if p.mode in ("OUT", "INOUT")]


def _result(frame: Frame) -> ScriptResult:
    columns, rows = frame.result if frame.result is not None else ([], [])
    return ScriptResult(list(columns), list(rows), frame.rowcount, "", {}, list(frame.notes))


def _script_error(cond: Condition, what: str) -> ScriptError:
    where = []
    if cond.procedure:
        where.append(f"procedure {cond.procedure}")
    if cond.line is not None:
        where.append(f"line {cond.line}")
    if cond.statement:
        where.append(f"statement {cond.statement!r}")
    location = ", ".join(where)
    message = f"{what} failed: {location}: [{cond.name}] {cond.message} (SQLSTATE {cond.sqlstate})"
    return ScriptError(
        message,
        procedure=cond.procedure,
        line=cond.line,
        statement=cond.statement,
        sqlstate=cond.sqlstate,
        condition=cond.name,
    )


def _procedure_name_hint(sql: str) -> str:
    toks = [t for t in _safe_tokens(sql) if t.kind != EOF]
    for k, tok in enumerate(toks):
        if tok.is_word("PROCEDURE"):
            parts = []
            j = k + 1
            if j + 2 < len(toks) and toks[j].is_word("IF") and toks[j + 1].is_word("NOT"):
                j += 3
            while j < len(toks) and toks[j].kind in (WORD, QUOTED):
                parts.append(toks[j].name)
                if j + 1 < len(toks) and toks[j + 1].is_op("."):
                    j += 2
                else:
                    break
            return ".".join(parts) or "?"
    return "?"


def _safe_tokens(sql: str) -> list:
    try:
        return tokenize(sql)
    except LexError:
        return []


def benchmark_while_loop(iterations: int = 10_000) -> float:
    from scripting.bench import benchmark_while_loop as run

    return run(iterations)


def _call_arguments(node: ast.CallStmt, params: Sequence[Any] | None) -> list[Argument]:
    """The arguments of a CALL; a `?` marker takes the next bound value, in order."""
    values = list(params or [])
    arguments: list[Argument] = []
    for name, expr in node.args:
        text = expr.text.strip()
        if text == "?":
            if not values:
                raise ScriptError(f"{node.describe()}: more ? markers than bound values", sqlstate="07001")
            arguments.append(Argument(name, value=values.pop(0)))
        elif params is not None and "?" in "".join(t.text for t in _safe_tokens(text) if t.kind != STRING):
            raise ScriptError(
                f"{node.describe()}: a bound value must be a whole argument (`name => ?`), not part of {text!r}",
                sqlstate="07001",
            )
        else:
            arguments.append(Argument(name, sql=expr, is_default=text.upper() == "DEFAULT"))
    if values:
        raise ScriptError(f"{node.describe()}: {len(values)} bound value(s) without a ? marker", sqlstate="07001")
    return arguments
