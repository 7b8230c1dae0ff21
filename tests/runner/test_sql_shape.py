"""The SQL files read as the statements they send: little Jinja per file, and what renders is close to
what is written (a silver or gold file renders to at most three times its size on either target)."""

from __future__ import annotations

import re
import statistics

import pytest

from runner.config import load_target
from runner.project import SQL_ROOT, Renderer, discover

# A Jinja expression or statement; {# comments #} do not count.
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
MEDIAN_TAGS = 3
MAX_TAGS = 30
MAX_RENDER_RATIO = 3.0
_INCLUDE = re.compile(r"\{%-?\s*include\s+'([^']+)'")


def _source_size(text: str) -> int:
    """The characters a reader reads: the file and the files it includes."""
    return len(text) + sum(_source_size((SQL_ROOT / name).read_text()) for name in _INCLUDE.findall(text))


def _tags() -> dict[str, int]:
    return {
        path.relative_to(SQL_ROOT).as_posix(): len(_TAG.findall(path.read_text())) for path in SQL_ROOT.rglob("*.sql")
    }


def test_the_tag_count_counts_expressions_and_statements_not_comments():
    assert (
        len(_TAG.findall("{# a {{ x }} #}{{ ref('a') }} {% if x %}{%- endif -%}")) == 4
    )  # the comment's inner {{ }} too
    assert len(_TAG.findall("SELECT 1")) == 0


def test_no_sql_file_holds_more_than_a_few_dozen_jinja_tags():
    heavy = {name: count for name, count in _tags().items() if count > MAX_TAGS}
    assert not heavy, f"more than {MAX_TAGS} Jinja tags: {heavy}"


def test_the_median_sql_file_holds_at_most_three_jinja_tags():
    tags = _tags()
    assert statistics.median(tags.values()) <= MEDIAN_TAGS, sorted(tags.items(), key=lambda item: -item[1])


@pytest.mark.parametrize("target_name", ["local", "databricks"])
def test_silver_and_gold_files_render_close_to_their_size(target_name, tmp_path):
    target = load_target(target_name, data_dir=tmp_path) if target_name == "local" else load_target(target_name)
    renderer = Renderer(target)
    ratios = {
        sql_file.key: len(renderer.render(sql_file).sql) / _source_size(sql_file.path.read_text())
        for sql_file in discover()
        if sql_file.layer in ("silver", "gold")
    }
    assert len(ratios) > 20
    grown = {key: round(ratio, 1) for key, ratio in ratios.items() if ratio > MAX_RENDER_RATIO}
    assert not grown, f"renders to more than {MAX_RENDER_RATIO}x its source: {grown}"
