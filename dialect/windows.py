"""Named windows (`OVER w ... WINDOW w AS (...)`) written out in full where they are used.

Databricks substitutes each reference by its definition before it checks anything, so a reference must
behave as the window written in place: `lag(x) OVER w` needs the ORDER BY of `w`, and the column takes
the name of the written-out window. The rules are Spark's:

- a definition may name another definition (`w2 AS w`), one step only;
- a reference is resolved in the SELECT list, HAVING and QUALIFY of its own query block; ORDER BY and
  subqueries do not see the block's WINDOW clause;
- names are compared as written (`W` is not `w`);
- a reference takes nothing more (`OVER (w ORDER BY x)` is a syntax error).
"""

from __future__ import annotations

from sqlglot import exp

from dialect.errors import RejectedByDatabricks

_SPEC_PARTS = ("partition_by", "order", "spec")
# The parts of a query block whose window references see its WINDOW clause.
_SEES_DEFINITIONS = ("expressions", "having", "qualify")


def inline_named_windows(tree: exp.Expression) -> exp.Expression:
    references = [node for node in tree.find_all(exp.Window) if _is_reference(node)]
    definitions: dict[int, dict[str, exp.Window]] = {}
    for select in tree.find_all(exp.Select):
        if select.args.get("windows"):
            definitions[id(select)] = _definitions(select.args["windows"])
            select.set("windows", None)
    for reference in references:
        name = reference.args["alias"].name
        if any(reference.args.get(part) for part in _SPEC_PARTS):
            raise RejectedByDatabricks("PARSE_SYNTAX_ERROR", f"OVER ({name} ...): a named window takes nothing more")
        block, clause = _query_block(reference)
        defined = definitions.get(id(block), {}) if clause in _SEES_DEFINITIONS else {}
        if name not in defined:
            raise RejectedByDatabricks(
                "MISSING_WINDOW_SPECIFICATION", f"Window specification is not defined in the WINDOW clause for {name}"
            )
        reference.set("alias", None)
        for part in _SPEC_PARTS:
            value = defined[name].args.get(part)
            reference.set(part, value.copy() if isinstance(value, exp.Expression) else value)
    return tree


def _is_reference(node: exp.Window) -> bool:
    """`OVER w` or `OVER (w)`: a window whose name is in its alias (a definition's name is its `this`)."""
    return node.args.get("alias") is not None and not isinstance(node.this, exp.Identifier)


def _definitions(windows: list[exp.Window]) -> dict[str, exp.Window]:
    written: dict[str, exp.Window] = {}
    for window in windows:
        name = window.this.name
        if name in written:
            raise RejectedByDatabricks(
                "INVALID_SQL_SYNTAX.REPETITIVE_WINDOW_DEFINITION", f"The definition of window {name} is repetitive"
            )
        written[name] = window
    resolved = {}
    for name, window in written.items():
        target = window.args.get("alias")
        if target is None:
            resolved[name] = window
        elif target.name not in written:
            raise RejectedByDatabricks(
                "INVALID_SQL_SYNTAX.UNRESOLVED_WINDOW_REFERENCE", f"Cannot resolve window reference {target.name}"
            )
        elif written[target.name].args.get("alias") is not None:
            raise RejectedByDatabricks(
                "INVALID_SQL_SYNTAX.INVALID_WINDOW_REFERENCE",
                f"Window reference {target.name} is not a window specification",
            )
        else:
            resolved[name] = written[target.name]
    return resolved


def _query_block(node: exp.Expr) -> tuple[exp.Expr | None, str | None]:
    """The SELECT a window belongs to and the clause of it the window is in."""
    child, parent = node, node.parent
    while parent is not None and not isinstance(parent, exp.Select):
        child, parent = parent, parent.parent
    return parent, (child.arg_key if parent is not None else None)


def frame(node: exp.WindowSpec, ctx: object) -> exp.WindowSpec:
    """A window frame: ROWS or RANGE, as Databricks parses it; GROUPS and EXCLUDE, which DuckDB runs, are
    syntax errors there."""
    if str(node.args.get("kind") or "").upper() == "GROUPS":
        raise RejectedByDatabricks("PARSE_SYNTAX_ERROR", "a GROUPS window frame (Databricks frames are ROWS or RANGE)")
    if node.args.get("exclude") is not None:
        raise RejectedByDatabricks("PARSE_SYNTAX_ERROR", "EXCLUDE in a window frame")
    return node
