"""The names of a result's unnamed columns, as Databricks gives them, and the tables and views that keep them."""

from __future__ import annotations

import pytest

from runner.errors import LakehouseError


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 'a''b', \"dq\", true, false, NULL, 1.50, -1",
        "SELECT m['k'], a[0], s.f, t.s.f FROM "
        "(SELECT map('k', 1) AS m, array(1) AS a, named_struct('f', 2) AS s, 7 AS id) t",
        "SELECT count(*), count(1) FROM range(3)",
        "SELECT dates.start.localDate, e.dates.start, priceRanges[0].min, e.priceRanges[0], "
        "_embedded.venues[0].city.name, _embedded.venues[0] FROM nested_events e",
    ],
)
def test_unnamed_columns_are_named_as_on_databricks(nested, sql):
    spark, user = nested
    assert user.query(sql).columns == spark.sql(sql).columns


def test_a_table_from_a_query_keeps_the_names_databricks_gives(user):
    user.execute("CREATE SCHEMA s")
    user.execute("CREATE TABLE s.t AS SELECT 'kind', id, upper('a') AS up, a[0] FROM (SELECT 1 AS id, array(2) AS a)")
    assert user.query("SELECT * FROM s.t").columns == ["kind", "id", "up", "a[0]"]


def test_a_view_keeps_count_star_as_count_1(user):
    user.execute("CREATE SCHEMA s")
    user.execute("CREATE VIEW s.v AS SELECT count(*) FROM range(3)")
    assert user.query("SELECT `count(1)` FROM s.v").rows == [(3,)]


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("CREATE TABLE s.t AS SELECT upper('a')", "name it with AS"),
        ("CREATE VIEW s.v AS SELECT 1 + 2", "name it with AS"),
        ("CREATE TABLE s.t AS SELECT count(*) FROM range(3)", r"which Databricks names 'count\(1\)'"),
        ("CREATE TABLE s.t AS SELECT 'a b'", "which Databricks names 'a b'"),
    ],
)
def test_a_kept_name_the_local_target_cannot_give_is_refused(user, sql, says):
    user.execute("CREATE SCHEMA s")
    with pytest.raises(LakehouseError, match=says):
        user.execute(sql)
    assert user.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 's'").rows == [(0,)]
