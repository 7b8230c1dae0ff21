"""What `plan` and `ls` print: objects grouped by layer, as a table that fits the terminal, or JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO

from rich.console import Console as RichConsole
from rich.table import Table
from rich.text import Text

from lakehouse.plan import PlannedObject
from runner.config import Target
from runner.project import LAYER_ORDER
from runner.steps import describe

STATE_MARKS = {"create": ("+", "green"), "change": ("~", "yellow"), "unchanged": ("=", "dim")}


def _table(*columns: str, wrap: str = "") -> Table:
    """Columns keep to one line, the last truncated to the width; `wrap` names a column that wraps instead."""
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    for n, name in enumerate(columns):
        last = n == len(columns) - 1
        if name == wrap:
            table.add_column(name, overflow="fold", ratio=1)
        else:
            table.add_column(name, no_wrap=True, overflow="ellipsis" if last else "fold", ratio=1 if last else None)
    return table


def _fit(table: Table, width: int) -> Table:
    """Every column but the last keeps its widest cell: names are never cut; the last takes what is left.

    On a terminal too narrow for that, every column folds instead, so nothing runs past the edge."""
    widths = []
    for column in table.columns[:-1]:
        cells = [column.header, *column.cells]
        widths.append(max(len(cell.plain if isinstance(cell, Text) else str(cell)) for cell in cells))
    # Each column, the last included, is followed by its padding of 2.
    left = width - sum(w + 2 for w in widths) - 2
    if left < 16:
        for column in table.columns:
            column.no_wrap = False
            column.overflow = "fold"
            column.ratio = None
        return table
    for column, fixed in zip(table.columns, widths, strict=False):
        column.width = fixed
    last = table.columns[-1]
    last.max_width = left
    last.ratio = None
    return table


def where(target: Target) -> str:
    place = f"DuckDB at {target.database_path}" if target.is_local else f"catalog {target.catalog}"
    return f"target: {target.name} ({place}); landing: {target.landing_root}"


def write_json(value: object, out: IO[str]) -> None:
    json.dump(value, out, indent=2, ensure_ascii=False, default=str)
    out.write("\n")


def show_ls(console: RichConsole, planned: list[PlannedObject]) -> None:
    table = _table("object", "layer", "kind", "description")
    for obj in planned:
        table.add_row(obj.key, obj.layer, obj.kind, Text(obj.header, style="dim"))
    console.print(_fit(table, console.width))
    kinds = Counter(obj.kind for obj in planned)
    summary = f"{len(planned)} object(s): " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    console.print(summary, markup=False, soft_wrap=False)


def show_plan(console: RichConsole, target: Target, planned: list[PlannedObject], *, verbose: bool) -> None:
    console.print(where(target), markup=False, soft_wrap=False)
    counts = Counter(obj.state for obj in planned)
    console.print()
    console.print(
        Text(
            f"deploy: {counts['create']} to create, {counts['change']} to change, {counts['unchanged']} unchanged",
            style="bold",
        ),
        soft_wrap=False,
    )
    shown = [obj for obj in planned if verbose or obj.state != "unchanged"]
    if shown:
        table = _table("", "object", "kind", "state", "description")
        for layer in LAYER_ORDER:
            for obj in (o for o in shown if o.layer == layer):
                mark, style = STATE_MARKS[obj.state]
                table.add_row(
                    Text(mark, style=style), obj.key, obj.kind, Text(obj.state, style=style), Text(obj.header, "dim")
                )
                if verbose:
                    for statement in obj.deploy:
                        table.add_row("", "", "", "", Text(describe(statement), style="dim"))
        console.print(_fit(table, console.width))
    if counts["unchanged"] and not verbose:
        console.print(
            Text(f"{counts['unchanged']} unchanged object(s) not listed; -v lists them", style="dim"), soft_wrap=False
        )
    running = [obj for obj in planned if obj.run]
    console.print()
    local = " (on the local target run deploys first)" if target.is_local else ""
    console.print(
        Text(f"run: ingest, then {len(running)} object(s) in this order{local}", style="bold"), soft_wrap=False
    )
    table = _table("layer", "objects", wrap="objects")
    for layer in LAYER_ORDER:
        members = [obj for obj in running if obj.layer == layer]
        if members:
            table.add_row(layer, ", ".join(obj.key.split(".", 1)[1] for obj in members))
    rules = [obj for obj in planned if obj.kind == "rule"]
    if rules:
        table.add_row("quality", f"{len(rules)} rule(s), checked after the gold refresh")
    console.print(_fit(table, console.width))
    if verbose:
        console.print()
        steps = _table("#", "object", "step")
        number = 0
        for obj in running:
            for description in obj.run:
                number += 1
                steps.add_row(str(number), obj.key, Text(description, style="dim"))
        console.print(_fit(steps, console.width))
