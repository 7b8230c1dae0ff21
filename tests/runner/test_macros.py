"""Engine macros: a default (the Databricks form) and per-engine overrides, dispatched by name."""

from __future__ import annotations

import jinja2
import pytest

from runner.config import load_target
from runner.macros import add_filters, dispatch
from runner.project import Renderer


def _environment(tmp_path, text: str) -> jinja2.Environment:
    (tmp_path / "macros").mkdir()
    (tmp_path / "macros" / "example.jinja").write_text(text)
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), undefined=jinja2.StrictUndefined)
    add_filters(environment)
    return environment


MACROS = """
{%- macro default__quoted(text) -%}{{ text | sql_string }}{%- endmacro -%}
{%- macro duckdb__quoted(text) -%}{{ text | duckdb_string }}{%- endmacro -%}
{%- macro default__greeting(name) -%}hello({{ quoted(name) }}){%- endmacro -%}
{%- set shape = {'id': 'STRING'} -%}
"""


def test_an_engine_override_wins_and_the_default_serves_the_rest(tmp_path):
    environment = _environment(tmp_path, MACROS)
    databricks, duckdb = dispatch(environment, "databricks"), dispatch(environment, "duckdb")
    assert databricks["quoted"]("it's") == "'it\\'s'"
    assert duckdb["quoted"]("it's") == "'it''s'"
    # greeting has no override; the macro it calls by plain name is the engine's own
    assert databricks["greeting"]("x") == "hello('x')" and duckdb["greeting"]("it's") == "hello('it''s')"
    assert databricks["shape"] == {"id": "STRING"}
    assert not [name for name in databricks if "__" in name]


def test_an_override_without_a_default_is_refused(tmp_path):
    environment = _environment(tmp_path, "{%- macro duckdb__only() -%}x{%- endmacro -%}")
    with pytest.raises(ValueError, match="default__only"):
        dispatch(environment, "duckdb")


def test_sql_files_call_the_target_engines_form(tmp_path):
    local = Renderer(load_target("local", data_dir=tmp_path))
    databricks = Renderer(load_target("databricks"))
    text = "SELECT {{ first_item('record.markets') }}.id, {{ tie_break_hash('record') }}"
    assert local.render_text(text, "t")[0].sql == "SELECT (record.markets)[1].id, hash(record)"
    assert databricks.render_text(text, "t")[0].sql == "SELECT try_element_at(record.markets, 1).id, xxhash64(record)"
