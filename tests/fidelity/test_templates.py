"""The DuckDB templates rewrites are built from: what a filled-in template computes."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from dialect.common import duck


@pytest.mark.parametrize(
    "index", ["2", "CAST('2' AS INTEGER)", "1 + 1", "n"], ids=["literal", "cast", "arithmetic", "column"]
)
def test_an_index_placeholder_picks_the_element_asked_for(index):
    # sqlglot shifts an array index it can type as an integer by one when it writes DuckDB SQL.
    picked = duck("{a}[{i}]", a=sqlglot.parse_one("[10, 20, 30]", read="duckdb"), i=sqlglot.parse_one(index))
    assert duckdb.sql(f"SELECT {picked.sql('duckdb')} FROM (SELECT 2 AS n)").fetchall() == [(20,)]


def test_a_literal_index_in_the_template_stays_as_written():
    first = duck("{l}[1] + {l}[{i} + 1]", l=exp.column("l"), i=exp.Literal.number(2))
    assert duckdb.sql(f"SELECT {first.sql('duckdb')} FROM (SELECT [10, 20, 30] AS l)").fetchall() == [(40,)]
