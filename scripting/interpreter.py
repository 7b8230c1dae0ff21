"""Executes the scripting AST: control flow in Python, every expression and statement on DuckDB.

Semantics follow the Databricks SQL scripting reference:
- a variable is visible from its DECLARE to the END of its block, inner declarations shadow outer
  ones, and `label.name` / `procedure_name.param` qualify a name;
- a condition handler is looked up where the condition is raised, innermost block first, the most
  specific handler of that block winning (condition name > SQLSTATE > SQLEXCEPTION / NOT FOUND); a
  handler never handles conditions raised in its own body or in the bodies of handlers of its block;
- after an EXIT handler the block that declared it is finished; after a CONTINUE handler execution
  resumes with the statement after the one that raised;
- the result set of the last query statement executed is what the invoker receives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from scripting import ast
from scripting.binding import Binder, Ref, Template, column_names
from scripting.errors import Condition, ConditionRaised, classify, engine_text, untranslated
from scripting.lexer import NUMBER, QUOTED, STRING, WORD, tokenize
from scripting.parser import Sequence
from scripting.parser import _unquote as unquote_string

MAX_CALL_DEPTH = 64  # Databricks: "Procedure calls can be nested up to 64 levels."
_DDL = {"CREATE", "DROP", "ALTER"}
# An expression with none of these words reads no table and no session state, so it gives the same
# answer on a private in-memory DuckDB as on the lakehouse connection (see _run).
_IMPURE_WORDS = {
    "SELECT", "FROM", "WITH", "VALUES", "TABLE", "EXISTS", "CURRENT_SCHEMA", "CURRENT_DATABASE",
    "CURRENT_CATALOG", "CURRENT_SETTING", "GETVARIABLE", "CURRENT_USER", "USER", "SESSION_USER",
    "CURRENT_ROLE", "NEXTVAL", "CURRVAL", "NOW", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME",
    "GET_CURRENT_TIMESTAMP", "GET_CURRENT_TIME", "TODAY", "LOCALTIMESTAMP", "LOCALTIME",
    "TRANSACTION_TIMESTAMP", "CURRENT_QUERY", "RANDOM", "SETSEED", "UUID", "GEN_RANDOM_UUID",
}  # fmt: skip
FUSED_ALIAS = "__scripting_assigned_value"
# SQLSTATE of USER_RAISED_EXCEPTION (what raise_error() and SIGNAL USER_RAISED_EXCEPTION raise).
USER_RAISED_STATE = "P0001"


class Variable:
    __slots__ = ("name", "type_sql", "value", "default")

    def __init__(self, name: str, type_sql: str, value: Any = None, default: ast.Sql | None = None):
        self.name = name
        self.type_sql = type_sql
        self.value = value
        self.default = default  # for SET x = DEFAULT


class Scope:
    """One block's variables and conditions; the chain of parents is the lexical nesting."""

    __slots__ = ("vars", "label", "row_name", "parent", "conditions")

    def __init__(self, parent: Scope | None, label: str | None = None, row_name: str | None = None):
        self.vars: dict[str, Variable] = {}
        self.conditions: dict[str, str] = {}
        self.label = label
        self.row_name = row_name
        self.parent = parent

    def find(self, ref: Ref) -> Variable | None:
        scope: Scope | None = self
        if ref.qualifier is None:
            while scope is not None:
                var = scope.vars.get(ref.name)
                if var is not None:
                    return var
                scope = scope.parent
            return None
        while scope is not None:
            if ref.qualifier in (scope.label, scope.row_name):
                var = scope.vars.get(ref.name)
                if var is not None:
                    return var
            scope = scope.parent
        return None

    def resolve(self, ref: Ref) -> tuple[str, Any] | None:
        var = self.find(ref)
        return None if var is None else (var.type_sql, var.value)

    def condition_state(self, name: str) -> str | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.conditions:
                return scope.conditions[name]
            scope = scope.parent
        return None


@dataclass(eq=False)
class HandlerScope:
    """The handlers of one executing block."""

    scope: Scope
    handlers: list[ast.HandlerDecl]

    def match(self, cond: Condition) -> ast.HandlerDecl | None:
        best, best_rank = None, 0
        for handler in self.handlers:
            rank = 0
            for name in handler.condition_names:
                # A declared condition stands for its SQLSTATE; a system one is matched by its class name.
                declared = self.scope.condition_state(name.lower())
                if cond.name == name or (declared is not None and declared == cond.sqlstate):
                    rank = 3
            if rank < 2 and cond.sqlstate in handler.sqlstates:
                rank = 2
            generic = (handler.sqlexception and cond.is_sqlexception) or (handler.not_found and cond.is_not_found)
            if rank < 1 and generic:
                rank = 1
            if rank > best_rank:
                best, best_rank = handler, rank
        return best


@dataclass
class Frame:
    """One invocation: a procedure call or an anonymous compound statement."""

    procedure: str | None
    line_offset: int = 0
    depth: int = 0
    handlers: list[HandlerScope] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    result: tuple[list[str], list[tuple]] | None = None
    rowcount: int = -1
    notes: list[str] = field(default_factory=list)
    out_values: dict[str, Any] = field(default_factory=dict)
    # The value of the next condition, computed together with the assignment just before it.
    pending: tuple[ast.Sql, bool] | None = None
    # "databricks": a user's code, translated statement by statement (dialect package); "rendered": the
    # project's procedures, already rendered for DuckDB by the macros.
    dialect: str = "rendered"


class _Raised(Exception):
    """A condition raised directly by the statement being executed; its handler is not chosen yet."""

    def __init__(self, condition: Condition):
        self.condition = condition


class _Leave(Exception):
    def __init__(self, label: str):
        self.label = label


class _Iterate(Exception):
    def __init__(self, label: str):
        self.label = label


class _ExitBlock(Exception):
    def __init__(self, target: HandlerScope):
        self.target = target


@dataclass
class Argument:
    """An argument of a call: a bound Python value, a SQL expression, or the DEFAULT keyword."""

    name: str | None
    sql: ast.Sql | None = None
    value: Any = None
    is_default: bool = False


@dataclass
class LoadedProcedure:
    schema: str
    name: str
    definition: ast.ProcedureDef
    line_offset: int = 0
    dialect: str = "rendered"

    @property
    def display(self) -> str:
        return f"{self.schema}.{self.name}"


class Interpreter:
    def __init__(
        self,
        conn: duckdb.DuckDBPyConnection,
        session_scope: Scope,
        find_procedure: Callable[[list[str]], LoadedProcedure],
        run_scripting_sql: Callable[[str], tuple[list[str], list[tuple]] | None],
    ):
        self.conn = conn
        self.session_scope = session_scope
        self.binder = Binder()
        self.find_procedure = find_procedure
        self.run_scripting_sql = run_scripting_sql
        self._templates: dict[tuple, Template] = {}
        self._pure: dict[Template, bool] = {}
        self._fast: duckdb.DuckDBPyConnection | None = None
        self._successors: dict[ast.SetStmt, ast.Sql] = {}
        self._analysed: set[int] = set()
        # Set by ScriptingSession.use_databricks_dialect: (statement, expression) translators taking the
        # Databricks text and the visible variables' types.
        self.translators: tuple[Callable[..., str], Callable[..., str]] | None = None
        self.install_runtime: Callable[[duckdb.DuckDBPyConnection], None] | None = None
        self._dispatch: dict[type, Callable[[Frame, Any, Scope], None]] = {
            ast.Compound: self._compound,
            ast.SetStmt: self._set,
            Sequence: self._sequence,
            ast.IfStmt: self._if,
            ast.CaseStmt: self._case,
            ast.WhileStmt: self._while,
            ast.RepeatStmt: self._repeat,
            ast.LoopStmt: self._loop,
            ast.ForStmt: self._for,
            ast.LeaveStmt: self._leave,
            ast.IterateStmt: self._iterate,
            ast.SignalStmt: self._signal,
            ast.ResignalStmt: self._resignal,
            ast.GetDiagnosticsStmt: self._get_diagnostics,
            ast.ExecuteImmediateStmt: self._execute_immediate,
            ast.CallStmt: self._call_stmt,
            ast.SqlStmt: self._sql,
        }

    # -- entry points ------------------------------------------------------------------------------
    def sync_settings(self) -> None:
        """Give the private expression connection the lakehouse connection's time zone."""
        if self._fast is None:
            return
        row = self.conn.execute("SELECT current_setting('TimeZone')").fetchone()
        if row and row[0]:
            zone = str(row[0]).replace("'", "''")
            self._fast.execute(f"SET TimeZone = '{zone}'")

    def run_block(self, frame: Frame, block: ast.Compound, scope: Scope) -> None:
        if id(block) not in self._analysed:
            self._analysed.add(id(block))
            _successors([block], None, self._successors)
        try:
            self.exec(frame, block, scope)
        except _Leave as exc:  # pragma: no cover - the validator rejects unknown labels
            raise RuntimeError(f"LEAVE {exc.label} escaped its block") from exc

    def call(
        self, caller: Frame, proc: LoadedProcedure, args: list[Argument], caller_scope: Scope, *, from_sql: bool = False
    ) -> Frame:
        """Run a procedure; OUT/INOUT variables of the caller are updated only on success."""
        if caller.depth + 1 > MAX_CALL_DEPTH:
            raise _Raised(
                Condition(
                    "54000",
                    f"procedure calls nest deeper than {MAX_CALL_DEPTH} levels",
                    "ROUTINE_CALL_NESTING_TOO_DEEP",
                )
            )
        definition = proc.definition
        scope = Scope(self.session_scope, label=proc.name)
        bound = self._bind_arguments(caller, proc, args, caller_scope, from_sql=from_sql)
        for param, value in zip(definition.params, bound, strict=False):
            scope.vars[param.name] = Variable(param.name, param.type_sql, value[0])
        frame = Frame(proc.display, line_offset=proc.line_offset, depth=caller.depth + 1, dialect=proc.dialect)
        self.run_block(frame, definition.body, scope)
        frame.out_values = {p.name: scope.vars[p.name].value for p in definition.params if p.mode != "IN"}
        for param, value in zip(definition.params, bound, strict=False):
            target = value[1]
            if target is not None:
                out = scope.vars[param.name]
                target.value = self._coerce(caller, out.value, out.type_sql, target.type_sql)
        return frame

    # -- statements ---------------------------------------------------------------------------------
    def exec(self, frame: Frame, node: ast.Node, scope: Scope) -> None:
        try:
            self._dispatch[type(node)](frame, node, scope)
        except _Raised as raised:
            cond = raised.condition
            if cond.line is None:
                cond.line = node.line + frame.line_offset
                cond.statement = node.describe()
                cond.procedure = frame.procedure
            self._handle(frame, cond)

    def _block(self, frame: Frame, body: list[ast.Node], scope: Scope) -> None:
        for node in body:
            self.exec(frame, node, scope)

    def _handle(self, frame: Frame, cond: Condition) -> None:
        if cond.caught_by_no_handler:
            raise ConditionRaised(cond)
        handler = None
        index = len(frame.handlers) - 1
        while index >= 0:
            handler = frame.handlers[index].match(cond)
            if handler is not None:
                break
            index -= 1
        if handler is None:
            raise ConditionRaised(cond)
        owner = frame.handlers[index]
        saved = frame.handlers
        # Neither this block's handlers nor inner ones may handle what the handler body raises.
        frame.handlers = saved[:index]
        frame.conditions.append(cond)
        try:
            self.exec(frame, handler.action, owner.scope)
        finally:
            frame.handlers = saved
            frame.conditions.pop()
        if handler.kind == "EXIT":
            raise _ExitBlock(owner)

    def _compound(self, frame: Frame, node: ast.Compound, scope: Scope) -> None:
        inner = Scope(scope, label=node.label)
        for decl in node.declarations:
            if isinstance(decl, ast.ConditionDecl):
                inner.conditions[decl.name] = decl.sqlstate
                continue
            try:
                if decl.default is None:
                    value, type_sql = None, decl.type_sql
                else:
                    value, type_sql = self._value(frame, decl.default, inner, decl.type_sql)
            except _Raised as raised:
                raised.condition.line = decl.line + frame.line_offset
                raised.condition.statement = f"DECLARE {', '.join(decl.names)}"
                raised.condition.procedure = frame.procedure
                raise
            for name in decl.names:
                inner.vars[name] = Variable(name, type_sql or "VARCHAR", value, decl.default)
        depth = len(frame.handlers)
        owner = HandlerScope(inner, node.handlers)
        if node.handlers:
            frame.handlers.append(owner)
        try:
            for stmt in node.body:
                self.exec(frame, stmt, inner)
        except _ExitBlock as exc:
            if exc.target is not owner:
                raise
        except _Leave as exc:
            if exc.label != node.label:
                raise
        finally:
            del frame.handlers[depth:]

    def _set(self, frame: Frame, node: ast.SetStmt, scope: Scope) -> None:
        targets = [self._target(scope, name) for name in node.targets]
        if not node.is_row:
            target = targets[0]
            following = self._successors.get(node)
            if following is not None and self._fused_set(frame, node, following, target, scope):
                return
            target.value = self._assigned_value(frame, node.value, target, scope)
            return
        cursor = self._run(frame, ("row", node.value), lambda: Template("SELECT * FROM ", node.value, " AS _q"), scope)
        rows = cursor.fetchmany(2)
        if len(cursor.description or ()) != len(targets):
            raise _Raised(
                Condition(
                    "21000",
                    f"the query returns {len(cursor.description or ())} columns for {len(targets)} variables",
                    "ASSIGNMENT_ARITY_MISMATCH",
                )
            )
        if len(rows) > 1:
            raise _Raised(
                Condition("21000", "the query of SET returned more than one row", "ROW_SUBQUERY_TOO_MANY_ROWS")
            )
        values = rows[0] if rows else (None,) * len(targets)
        types = [str(d[1]) for d in cursor.description]
        for target, value, type_sql in zip(targets, values, types, strict=False):
            target.value = self._coerce(frame, value, type_sql, target.type_sql)

    def _fused_set(self, frame: Frame, node: ast.SetStmt, following: ast.Sql, target: Variable, scope: Scope) -> bool:
        """Assign and evaluate the next condition in one query; False to fall back to one at a time."""
        key = ("fused", node, following, target.type_sql)
        template = self._templates.get(key)
        if template is None:
            stored = self._stored(frame, node.value, target.type_sql)
            template = self._templates[key] = self._dialect_template(frame, Template(
                "SELECT ", *stored, f' AS "{FUSED_ALIAS}", CAST((', following, ") AS BOOLEAN)",
                alias_part=len(stored) + 2,
                alias_for=lambda ref: f'"{FUSED_ALIAS}"' if scope.find(ref) is target else None,
            ), scope)  # fmt: skip
        if not self._is_pure(template) or node.value.text.strip().upper() == "DEFAULT":
            return False
        frame.pending = None
        try:
            row = self.binder.execute(self._fast_conn(), template, scope.resolve).fetchone()
        except duckdb.Error:
            return False  # let the statements fail one at a time, with their own lines
        target.value = row[0]  # type: ignore[index]
        frame.pending = (following, row[1] is True)  # type: ignore[index]
        return True

    def _sequence(self, frame: Frame, node: Sequence, scope: Scope) -> None:
        # SET VAR a = ..., b = ... evaluates every expression before assigning any, as one query would.
        targets = [self._target(scope, stmt.targets[0]) for stmt in node.statements]
        values = [
            self._assigned_value(frame, stmt.value, target, scope)
            for stmt, target in zip(node.statements, targets, strict=True)
        ]
        for target, value in zip(targets, values, strict=True):
            target.value = value

    def _assigned_value(self, frame: Frame, expr: ast.Sql, target: Variable, scope: Scope) -> Any:
        keyword = expr.text.strip().upper()
        if keyword == "NULL":
            return None  # NULL cast to any type is NULL: no query needed (procedures reset their variables a lot)
        if keyword == "DEFAULT":
            if target.default is None:
                return None
            return self._value(frame, target.default, scope, target.type_sql)[0]
        return self._value(frame, expr, scope, target.type_sql)[0]

    def _if(self, frame: Frame, node: ast.IfStmt, scope: Scope) -> None:
        if len(node.branches) == 1:
            if self._condition(frame, node.branches[0][0], scope):
                self._block(frame, node.branches[0][1], scope)
            elif node.else_body is not None:
                self._block(frame, node.else_body, scope)
            return

        def build() -> Template:
            parts: list[str | ast.Sql] = ["SELECT CASE"]
            for number, (cond, _) in enumerate(node.branches, 1):
                parts += [" WHEN (", cond, f") THEN {number}"]
            parts.append(" ELSE 0 END")
            return Template(*parts)

        choice = _scalar(self._run(frame, ("if", node), build, scope, True))
        if choice:
            self._block(frame, node.branches[choice - 1][1], scope)
        elif node.else_body is not None:
            self._block(frame, node.else_body, scope)

    def _case(self, frame: Frame, node: ast.CaseStmt, scope: Scope) -> None:
        def build() -> Template:
            parts: list[str | ast.Sql] = ["SELECT CASE"]
            if node.operand is not None:
                parts += [" (", node.operand, ")"]
            for number, (value, _) in enumerate(node.whens, 1):
                parts += [" WHEN (", value, f") THEN {number}"]
            parts.append(" ELSE 0 END")
            return Template(*parts)

        choice = _scalar(self._run(frame, ("case", node), build, scope, True))
        if choice:
            self._block(frame, node.whens[choice - 1][1], scope)
        elif node.else_body is not None:
            self._block(frame, node.else_body, scope)
        # No match and no ELSE runs nothing, as Spark's implementation does (the SQL standard would
        # raise CASE_NOT_FOUND; the Databricks reference does not say).

    def _loop_body(self, frame: Frame, label: str | None, body: list[ast.Node], scope: Scope) -> bool:
        """Run one iteration; False when the loop was left."""
        try:
            for stmt in body:
                self.exec(frame, stmt, scope)
        except _Iterate as exc:
            if exc.label != label:
                raise
        except _Leave as exc:
            if exc.label != label:
                raise
            return False
        return True

    def _while(self, frame: Frame, node: ast.WhileStmt, scope: Scope) -> None:
        while self._condition(frame, node.condition, scope):
            if not self._loop_body(frame, node.label, node.body, scope):
                return

    def _repeat(self, frame: Frame, node: ast.RepeatStmt, scope: Scope) -> None:
        while True:
            if not self._loop_body(frame, node.label, node.body, scope):
                return
            if self._condition(frame, node.until, scope):
                return

    def _loop(self, frame: Frame, node: ast.LoopStmt, scope: Scope) -> None:
        while self._loop_body(frame, node.label, node.body, scope):
            pass

    def _for(self, frame: Frame, node: ast.ForStmt, scope: Scope) -> None:
        cursor = self._run(frame, ("for", node), lambda: Template("", node.query), scope)
        # The query is read completely first, so the loop body may change the tables it reads.
        rows = cursor.fetchall()
        columns = [(d[0].lower(), str(d[1])) for d in cursor.description or ()]
        for row in rows:
            inner = Scope(scope, row_name=node.row_name)
            for (name, type_sql), value in zip(columns, row, strict=False):
                inner.vars[name] = Variable(name, type_sql, value)
            if not self._loop_body(frame, node.label, node.body, inner):
                return

    def _leave(self, frame: Frame, node: ast.LeaveStmt, scope: Scope) -> None:
        raise _Leave(node.label)

    def _iterate(self, frame: Frame, node: ast.IterateStmt, scope: Scope) -> None:
        raise _Iterate(node.label)

    def _signal(self, frame: Frame, node: ast.SignalStmt, scope: Scope) -> None:
        if node.sqlstate is not None:
            state, name = node.sqlstate, "USER_RAISED_EXCEPTION"
        else:
            assert node.condition_name is not None
            name = node.condition_name
            declared = scope.condition_state(name.lower())
            state = declared or (USER_RAISED_STATE if name == "USER_RAISED_EXCEPTION" else "45000")
        message = None
        if node.message is not None and node.item == "MESSAGE_ARGUMENTS":
            arguments = self._message_arguments(frame, node.message, scope)
            if name == "USER_RAISED_EXCEPTION" and set(arguments) != {"errorMessage"}:
                given = ", ".join(f"`{key}`" for key in sorted(arguments)) or "none"
                raise _Raised(
                    Condition(
                        USER_RAISED_STATE,
                        "USER_RAISED_EXCEPTION expects the parameter `errorMessage`; MESSAGE_ARGUMENTS gives " + given,
                        "USER_RAISED_EXCEPTION_PARAMETER_MISMATCH",
                    )
                )
            message = arguments.get("errorMessage")
            if message is None and "errorMessage" in arguments:
                message = "null"
        elif node.message is not None:
            message, _ = self._value(frame, node.message, scope, "VARCHAR")
        if message is None:
            message = f"Unhandled exception with SQLSTATE {state}" if node.sqlstate else name
        raise _Raised(Condition(state, message, name))

    def _message_arguments(self, frame: Frame, expr: ast.Sql, scope: Scope) -> dict[str, str | None]:
        """The MAP<STRING, STRING> of SIGNAL ... SET MESSAGE_ARGUMENTS: a map(k, v, ...) call (each value
        evaluated here, since DuckDB's map() takes lists) or any expression of a MAP type (a variable)."""
        tokens = tokenize(expr.text)[:-1]
        if len(tokens) >= 3 and tokens[0].upper == "MAP" and tokens[1].text == "(" and tokens[-1].text == ")":
            inner = expr.text[tokens[1].end : tokens[-1].start]
            arguments = _split_arguments(inner)
            if arguments is not None and len(arguments) % 2 == 0:
                result: dict[str, str | None] = {}
                for key_text, value_text in zip(arguments[::2], arguments[1::2], strict=True):
                    key_tokens = tokenize(key_text)[:-1]
                    if len(key_tokens) != 1 or key_tokens[0].kind != STRING:
                        what = f"MESSAGE_ARGUMENTS: a key must be a string literal, not {key_text.strip()!r}"
                        raise _Raised(Condition("42K09", what, "DATATYPE_MISMATCH"))
                    value, _ = self._value(frame, ast.Sql(value_text, expr.line), scope, "VARCHAR")
                    result[unquote_string(key_tokens[0].text)] = value
                return result
        value, type_sql = self._value(frame, expr, scope, None)
        if not isinstance(value, dict):
            what = f"MESSAGE_ARGUMENTS must be a MAP<STRING, STRING>, not {type_sql}"
            raise _Raised(Condition("42K09", what, "DATATYPE_MISMATCH"))
        return {str(k): None if v is None else str(v) for k, v in value.items()}

    def _resignal(self, frame: Frame, node: ast.ResignalStmt, scope: Scope) -> None:
        if not frame.conditions:
            raise _Raised(Condition("0K000", "RESIGNAL outside a condition handler", "RESIGNAL_WITHOUT_HANDLER"))
        raise _Raised(frame.conditions[-1])

    def _get_diagnostics(self, frame: Frame, node: ast.GetDiagnosticsStmt, scope: Scope) -> None:
        if not frame.conditions:
            raise _Raised(
                Condition("0Z002", "GET DIAGNOSTICS outside a condition handler", "INVALID_HANDLER_DECLARATION")
            )
        cond = frame.conditions[-1]
        items = {
            "MESSAGE_TEXT": (cond.message, "VARCHAR"),
            "RETURNED_SQLSTATE": (cond.sqlstate, "VARCHAR"),
            "CONDITION_IDENTIFIER": (cond.name, "VARCHAR"),
            "LINE_NUMBER": (cond.line, "INTEGER"),
            "MESSAGE_ARGUMENTS": ({"MESSAGE_TEXT": cond.message}, "MAP(VARCHAR, VARCHAR)"),
        }
        for name, item in node.assignments:
            target = self._target(scope, name)
            value, type_sql = items[item]
            target.value = self._coerce(frame, value, type_sql, target.type_sql)

    def _execute_immediate(self, frame: Frame, node: ast.ExecuteImmediateStmt, scope: Scope) -> None:
        text, _ = self._value(frame, node.sql_string, scope, "VARCHAR")
        if text is None:
            raise _Raised(Condition("22004", "the SQL string of EXECUTE IMMEDIATE is NULL", "NULL_QUERY_STRING"))
        positional: list[Any] = []
        named: dict[str, Any] = {}
        for expr, alias in node.using:
            value, _ = self._value(frame, expr, scope, None)
            positional.append(value)
            name = alias or _bare_name(expr)
            if name is not None:
                named[name] = value
        from scripting import is_scripting_statement

        if frame.dialect == "databricks" and self.translators is not None and not is_scripting_statement(text):
            from dialect import NotSupportedLocally

            try:
                text = self.translators[0](text, {})
            except NotSupportedLocally as exc:
                raise _Raised(untranslated(exc)) from exc
        sql, kind = _duckdb_markers(text)
        if is_scripting_statement(sql):
            if node.using:
                raise _Raised(
                    Condition(
                        "0A000",
                        "USING is not supported when EXECUTE IMMEDIATE runs a scripting statement",
                        "UNSUPPORTED_FEATURE",
                    )
                )
            result = self.run_scripting_sql(sql)
            if result is not None:
                frame.result = result
            return
        params: Any = None
        if kind == "positional":
            params = positional
        elif kind == "named":
            params = {}
            for marker in _marker_names(sql):
                if marker.lower() not in named:
                    raise _Raised(
                        Condition(
                            "42P02", f"no USING value for the parameter marker :{marker}", "UNBOUND_SQL_PARAMETER"
                        )
                    )
                params[marker] = named[marker.lower()]
        try:
            cursor = self.conn.execute(sql, params)
        except duckdb.Error as exc:
            raise _Raised(self._from_duckdb(exc)) from exc
        keyword = _first_word(sql)
        is_query = keyword in {"SELECT", "WITH", "VALUES", "FROM", "TABLE", "(", "DESCRIBE", "SHOW"}
        if node.into:
            if not is_query:
                raise _Raised(
                    Condition("07501", "EXECUTE IMMEDIATE ... INTO needs a query", "INVALID_STATEMENT_FOR_EXECUTE_INTO")
                )
            rows = cursor.fetchmany(2)
            if len(rows) > 1:
                raise _Raised(
                    Condition(
                        "21000",
                        "the query of EXECUTE IMMEDIATE ... INTO returned more than one row",
                        "ROW_SUBQUERY_TOO_MANY_ROWS",
                    )
                )
            desc = cursor.description or ()
            if len(desc) != len(node.into):
                raise _Raised(
                    Condition(
                        "21000",
                        f"the query returns {len(desc)} columns for {len(node.into)} variables",
                        "ASSIGNMENT_ARITY_MISMATCH",
                    )
                )
            values = rows[0] if rows else (None,) * len(desc)
            for into, value, d in zip(node.into, values, desc, strict=False):
                target = self._target(scope, into)
                target.value = self._coerce(frame, value, str(d[1]), target.type_sql)
        elif is_query:
            frame.result = ([d[0] for d in cursor.description or ()], cursor.fetchall())
        else:
            self._consume(frame, cursor)
            if keyword in _DDL:
                self.binder.clear()

    def _call_stmt(self, frame: Frame, node: ast.CallStmt, scope: Scope) -> None:
        try:
            proc = self.find_procedure(node.name)
        except LookupError as exc:
            raise _Raised(Condition("42883", str(exc), "ROUTINE_NOT_FOUND")) from exc
        args = [Argument(name, sql=expr, is_default=_is_default(expr)) for name, expr in node.args]
        try:
            callee = self.call(frame, proc, args, scope, from_sql=True)
        except ConditionRaised as exc:
            raise _Raised(exc.condition) from exc
        frame.notes.extend(callee.notes)
        if callee.result is not None:
            frame.result = callee.result

    def _sql(self, frame: Frame, node: ast.SqlStmt, scope: Scope) -> None:
        from scripting.parser import NOOP_KEYWORDS

        if node.keyword in NOOP_KEYWORDS:
            frame.notes.append(f"skipped on the local target (no DuckDB meaning): {node.sql.summary()}")
            return
        cursor = self._run(frame, ("sql", node), lambda: Template("", node.sql), scope)
        if node.is_query:
            names = column_names([d[0] for d in cursor.description or ()], self.binder.last)
            try:
                frame.result = (names, cursor.fetchall())
            except duckdb.Error as exc:
                raise _Raised(self._from_duckdb(exc)) from exc
        else:
            self._consume(frame, cursor)
            if node.keyword in _DDL:
                self.binder.clear()

    # -- evaluation ----------------------------------------------------------------------------------
    def _run(
        self, frame: Frame, key: tuple, build: Callable[[], Template], scope: Scope, expression: bool = False
    ) -> duckdb.DuckDBPyConnection:
        frame.pending = None
        template = self._templates.get(key)
        if template is None:
            template = self._templates[key] = self._dialect_template(frame, build(), scope)
        if expression and self._is_pure(template):
            # A scalar expression over variables needs no table: a private single-threaded DuckDB
            # answers it in about half the time of the shared connection. Any failure is retried
            # on the shared connection, whose answer (or error) is authoritative.
            try:
                return self.binder.execute(self._fast_conn(), template, scope.resolve)
            except duckdb.Error:
                pass
        try:
            return self.binder.execute(self.conn, template, scope.resolve)
        except duckdb.Error as exc:
            raise _Raised(self._from_duckdb(exc)) from exc

    def _is_pure(self, template: Template) -> bool:
        pure = self._pure.get(template)
        if pure is None:
            pure = all(
                isinstance(part, str)
                or not any(
                    t.kind == WORD and t.text.upper() in _IMPURE_WORDS
                    for t in tokenize(part.text, backslash_escapes=False)  # translated: DuckDB SQL
                )
                for part in template.parts
            )
            self._pure[template] = pure
        return pure

    def _fast_conn(self) -> duckdb.DuckDBPyConnection:
        if self._fast is None:
            self._fast = duckdb.connect(":memory:", config={"threads": 1})
            self._fast.execute("PRAGMA disable_optimizer")
            if self.install_runtime is not None:
                self.install_runtime(self._fast)
            self.sync_settings()
        return self._fast

    # -- users' Databricks SQL -------------------------------------------------------------------------
    def _dialect_template(self, frame: Frame, template: Template, scope: Scope) -> Template:
        """A user's Databricks text in `template`, translated to DuckDB; the project's SQL as it is."""
        if frame.dialect != "databricks" or self.translators is None:
            return template
        variables = _visible_types(scope)
        parts = [part if isinstance(part, str) else self._translate_part(part, variables) for part in template.parts]
        return Template(*parts, alias_part=template.alias_part, alias_for=template.alias_for)

    def _translate_part(self, part: ast.Sql, variables: dict[str, str]) -> ast.Sql:
        from dialect import NotSupportedLocally

        assert self.translators is not None
        statement, expression = self.translators
        word = _first_word(part.text)
        try:
            text = statement(part.text, variables) if word in _STATEMENT_WORDS else expression(part.text, variables)
        except NotSupportedLocally as exc:
            raise _Raised(untranslated(exc)) from exc
        return ast.Sql(text, part.line)

    def _stored(self, frame: Frame, expr: ast.Sql, type_sql: str) -> tuple[str | ast.Sql, ...]:
        """Template parts for `expr` as a variable of `type_sql` stores it.

        A user's script stores as Databricks' CAST does (a STRING written as Databricks writes the value,
        1.0E20 and not 1e+20; a DECIMAL rounded from the DOUBLE's shortest text; 'no ' a BOOLEAN), so
        the CAST is written in Databricks SQL and translated with the expression. The project's SQL, and
        types with no Databricks name here, use DuckDB's CAST."""
        databricks_type = _databricks_type(type_sql) if frame.dialect == "databricks" else None
        if databricks_type is None:
            return "CAST((", expr, f") AS {type_sql})"
        return (ast.Sql(f"CAST(({expr.text}\n) AS {databricks_type})", expr.line),)

    def _value(self, frame: Frame, expr: ast.Sql, scope: Scope, type_sql: str | None) -> tuple[Any, str]:
        """Evaluate an expression, cast to `type_sql` as a store assignment would (or its own type)."""
        if type_sql is None:
            cursor = self._run(frame, ("value", expr, None), lambda: Template("SELECT (", expr, ")"), scope, True)
        else:
            stored = self._stored(frame, expr, type_sql)
            cursor = self._run(frame, ("value", expr, type_sql), lambda: Template("SELECT ", *stored), scope, True)
        try:
            row = cursor.fetchone()
        except duckdb.Error as exc:
            raise _Raised(self._from_duckdb(exc)) from exc
        return row[0], type_sql or str(cursor.description[0][1])  # type: ignore[index]

    def _condition(self, frame: Frame, expr: ast.Sql, scope: Scope) -> bool:
        pending = frame.pending
        if pending is not None and pending[0] is expr:
            frame.pending = None
            return pending[1]
        cursor = self._run(frame, ("cond", expr), lambda: Template("SELECT CAST((", expr, ") AS BOOLEAN)"), scope, True)
        try:
            return _scalar(cursor) is True
        except duckdb.Error as exc:
            raise _Raised(self._from_duckdb(exc)) from exc

    def _coerce(self, frame: Frame, value: Any, from_type: str, to_type: str) -> Any:
        """A value of `from_type` (a query's column, another variable) stored into a `to_type` variable."""
        if value is None or from_type == to_type:
            return value
        if frame.dialect == "databricks" and _databricks_type(from_type) and _databricks_type(to_type):
            # Stored through the same translated CAST as an expression, reading the value as a variable.
            scope = Scope(None)
            scope.vars[_COERCED.text] = Variable(_COERCED.text, from_type, value)
            stored = self._stored(frame, _COERCED, to_type)
            cursor = self._run(frame, ("coerce", from_type, to_type), lambda: Template("SELECT ", *stored), scope, True)
            try:
                return _scalar(cursor)
            except duckdb.Error as exc:
                raise _Raised(self._from_duckdb(exc)) from exc
        try:
            return _scalar(self.conn.execute(f"SELECT CAST(CAST(? AS {from_type}) AS {to_type})", [value]))
        except duckdb.Error as exc:
            raise _Raised(self._from_duckdb(exc)) from exc

    def _consume(self, frame: Frame, cursor: duckdb.DuckDBPyConnection) -> None:
        try:
            rows = cursor.fetchall() if cursor.description else []
        except duckdb.Error as exc:
            raise _Raised(self._from_duckdb(exc)) from exc
        # DuckDB answers DML with one row holding the number of rows changed.
        frame.rowcount = rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 and isinstance(rows[0][0], int) else -1

    def _target(self, scope: Scope, name: ast.VarName) -> Variable:
        var = scope.find(Ref(name.qualifier, name.name))
        if var is None:
            raise _Raised(Condition("42883", f"variable {name} is not declared", "UNRESOLVED_VARIABLE"))
        return var

    @staticmethod
    def _from_duckdb(exc: BaseException) -> Condition:
        if isinstance(exc, duckdb.InterruptException):
            # A cancelled statement ends the whole script: it is no condition for a handler to catch.
            raise exc
        state, name = classify(exc)
        text = engine_text(exc)
        return Condition(state, text, name, engine_message=text)

    def _bind_arguments(
        self, caller: Frame, proc: LoadedProcedure, args: list[Argument], caller_scope: Scope, *, from_sql: bool = False
    ) -> list[tuple[Any, Variable | None]]:
        params = proc.definition.params
        by_name: dict[str, Argument] = {}
        positional = [a for a in args if a.name is None]
        if any(a.name is not None for a in args[: len(positional)]) and positional:
            first_named = next(i for i, a in enumerate(args) if a.name is not None)
            if any(a.name is None for a in args[first_named:]):
                raise _Raised(
                    Condition(
                        "4274K",
                        "positional arguments must come before named arguments",
                        "UNEXPECTED_POSITIONAL_ARGUMENT",
                    )
                )
        if len(positional) > len(params):
            raise _Raised(
                Condition(
                    "42605", f"{proc.display} takes {len(params)} arguments, {len(positional)} given", "WRONG_NUM_ARGS"
                )
            )
        for param, arg in zip(params, positional, strict=False):
            by_name[param.name] = arg
        names = {p.name for p in params}
        for arg in args:
            if arg.name is None:
                continue
            if arg.name not in names:
                raise _Raised(
                    Condition(
                        "4274K", f"{proc.display} has no parameter named {arg.name}", "UNRECOGNIZED_PARAMETER_NAME"
                    )
                )
            if arg.name in by_name:
                raise _Raised(
                    Condition(
                        "4274K",
                        f"parameter {arg.name} of {proc.display} is given twice",
                        "DUPLICATE_ROUTINE_PARAMETER_ASSIGNMENT",
                    )
                )
            by_name[arg.name] = arg
        bound: list[tuple[Any, Variable | None]] = []
        for param in params:
            passed = by_name.get(param.name)
            target: Variable | None = None
            if (
                passed is not None
                and param.mode in ("OUT", "INOUT")
                and passed.sql is not None
                and not passed.is_default
            ):
                ref = _variable_ref(passed.sql)
                target = caller_scope.find(ref) if ref is not None else None
                if target is None:
                    raise _Raised(
                        Condition(
                            "42000",
                            f"the argument for {param.mode} parameter {param.name} of "
                            f"{proc.display} must be a variable, not {passed.sql.text!r}",
                            "INVALID_ARGUMENT_FOR_OUT_PARAMETER",
                        )
                    )
            if from_sql and passed is None and param.default is None and param.mode != "IN":
                # Databricks: a CALL may omit only the arguments of parameters that have a DEFAULT.
                raise _Raised(
                    Condition(
                        "42605",
                        f"{proc.display}: no argument for {param.mode} parameter {param.name}, which has no DEFAULT",
                        "REQUIRED_PARAMETER_NOT_FOUND",
                    )
                )
            if param.mode == "OUT":
                value = None
            elif passed is None or passed.is_default:
                if param.default is None:
                    if passed is not None or param.mode == "INOUT":
                        value = None
                    else:
                        raise _Raised(
                            Condition(
                                "42605",
                                f"{proc.display}: no value for parameter {param.name}, which has no DEFAULT",
                                "REQUIRED_PARAMETER_NOT_FOUND",
                            )
                        )
                else:
                    value, _ = self._value(caller, param.default, self.session_scope, param.type_sql)
            elif target is not None:
                value = self._coerce(caller, target.value, target.type_sql, param.type_sql)
            elif passed.sql is not None:
                if from_sql and param.type_sql in _NOT_FROM_STRING:
                    given, given_type = self._value(caller, passed.sql, caller_scope, None)
                    if given_type == "VARCHAR" and given is not None:
                        raise _Raised(
                            Condition(
                                "42K09",
                                f"{proc.display}: parameter {param.name} is {param.type_text}; a STRING argument "
                                f"({passed.sql.summary(40)}) is not cast implicitly. Write a {param.type_text} "
                                f"literal, e.g. {param.type_text} '2025-01-31', or CAST it",
                                "DATATYPE_MISMATCH",
                            )
                        )
                value, _ = self._value(caller, passed.sql, caller_scope, param.type_sql)
            else:
                cursor = self.conn.execute(f"SELECT CAST(? AS {param.type_sql})", [passed.value])
                value = _scalar(cursor)
            bound.append((value, target))
        return bound


_STATEMENT_WORDS = {"SELECT", "WITH", "VALUES", "FROM", "TABLE", "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE",
                    "DROP", "ALTER", "TRUNCATE"}  # fmt: skip
# The Databricks name of each variable type stored through a translated CAST (scripting/types.py maps
# the other way); DECIMAL(p,s) is spelled the same in both.
_DATABRICKS_TYPES = {"VARCHAR": "STRING", "TIMESTAMP": "TIMESTAMP", "DATE": "DATE", "BOOLEAN": "BOOLEAN",
                     "DOUBLE": "DOUBLE", "FLOAT": "FLOAT", "TINYINT": "TINYINT", "SMALLINT": "SMALLINT",
                     "INTEGER": "INT", "BIGINT": "BIGINT", "BLOB": "BINARY"}  # fmt: skip
_DECIMAL = re.compile(r"DECIMAL\(\d+,\s*\d+\)")
# The variable a value read from a query or another variable is stored through (see `_coerce`).
_COERCED = ast.Sql("__stored_value", 1)


def _databricks_type(type_sql: str) -> str | None:
    return _DATABRICKS_TYPES.get(type_sql) or (type_sql if _DECIMAL.fullmatch(type_sql) else None)


# Parameter types a STRING argument does not reach implicitly in a CALL.
_NOT_FROM_STRING = {"DATE", "TIMESTAMP"}


def _visible_types(scope: Scope) -> dict[str, str]:
    types: dict[str, str] = {}
    current: Scope | None = scope
    while current is not None:
        for name, var in current.vars.items():
            types.setdefault(name, var.type_sql)
        current = current.parent
    return types


def _successors(body: list[ast.Node], after: ast.Sql | None, out: dict[ast.SetStmt, ast.Sql]) -> None:
    """Record, for each assignment, the condition evaluated right after it on the normal path.

    Only conditions in the same scope qualify: leaving a block or a FOR row ends variables the
    condition might otherwise see, so `after` is reset at those boundaries.
    """
    for index, node in enumerate(body):
        following = _first_condition(body[index + 1]) if index + 1 < len(body) else after
        if isinstance(node, ast.SetStmt) and not node.is_row and following is not None:
            out[node] = following
        elif isinstance(node, ast.IfStmt):
            for _, branch in node.branches:
                _successors(branch, following, out)
            if node.else_body:
                _successors(node.else_body, following, out)
        elif isinstance(node, ast.CaseStmt):
            for _, branch in node.whens:
                _successors(branch, following, out)
            if node.else_body:
                _successors(node.else_body, following, out)
        elif isinstance(node, ast.WhileStmt):
            _successors(node.body, node.condition, out)
        elif isinstance(node, ast.RepeatStmt):
            _successors(node.body, node.until, out)
        elif isinstance(node, ast.LoopStmt):
            _successors(node.body, _first_condition(node.body[0]) if node.body else None, out)
        elif isinstance(node, (ast.ForStmt, ast.Compound)):
            _successors(node.body, None, out)
            for handler in getattr(node, "handlers", []):
                _successors([handler.action], None, out)


def _first_condition(node: ast.Node) -> ast.Sql | None:
    if isinstance(node, ast.IfStmt) and len(node.branches) == 1:
        return node.branches[0][0]
    if isinstance(node, ast.WhileStmt):
        return node.condition
    return None


def _is_default(expr: ast.Sql) -> bool:
    return expr.text.strip().upper() == "DEFAULT"


def _variable_ref(expr: ast.Sql) -> Ref | None:
    toks = [t for t in tokenize(expr.text) if t.kind != "eof"]
    if len(toks) == 1 and toks[0].kind in (WORD, QUOTED):
        return Ref(None, toks[0].name)
    if len(toks) == 3 and toks[0].kind in (WORD, QUOTED) and toks[1].is_op(".") and toks[2].kind in (WORD, QUOTED):
        return Ref(toks[0].name, toks[2].name)
    return None


def _bare_name(expr: ast.Sql) -> str | None:
    ref = _variable_ref(expr)
    return ref.name if ref is not None else None


def _first_word(sql: str) -> str:
    for tok in tokenize(sql):
        return tok.text.upper()
    return ""


def _duckdb_markers(sql: str) -> tuple[str, str | None]:
    """Databricks `:name` markers become DuckDB's `$name`; `?` is the same in both."""
    toks = tokenize(sql)
    out, pos, kind = [], 0, None
    for k, tok in enumerate(toks):
        if tok.is_op("?"):
            kind = "positional"
        if tok.is_op("$") and k + 1 < len(toks) and toks[k + 1].start == tok.end and toks[k + 1].kind == WORD:
            kind = "named"  # already translated from :name
        if tok.is_op(":") and k + 1 < len(toks):
            nxt = toks[k + 1]
            prev = toks[k - 1] if k else None
            # `col:field` (a JSON path) and `a::INT` are not markers: they follow an operand directly.
            operand_before = (
                prev is not None
                and prev.end == tok.start
                and (prev.kind in (WORD, QUOTED, NUMBER, STRING) or prev.text in (")", "]", ":"))
            )
            if nxt.kind in (WORD, QUOTED) and nxt.start == tok.end and not operand_before:
                out.append(sql[pos : tok.start])
                out.append("$")
                pos = tok.end
                kind = "named"
    out.append(sql[pos:])
    return "".join(out), kind


def _marker_names(sql: str) -> set[str]:
    toks = tokenize(sql)
    return {toks[k + 1].text for k, t in enumerate(toks[:-1]) if t.is_op("$") and toks[k + 1].start == t.end}


def _split_arguments(text: str) -> list[str] | None:
    """The arguments of a call, split at the commas outside parentheses, quotes and comments."""
    parts: list[str] = []
    depth, start = 0, 0
    for token in tokenize(text)[:-1]:
        if token.text in ("(", "[", "{"):
            depth += 1
        elif token.text in (")", "]", "}"):
            depth -= 1
        elif token.text == "," and depth == 0:
            parts.append(text[start : token.start])
            start = token.end
    parts.append(text[start:])
    return None if depth else parts


def _scalar(cursor: duckdb.DuckDBPyConnection) -> Any:
    """The first value of a query's one row (the interpreter's own queries always return a row)."""
    row = cursor.fetchone()
    if row is None:
        raise RuntimeError("an interpreter query returned no row")
    return row[0]
