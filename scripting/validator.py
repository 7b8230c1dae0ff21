"""Static checks that Databricks makes when a procedure is created, so mistakes fail at deploy time."""

from __future__ import annotations

from dataclasses import dataclass, field

from scripting import ast
from scripting.errors import ScriptSyntaxError
from scripting.lexer import EOF, STRING, tokenize
from scripting.parser import Sequence


@dataclass
class _Block:
    label: str | None
    names: set[str] = field(default_factory=set)


@dataclass
class _Context:
    labels: list[tuple[str, str]]  # (label, LOOP or BLOCK), innermost last
    blocks: list[_Block]
    in_handler: bool = False

    def child(
        self, *, label: tuple[str, str] | None = None, block: _Block | None = None, in_handler: bool | None = None
    ) -> _Context:
        return _Context(
            self.labels + ([label] if label else []),
            self.blocks + ([block] if block else []),
            self.in_handler if in_handler is None else in_handler,
        )


def validate_procedure(definition: ast.ProcedureDef) -> None:
    seen: set[str] = set()
    for param in definition.params:
        if param.name in seen:
            raise ScriptSyntaxError(f"parameter {param.name} is declared twice", definition.body.line)
        seen.add(param.name)
    params = _Block(definition.name[-1], {p.name for p in definition.params})
    _Validator().statement(definition.body, _Context([], [params]))


def validate_script(block: ast.Compound, session_variables: set[str]) -> None:
    _Validator().statement(block, _Context([], [_Block("session", set(session_variables))]))


class _Validator:
    def statement(self, node: ast.Node, ctx: _Context) -> None:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            return
        method(node, ctx)

    def body(self, nodes: list[ast.Node], ctx: _Context) -> None:
        for node in nodes:
            self.statement(node, ctx)

    def _label(self, label: str | None, kind: str, node: ast.Node, ctx: _Context) -> tuple[str, str] | None:
        if label is None:
            return None
        if any(existing == label for existing, _ in ctx.labels):
            raise ScriptSyntaxError(f"label {label} is already used by an enclosing statement", node.line)
        return (label, kind)

    def _Compound(self, node: ast.Compound, ctx: _Context) -> None:
        block = _Block(node.label)
        conditions: set[str] = set()
        inner = ctx.child(label=self._label(node.label, "BLOCK", node, ctx), block=block)
        for decl in node.declarations:
            if isinstance(decl, ast.ConditionDecl):
                if decl.name in conditions:
                    raise ScriptSyntaxError(f"condition {decl.name} is declared twice in this block", decl.line)
                conditions.add(decl.name)
                continue
            for name in decl.names:
                if name in block.names:
                    raise ScriptSyntaxError(f"variable {name} is declared twice in this block", decl.line)
                block.names.add(name)
        handled: set[str] = set()
        for handler in node.handlers:
            values = [f"SQLSTATE {s}" for s in handler.sqlstates] + list(handler.condition_names)
            values += ["SQLEXCEPTION"] * handler.sqlexception + ["NOT FOUND"] * handler.not_found
            for value in values:
                if value in handled:
                    raise ScriptSyntaxError(f"two handlers of this block handle {value}", handler.line)
                handled.add(value)
            # The handler body sees the block's variables and the labels around the block, not the
            # labels inside its statements.
            self.statement(handler.action, inner.child(in_handler=True))
        self.body(node.body, inner)

    def _target(self, name: ast.VarName, node: ast.Node, ctx: _Context) -> None:
        if name.qualifier is not None:
            if name.qualifier in ("session", "system"):
                return
            for block in reversed(ctx.blocks):
                if block.label == name.qualifier:
                    if name.name in block.names:
                        return
                    break
            raise ScriptSyntaxError(f"variable {name} is not declared", node.line)
        if not any(name.name in block.names for block in ctx.blocks):
            raise ScriptSyntaxError(
                f"variable {name} is not declared (assigning session variables from a procedure is not "
                "supported; qualify it as session.{name} if that is meant)",
                node.line,
            )

    def _SetStmt(self, node: ast.SetStmt, ctx: _Context) -> None:
        for target in node.targets:
            self._target(target, node, ctx)
        if len({str(t) for t in node.targets}) != len(node.targets):
            raise ScriptSyntaxError("a variable is assigned twice in one SET", node.line)

    def _Sequence(self, node: Sequence, ctx: _Context) -> None:
        for stmt in node.statements:
            self._SetStmt(stmt, ctx)

    def _IfStmt(self, node: ast.IfStmt, ctx: _Context) -> None:
        for _, body in node.branches:
            self.body(body, ctx)
        if node.else_body is not None:
            self.body(node.else_body, ctx)

    def _CaseStmt(self, node: ast.CaseStmt, ctx: _Context) -> None:
        for _, body in node.whens:
            self.body(body, ctx)
        if node.else_body is not None:
            self.body(node.else_body, ctx)

    def _loop(self, node: ast.WhileStmt | ast.RepeatStmt | ast.LoopStmt | ast.ForStmt, ctx: _Context) -> None:
        self.body(node.body, ctx.child(label=self._label(node.label, "LOOP", node, ctx)))

    _WhileStmt = _RepeatStmt = _LoopStmt = _loop

    def _ForStmt(self, node: ast.ForStmt, ctx: _Context) -> None:
        # The row's columns are only known when the query runs; they are resolved then.
        self._loop(node, ctx)

    def _LeaveStmt(self, node: ast.LeaveStmt, ctx: _Context) -> None:
        if not any(label == node.label for label, _ in ctx.labels):
            raise ScriptSyntaxError(f"LEAVE {node.label}: no enclosing block or loop has that label", node.line)

    def _IterateStmt(self, node: ast.IterateStmt, ctx: _Context) -> None:
        for label, kind in ctx.labels:
            if label == node.label:
                if kind != "LOOP":
                    raise ScriptSyntaxError(f"ITERATE {node.label}: the label names a block, not a loop", node.line)
                return
        raise ScriptSyntaxError(f"ITERATE {node.label}: no enclosing loop has that label", node.line)

    def _SignalStmt(self, node: ast.SignalStmt, ctx: _Context) -> None:
        # The signal-stmt reference: MESSAGE_TEXT is a STRING literal; MESSAGE_ARGUMENTS (a map of the
        # condition's message parameters) goes with a condition name, never with SQLSTATE.
        if node.message is None:
            return
        if node.item == "MESSAGE_ARGUMENTS":
            if node.sqlstate is not None:
                raise ScriptSyntaxError(
                    "SIGNAL SQLSTATE ... SET MESSAGE_ARGUMENTS is not Databricks SQL: with SQLSTATE only MESSAGE_TEXT "
                    "is allowed; write SIGNAL USER_RAISED_EXCEPTION SET MESSAGE_ARGUMENTS = map('errorMessage', ...)",
                    node.line,
                )
            return
        tokens = [t for t in tokenize(node.message.text) if t.kind != EOF]
        if len(tokens) != 1 or tokens[0].kind != STRING:
            raise ScriptSyntaxError(
                f"SIGNAL ... SET MESSAGE_TEXT takes a STRING literal on Databricks, not {node.message.summary(40)!r}; "
                "for a computed message write SIGNAL USER_RAISED_EXCEPTION SET MESSAGE_ARGUMENTS = "
                "map('errorMessage', <message>)",
                node.line,
            )

    def _ResignalStmt(self, node: ast.ResignalStmt, ctx: _Context) -> None:
        if not ctx.in_handler:
            raise ScriptSyntaxError("RESIGNAL is only allowed inside a condition handler", node.line)

    def _GetDiagnosticsStmt(self, node: ast.GetDiagnosticsStmt, ctx: _Context) -> None:
        if not ctx.in_handler:
            raise ScriptSyntaxError("GET DIAGNOSTICS is only allowed inside a condition handler", node.line)
        for target, _ in node.assignments:
            self._target(target, node, ctx)

    def _ExecuteImmediateStmt(self, node: ast.ExecuteImmediateStmt, ctx: _Context) -> None:
        for target in node.into:
            self._target(target, node, ctx)
        if len({str(t) for t in node.into}) != len(node.into):
            raise ScriptSyntaxError("a variable may appear only once after INTO", node.line)
