"""`lakehouse report`: one self-contained HTML page of runs, quality and rows per layer.

No scripts, fonts, stylesheets or images from elsewhere: the page opens from a file, offline, and can be
attached to a ticket as is. Charts are inline SVG drawn here; the page is a Jinja template, which escapes every value.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from lakehouse.status import Run, last_runs, read_rows
from runner.config import Target
from runner.engines.base import Engine
from runner.project import Renderer
from runner.quality.rules import RESULTS_TABLE, SEVERITIES, SEVERITY_WEIGHTS
from runner.runlog import ETL_LOG, RUNNER

LAYERS = ("bronze", "silver", "gold")
LAYER_COLOURS = {"bronze": "#b0703c", "silver": "#8a96a3", "gold": "#d4a017"}
STATUS_COLOURS = {"passed": "#2e7d32", "failed": "#c62828", "error": "#6a1b9a"}

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 1100px; }
h1 { margin-bottom: 0.2rem; } .meta { color: #666; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.passed { color: #2e7d32; } .failed, .error { color: #c62828; font-weight: bold; }
.cell { display: inline-block; width: 14px; height: 14px; border-radius: 2px; }
svg text { font-size: 11px; fill: #444; }
"""


def _rows_per_layer(engine: Engine, target: Target, run_ids: list[str]) -> dict[str, dict[str, int]]:
    if not run_ids:
        return {}
    sql = Renderer(target).render_statement("runner/report_rows_per_step.sql")
    rows = read_rows(engine, sql, [list(run_ids), RUNNER])
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LAYERS, 0))
    for run_id, step_name, affected in rows:
        layer = str(step_name).split(".", 1)[0]
        if layer in LAYERS:
            counts[run_id][layer] += int(affected)
    return counts


def _results(engine: Engine, target: Target, run_ids: list[str]) -> list[tuple[Any, ...]]:
    if not run_ids:
        return []
    sql = Renderer(target).render_statement("runner/report_quality_results.sql")
    return read_rows(engine, sql, [list(run_ids)])


def _score_chart(runs: list[Run]) -> str:
    scored = [r for r in runs if r.quality_score is not None]
    if not scored:
        return "<p>No quality scores yet.</p>"
    width, height, left, top, bottom = 760, 220, 40, 10, 30
    plot_w, plot_h = width - left - 10, height - top - bottom
    step = plot_w / max(len(scored) - 1, 1)

    def xy(i: int, score: float) -> tuple[float, float]:
        return left + i * step, top + plot_h * (1 - score / 100)

    parts = [f'<svg role="img" aria-label="quality score per run" width="{width}" height="{height}">']
    for tick in (0, 25, 50, 75, 100):
        _, y = xy(0, tick)
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, r.quality_score or 0) for i, r in enumerate(scored)))
    parts.append(f'<polyline points="{points}" fill="none" stroke="#1565c0" stroke-width="2"/>')
    for i, run in enumerate(scored):
        x, y = xy(i, run.quality_score or 0)
        colour = "#c62828" if run.status == "failed" else "#1565c0"
        label = escape(f"{run.run_id}: {run.quality_score:.1f} ({run.status})")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"><title>{label}</title></circle>')
    first, last = scored[0], scored[-1]
    parts.append(f'<text x="{left}" y="{height - 8}">{escape(f"{first.started_at:%Y-%m-%d %H:%M}")}</text>')
    if len(scored) > 1:
        parts.append(
            f'<text x="{width - 10}" y="{height - 8}" text-anchor="end">'
            f"{escape(f'{last.started_at:%Y-%m-%d %H:%M}')}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _layer_chart(runs: list[Run], counts: dict[str, dict[str, int]], labels: dict[str, str]) -> str:
    shown = [r for r in runs if r.run_id in counts]
    if not shown:
        return "<p>No row counts logged yet.</p>"
    width, height, left, top, bottom = 760, 240, 60, 10, 40
    plot_h = height - top - bottom
    biggest = max(sum(counts[r.run_id].values()) for r in shown) or 1
    bar = min(40.0, (width - left - 10) / len(shown) * 0.7)
    gap = (width - left - 10) / len(shown)
    parts = [f'<svg role="img" aria-label="rows written per layer per run" width="{width}" height="{height}">']
    parts.append(f'<text x="{left - 6}" y="{top + 10}" text-anchor="end">{biggest}</text>')
    parts.append(f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>')
    for i, run in enumerate(shown):
        x = left + i * gap + (gap - bar) / 2
        y = top + plot_h
        for layer in LAYERS:
            value = counts[run.run_id][layer]
            h = plot_h * value / biggest
            y -= h
            title = escape(f"{run.run_id} {layer}: {value} rows")
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{LAYER_COLOURS[layer]}">'
                f"<title>{title}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - 24}" text-anchor="middle">{escape(labels[run.run_id])}</text>'
        )
    for n, layer in enumerate(LAYERS):
        lx = left + n * 90
        parts.append(f'<rect x="{lx}" y="{height - 14}" width="10" height="10" fill="{LAYER_COLOURS[layer]}"/>')
        parts.append(f'<text x="{lx + 14}" y="{height - 5}">{layer}</text>')
    parts.append("</svg>")
    return "".join(parts)


def run_labels(runs: list[Run]) -> dict[str, str]:
    """Short, unique labels for runs: month-day and minute, with seconds and then the id's tail where needed."""
    labels = {r.run_id: f"{r.started_at:%m-%d %H:%M}" for r in runs}
    for fmt in ("%m-%d %H:%M:%S", None):
        seen: dict[str, int] = {}
        for label in labels.values():
            seen[label] = seen.get(label, 0) + 1
        clashing = [r for r in runs if seen[labels[r.run_id]] > 1]
        if not clashing:
            break
        for r in clashing:
            labels[r.run_id] = f"{r.started_at:{fmt}}" if fmt else f"{r.started_at:%m-%d %H:%M:%S} {r.run_id[-6:]}"
    return labels


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


_PAGE = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lakehouse run and quality report</title>
<style>{{ css }}</style></head><body>
<h1>Lakehouse run and quality report</h1>
<p class="meta">Target {{ target }}; generated {{ generated }} UTC from {{ log_table }} and {{ results_table }};
the last {{ runs | length }} run(s).</p>
<h2>Quality score per run</h2>
<p>Score = 100 &times; the severity weights of the passed rules / the weights of all rules run ({{ weights }});
red points are failed runs.</p>
{{ score_chart }}
{% if latest_checked %}
<h2>Rule results of run {{ latest_checked }}</h2>
<table><tr><th>severity</th><th>rule</th><th>status</th><th>failing</th><th>checked</th>
<th>sample of failing keys / error</th><th>what it asserts</th></tr>
{% for r in latest_results %}
<tr><td>{{ r.severity }}</td><td>{{ r.rule }}</td><td class="{{ r.status }}">{{ r.status }}</td>
<td class="num">{{ r.failing if r.failing is not none }}</td>
<td class="num">{{ r.checked if r.checked is not none }}</td>
<td>{{ r.detail or "" }}</td><td>{{ r.description or "" }}</td></tr>
{% endfor %}
</table>
<h2>Rule history</h2>
<table><tr><th>rule</th><th>severity</th>
{% for run in checked_runs %}<th title="{{ run.run_id }}">{{ labels[run.run_id] }}</th>{% endfor %}
</tr>
{% for rule, severity, cells in history %}
<tr><td>{{ rule }}</td><td>{{ severity }}</td>
{% for status in cells %}
{% if status %}
<td><span class="cell" style="background:{{ colours.get(status, '#999') }}" title="{{ status }}"></span></td>
{% else %}<td></td>{% endif %}
{% endfor %}
</tr>
{% endfor %}
</table>
{% endif %}
<h2>Rows written per layer per run</h2>
{{ layer_chart }}
<table><tr><th>run</th><th>started</th><th>duration</th><th>status</th>
{% for layer in layers %}<th>{{ layer }} rows</th>{% endfor %}<th>quality score</th></tr>
{% for run in runs %}
<tr><td>{{ run.run_id }}</td><td>{{ run.started_at.strftime("%Y-%m-%d %H:%M:%S") }}</td>
<td class="num">{{ "%.1fs" % run.seconds if run.seconds is not none }}</td>
<td class="{{ 'failed' if run.status == 'failed' }}">{{ run.status }}</td>
{% for layer in layers %}<td class="num">{{ counts.get(run.run_id, {}).get(layer, "") }}</td>{% endfor %}
<td class="num">{{ "%.1f" % run.quality_score if run.quality_score is not none }}</td></tr>
{% endfor %}
</table></body></html>
"""
)


def render_report(engine: Engine, target: Target, *, runs: int = 30) -> str:
    recent = last_runs(engine, target, runs)
    chronological = list(reversed(recent))
    run_ids = [r.run_id for r in chronological]
    counts = _rows_per_layer(engine, target, run_ids)
    results = _results(engine, target, run_ids)
    by_run: dict[str, dict[str, tuple[Any, ...]]] = defaultdict(dict)
    rules: dict[str, tuple[str, str]] = {}
    for row in results:
        by_run[row[0]][row[1]] = row
        rules[row[1]] = (row[2], row[8] or "")
    latest_checked = next((r.run_id for r in recent if r.run_id in by_run), None)
    labels = run_labels(recent)
    latest_results = []
    if latest_checked is not None:
        ordered = sorted(by_run[latest_checked].values(), key=lambda r: (r[3] == "passed", _rank(r[2]), r[1]))
        latest_results = [
            {
                "severity": severity, "rule": rule, "status": status, "failing": failing, "checked": checked,
                "detail": error if status == "error" else sample, "description": description,
            }
            for _, rule, severity, status, failing, checked, sample, error, description in ordered
        ]  # fmt: skip
    checked_runs = [r for r in chronological if r.run_id in by_run]
    history = [
        (rule, severity, [(by_run[run.run_id].get(rule) or (None,) * 4)[3] for run in checked_runs])
        for rule, (severity, _) in sorted(rules.items())
    ]
    return _PAGE.render(
        css=Markup(_CSS),
        target=target.name,
        generated=f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        log_table=target.qualify("gold", ETL_LOG),
        results_table=target.qualify("gold", RESULTS_TABLE),
        runs=recent,
        weights=", ".join(f"{k} {v}" for k, v in SEVERITY_WEIGHTS.items()),
        # The charts are SVG built above, their text escaped there.
        score_chart=Markup(_score_chart(chronological)),
        latest_checked=latest_checked,
        latest_results=latest_results,
        checked_runs=checked_runs,
        labels=labels,
        history=history,
        colours=STATUS_COLOURS,
        layer_chart=Markup(_layer_chart(chronological, counts, labels)),
        layers=LAYERS,
        counts=counts,
    )


def write_report(engine: Engine, target: Target, out: Path, *, runs: int = 30) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(engine, target, runs=runs), encoding="utf-8")
    return out
