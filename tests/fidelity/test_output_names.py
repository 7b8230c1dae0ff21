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
        "SELECT upper(id), ucase(id), lcase(ID), round(1.234, 2), round(1.5), abs(-1), length(id), char_length(id), "
        "coalesce(id, 'x'), nvl(id, 'x'), ifnull(id, 'x'), concat(id, '-'), id || 'x', upper(e.id), "
        "to_date(dates.start.localDate), year(to_date(dates.start.localDate)), month(current_date()), "
        "day(current_date()), dayofmonth(current_date()), size(e.priceRanges), upper(priceRanges[0].currency) "
        "FROM nested_events e",
        "SELECT avg(size(priceRanges)), sum(1), min(id), max(id), count(id), count(DISTINCT id), "
        "round(avg(size(priceRanges)), 2), sum(size(priceRanges)) / 2, sum(DISTINCT size(priceRanges)), "
        "max(size(priceRanges)) - min(size(priceRanges)) FROM nested_events",
        "SELECT 1 + 2, 3 - 1, 2 * 3, 4 / 2, 5 % 2, 1 = 1, 1 <> 2, 1 != 2, 1 < 2, 1 <= 2, id IS NULL, "
        "id IS NOT NULL, NOT true, true AND false, true OR false, -size(priceRanges), (1 + 2) * 3, "
        "current_timestamp() IS NULL FROM nested_events",
        "SELECT size(priceRanges) BETWEEN 1 AND 2, id NOT BETWEEN 'A' AND 'F', id BETWEEN 'X' AND 20, "
        "size(priceRanges) + 1 BETWEEN '1' AND 3 FROM nested_events",
        "SELECT col.min FROM (SELECT explode(priceRanges) FROM nested_events)",
        "SELECT id, explode(priceRanges) FROM nested_events",
        "SELECT dates.start.localDate, e.dates.start, priceRanges[0].min, e.priceRanges[0], "
        "_embedded.venues[0].city.name, _embedded.venues[0] FROM nested_events e",
        "SELECT try_cast(id AS INT), try_cast(e.id AS BIGINT), id::string, CAST(size(priceRanges) AS DOUBLE), "
        "CAST(dates.start.localDate AS DATE), try_cast(priceRanges[0].min AS DECIMAL(5,2)), CAST(id AS VARCHAR(3)), "
        "CAST(size(priceRanges) AS BIGINT) + 1, CAST(size(priceRanges) AS DEC), upper(CAST(id AS STRING)), "
        "CAST(CAST(dates.start.localDate AS DATE) AS TIMESTAMP), CAST(size(priceRanges) > 1 AS BOOLEAN) "
        "FROM nested_events e",
        "SELECT parse_json(s), try_parse_json(s), parse_json(s):a, parse_json(s):a.b, parse_json(s):a[0], "
        "parse_json(s):[0], parse_json(s):['a b'], parse_json(s):a::int, parse_json(s):a[0]::string, "
        "try_cast(parse_json(s):a AS INT), variant_get(parse_json(s), '$.a', 'int'), "
        "try_variant_get(parse_json(s), '$.a', 'int'), variant_get(parse_json(s), '$.a'), "
        "is_variant_null(parse_json(s)), schema_of_variant(parse_json(s)), to_json(parse_json(s)), "
        "typeof(parse_json(s)), CAST(parse_json(s) AS STRING), parse_json('{}') FROM (SELECT '{}' AS s)",
        "SELECT schema_of_variant_agg(parse_json(s)), schema_of_variant_agg(try_parse_json(s):a) "
        "FROM (SELECT '{}' AS s)",
        "SELECT is_variant_null(parse_json(s):a.b[0]), to_json(parse_json(s):[1]), typeof(parse_json(s):a), "
        "schema_of_variant(parse_json(s):a['b c']) FROM (SELECT '{}' AS s)",
        "SELECT CASE WHEN id = 'E1' THEN 'a' ELSE upper(id) END, CASE size(priceRanges) WHEN 1 THEN 'one' "
        "WHEN 2 THEN 'two' END, if(id IS NULL, 0, size(priceRanges)), CASE WHEN id IS NULL THEN 1 END "
        "FROM nested_events",
    ],
)
def test_unnamed_columns_are_named_as_on_databricks(nested, sql):
    spark, user = nested
    assert user.query(sql).columns == spark.sql(sql).columns


def test_a_table_from_a_query_keeps_the_names_databricks_gives(user):
    user.execute("CREATE SCHEMA s")
    user.execute("CREATE TABLE s.t AS SELECT 'kind', id, upper('a') AS up, a[0] FROM (SELECT 1 AS id, array(2) AS a)")
    assert user.query("SELECT * FROM s.t").columns == ["kind", "id", "up", "a[0]"]


def test_a_table_of_casts_keeps_the_cast_columns_names(user):
    user.execute("CREATE SCHEMA s")
    user.execute("CREATE TABLE s.t AS SELECT CAST(id AS STRING), try_cast(k AS INT) FROM (SELECT 7 AS id, 1.5 AS k)")
    assert user.query("SELECT * FROM s.t").rows == [("7", 1)]
    assert user.query("SELECT * FROM s.t").columns == ["id", "k"]
    user.execute("CREATE VIEW s.v AS SELECT try_cast(id AS INT) + 1, CASE id WHEN 7 THEN 'x' END FROM s.t")
    assert user.query("SELECT * FROM s.v").columns == ["(TRY_CAST(id AS INT) + 1)", "CASE WHEN (id = 7) THEN x END"]


def test_a_cast_of_a_script_variable_still_reads_the_variable(user):
    # Named by the cast column rule, the column would be `v`, which DuckDB reads in `v + 1` instead of the variable.
    result = user.execute("BEGIN DECLARE v DOUBLE DEFAULT 5.5; SELECT CAST(v AS INT), v * 2; END")
    assert result.rows == [(5, 11.0)]


def test_a_view_keeps_the_names_databricks_gives(user):
    user.execute("CREATE SCHEMA s")
    user.execute("CREATE VIEW s.v AS SELECT id % 2, count(*), round(avg(id), 1) FROM range(4) GROUP BY id % 2")
    assert user.query("SELECT `(id % 2)`, `count(1)`, `round(avg(id), 1)` FROM s.v ORDER BY 1").rows == [
        (0, 2, 1.0),
        (1, 2, 2.0),
    ]


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("CREATE TABLE s.t AS SELECT upper('a')", "name it with AS"),
        ("CREATE VIEW s.v AS SELECT CAST(2.5 AS INT)", "name it with AS"),
        ("CREATE TABLE s.t AS SELECT count(*) FROM range(3)", r"which Databricks names 'count\(1\)'"),
        ("CREATE TABLE s.t AS SELECT 'a b'", "which Databricks names 'a b'"),
        (
            "CREATE TABLE s.t AS SELECT round(avg(id), 1) FROM range(3)",
            r"which Databricks names 'round\(avg\(id\), 1\)'",
        ),
    ],
)
def test_a_kept_name_the_local_target_cannot_give_is_refused(user, sql, says):
    user.execute("CREATE SCHEMA s")
    with pytest.raises(LakehouseError, match=says):
        user.execute(sql)
    assert user.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 's'").rows == [(0,)]
