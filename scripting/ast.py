"""The syntax tree of a SQL script: control flow as nodes, leaf SQL and expressions as source text.

Expressions and leaf statements stay Databricks source text on purpose: DuckDB evaluates them, and
the interpreter only swaps variable references for bound parameters (see `binding.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(eq=False)
class Sql:
    """A slice of the procedure source: an expression, a query or a whole leaf statement."""

    text: str
    line: int  # line of the first character, counted within the CREATE statement

    def summary(self, limit: int = 80) -> str:
        flat = " ".join(self.text.split())
        return flat if len(flat) <= limit else flat[: limit - 3] + "..."


@dataclass(eq=False)
class Node:
    line: int

    def describe(self) -> str:
        return type(self).__name__.removesuffix("Stmt").upper()


@dataclass(eq=False)
class VarDecl(Node):
    names: list[str]
    type_sql: str | None  # DuckDB type, None when derived from the default
    type_text: str | None  # as written, for messages
    default: Sql | None


@dataclass(eq=False)
class ConditionDecl(Node):
    name: str
    sqlstate: str


@dataclass(eq=False)
class HandlerDecl(Node):
    kind: str  # EXIT or CONTINUE
    sqlstates: list[str]
    condition_names: list[str]
    sqlexception: bool
    not_found: bool
    action: Node


@dataclass(eq=False)
class Compound(Node):
    label: str | None
    declarations: list[VarDecl | ConditionDecl]
    handlers: list[HandlerDecl]
    body: list[Node]

    def describe(self) -> str:
        return f"BEGIN ... END{' ' + self.label if self.label else ''}"


@dataclass(eq=False)
class VarName:
    qualifier: str | None
    name: str

    def __str__(self) -> str:
        return f"{self.qualifier}.{self.name}" if self.qualifier else self.name


@dataclass(eq=False)
class SetStmt(Node):
    targets: list[VarName]
    value: Sql  # one expression; for several targets a query returning one row
    is_row: bool = False  # SET (a, b) = (SELECT ...)

    def describe(self) -> str:
        return f"SET {', '.join(map(str, self.targets))} = {self.value.summary(50)}"


@dataclass(eq=False)
class IfStmt(Node):
    branches: list[tuple[Sql, list[Node]]]
    else_body: list[Node] | None

    def describe(self) -> str:
        return f"IF {self.branches[0][0].summary(50)}"


@dataclass(eq=False)
class CaseStmt(Node):
    operand: Sql | None  # None for a searched CASE
    whens: list[tuple[Sql, list[Node]]]
    else_body: list[Node] | None

    def describe(self) -> str:
        return "CASE " + (self.operand.summary(50) if self.operand else "WHEN ...")


@dataclass(eq=False)
class WhileStmt(Node):
    label: str | None
    condition: Sql
    body: list[Node]

    def describe(self) -> str:
        return f"WHILE {self.condition.summary(50)}"


@dataclass(eq=False)
class RepeatStmt(Node):
    label: str | None
    body: list[Node]
    until: Sql

    def describe(self) -> str:
        return f"REPEAT ... UNTIL {self.until.summary(50)}"


@dataclass(eq=False)
class LoopStmt(Node):
    label: str | None
    body: list[Node]


@dataclass(eq=False)
class ForStmt(Node):
    label: str | None
    row_name: str | None
    query: Sql
    body: list[Node]

    def describe(self) -> str:
        return f"FOR {self.row_name + ' AS ' if self.row_name else ''}{self.query.summary(50)}"


@dataclass(eq=False)
class LeaveStmt(Node):
    label: str

    def describe(self) -> str:
        return f"LEAVE {self.label}"


@dataclass(eq=False)
class IterateStmt(Node):
    label: str

    def describe(self) -> str:
        return f"ITERATE {self.label}"


@dataclass(eq=False)
class SignalStmt(Node):
    condition_name: str | None
    sqlstate: str | None
    message: Sql | None
    item: str = "MESSAGE_TEXT"  # what SET assigns: MESSAGE_TEXT or MESSAGE_ARGUMENTS

    def describe(self) -> str:
        return f"SIGNAL {self.condition_name or 'SQLSTATE ' + repr(self.sqlstate)}"


@dataclass(eq=False)
class ResignalStmt(Node):
    pass


@dataclass(eq=False)
class GetDiagnosticsStmt(Node):
    assignments: list[tuple[VarName, str]]

    def describe(self) -> str:
        return "GET DIAGNOSTICS CONDITION 1"


@dataclass(eq=False)
class ExecuteImmediateStmt(Node):
    sql_string: Sql
    into: list[VarName]
    using: list[tuple[Sql, str | None]]

    def describe(self) -> str:
        return f"EXECUTE IMMEDIATE {self.sql_string.summary(50)}"


@dataclass(eq=False)
class CallStmt(Node):
    name: list[str]  # qualified name parts, case-folded
    args: list[tuple[str | None, Sql]]  # (parameter name for `p => value`, expression)

    def describe(self) -> str:
        return f"CALL {'.'.join(self.name)}"


@dataclass(eq=False)
class SqlStmt(Node):
    sql: Sql
    keyword: str  # first keyword, upper case
    is_query: bool

    def describe(self) -> str:
        return self.sql.summary()


@dataclass(eq=False)
class Parameter:
    mode: str  # IN, OUT, INOUT
    name: str
    type_sql: str
    type_text: str
    default: Sql | None


@dataclass(eq=False)
class ProcedureDef:
    name: list[str]  # qualified name parts as written, case-folded
    params: list[Parameter]
    body: Compound
    comment: str | None = None
    or_replace: bool = False
    if_not_exists: bool = False
    characteristics: list[str] = field(default_factory=list)
    body_text: str = ""
