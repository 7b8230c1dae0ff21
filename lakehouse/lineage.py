"""`lakehouse docs`: the ref() lineage of the project as one SVG file, drawn here (no network, no Graphviz).

Objects are placed in columns by depth (an object sits one column right of the deepest object it
reads) and ordered within a column to keep edges short; each box is coloured by layer.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from runner.selectors import Graph, kind_of

COLOURS = {
    "setup": "#9e9e9e", "bronze": "#b0703c", "silver": "#8a96a3", "gold": "#d4a017",
    "procedures": "#5c6bc0", "quality": "#2e7d32",
}  # fmt: skip
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 210, 26, 70, 10, 20


def _depths(graph: Graph) -> dict[str, int]:
    depth: dict[str, int] = {}
    for obj in graph.objects:  # execution order: every object comes after what it reads
        parents = [p for p in graph.parents[obj.key] if p in depth]
        depth[obj.key] = 1 + max((depth[p] for p in parents), default=-1)
    return depth


def render_lineage(objects: list) -> str:
    graph = Graph([o for o in objects if o.file.layer != "setup"])
    depth = _depths(graph)
    columns: dict[int, list[str]] = {}
    for obj in graph.objects:
        columns.setdefault(depth[obj.key], []).append(obj.key)
    position: dict[str, tuple[float, float]] = {}
    for column in sorted(columns):
        keys = columns[column]
        if column:
            # Order by the mean row of what each object reads: fewer crossings.
            def mean_row(key: str) -> float:
                rows = [position[p][1] for p in graph.parents[key] if p in position]
                return sum(rows) / len(rows) if rows else 0.0

            keys.sort(key=mean_row)
        for row, key in enumerate(keys):
            position[key] = (MARGIN + column * (BOX_W + GAP_X), MARGIN + 30 + row * (BOX_H + GAP_Y))
    width = MARGIN * 2 + (max(columns, default=0) + 1) * (BOX_W + GAP_X) - GAP_X
    height = MARGIN * 2 + 30 + max((len(v) for v in columns.values()), default=1) * (BOX_H + GAP_Y)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="lineage of the lakehouse objects" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" '
        'font-size="11">',
        '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#888"/></marker></defs>',
    ]
    for n, (layer, colour) in enumerate(COLOURS.items()):
        if layer == "setup":
            continue
        x = MARGIN + (n - 1) * 100
        parts.append(f'<rect x="{x}" y="{MARGIN}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{MARGIN + 9}">{layer}</text>')
    for key, parents in graph.parents.items():
        x2, y2 = position[key]
        for parent in sorted(parents):
            x1, y1 = position[parent]
            sx, sy, ex, ey = x1 + BOX_W, y1 + BOX_H / 2, x2, y2 + BOX_H / 2
            mid = (sx + ex) / 2
            parts.append(
                f'<path d="M{sx:.0f},{sy:.0f} C{mid:.0f},{sy:.0f} {mid:.0f},{ey:.0f} {ex:.0f},{ey:.0f}" '
                'fill="none" stroke="#bbb" marker-end="url(#arrow)"/>'
            )
    for obj in graph.objects:
        bx, by = position[obj.key]
        colour = COLOURS.get(obj.file.layer, "#777")
        title = escape(f"{obj.key} ({kind_of(obj)}): {obj.header}")
        parts.append(
            f'<g><title>{title}</title><rect x="{bx}" y="{by}" width="{BOX_W}" height="{BOX_H}" rx="4" '
            f'fill="white" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{bx + 8}" y="{by + 17}">{escape(obj.key)}</text></g>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def write_lineage(objects: list, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_lineage(objects) + "\n", encoding="utf-8")
    return out
