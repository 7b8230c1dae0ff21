"""Fields of a table's structs and arrays (bronze's shape), typed by the column's own type, as on Databricks."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT id, priceRanges[0].min * 2.5 FROM nested_events ORDER BY id",
        "SELECT id, size(_embedded.attractions), size(priceRanges) FROM nested_events ORDER BY id",
        "SELECT id, _embedded.venues[0].name, upper(_embedded.venues[0].city.name) FROM nested_events ORDER BY id",
        "SELECT e.id, date_add(e.dates.start.localDate, 1) FROM nested_events e ORDER BY e.id",
        "SELECT id, concat(dates.start.localDate, '!'), e.priceRanges[0].currency FROM nested_events AS e ORDER BY id",
        "SELECT count(*) FROM nested_events WHERE _embedded.venues[0].city.name = 'Austin'",
        # A field of an array of structs is the array of each element's field.
        "SELECT id, _embedded.venues.name, _embedded.venues.city.name, priceRanges.min FROM nested_events ORDER BY id",
        "SELECT e.id, e._embedded.attractions.id, size(e._embedded.attractions.id) FROM nested_events e ORDER BY e.id",
        "SELECT id FROM nested_events WHERE array_contains(_embedded.attractions.id, 'A2') ORDER BY id",
        "SELECT id, transform(priceRanges.min, m -> CAST(m AS DOUBLE) * 2), priceRanges.currency[0] FROM nested_events "
        "ORDER BY id",
    ],
)
def test_nested_fields_answer_as_on_databricks(nested, sql):
    spark, user = nested
    assert user.query(sql).rows == [tuple(row) for row in spark.sql(sql).collect()]


def test_a_string_field_in_integer_arithmetic_fails_as_on_databricks(nested):
    spark, user = nested
    sql = "SELECT priceRanges[0].min + 1 FROM nested_events"
    with pytest.raises(Exception, match="CAST_INVALID_INPUT"):
        spark.sql(sql).collect()
    with pytest.raises(Exception, match="CAST_INVALID_INPUT"):
        user.query(sql)


def test_a_table_alias_is_not_read_as_an_array_column_of_another_table(user):
    # `e.name` names the column of the table aliased e, though another table has an array column `e`.
    user.execute("CREATE TABLE other AS SELECT array(named_struct('name', 'x')) AS e")
    user.execute("CREATE TABLE people AS SELECT 'ann' AS name, array(named_struct('name', 'y')) AS arr")
    assert user.query("SELECT e.name FROM people e").rows == [("ann",)]
    assert user.query("SELECT e.name FROM other").rows == [(["x"],)]
    assert user.query("SELECT p.arr.name, arr.name FROM people p").rows == [(["y"], ["y"])]
