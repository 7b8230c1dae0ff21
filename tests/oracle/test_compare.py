"""The comparison the differential tests rely on tells equal results from different ones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from tests.oracle.compare import compare_rows


def test_rows_are_compared_as_a_multiset():
    assert compare_rows([(1, "a"), (2, "b")], [(2, "b"), (1, "a")]) is None
    difference = compare_rows([(1, "a"), (1, "a")], [(1, "a")])
    assert difference is not None and difference.only_databricks == [(1, "a")]


def test_null_is_not_a_value():
    assert compare_rows([(None,)], [("",)]) is not None
    assert compare_rows([(None,)], [(0,)]) is not None


def test_floating_point_is_equal_within_the_tolerance_only():
    assert compare_rows([(0.1 + 0.2, "x")], [(0.3, "x")]) is None
    assert compare_rows([(1e20 + 1e5,)], [(1e20,)]) is None
    assert compare_rows([(0.3,)], [(0.30001,)]) is not None


def test_a_rounded_decimal_differs_from_the_double():
    # What Databricks' DECIMAL average gave against DuckDB's double before the summary was fixed.
    assert compare_rows([(Decimal("0.02434"),)], [(0.024340770791075,)]) is not None
    assert compare_rows([(Decimal("100.0"),)], [(100.0,)]) is None
    assert compare_rows([(Decimal("3"),)], [(3,)]) is None


def test_timestamps_compare_as_instants():
    naive_utc = datetime(2025, 1, 1, 12, 0)
    aware = datetime(2025, 1, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert compare_rows([(naive_utc,)], [(aware,)]) is None
    assert compare_rows([(naive_utc,)], [(naive_utc + timedelta(microseconds=1),)]) is not None


def test_a_timestamp_taken_during_the_comparison_is_now_on_both_sides():
    started = datetime.now(UTC).replace(tzinfo=None)
    later = started + timedelta(milliseconds=5)
    window = (started, later + timedelta(seconds=1))
    assert compare_rows([(started,)], [(later,)], window) is None
    assert compare_rows([(started - timedelta(days=1),)], [(later,)], window) is not None


def test_structs_and_lists_compare_field_by_field():
    spark_side = [({"ID": "1", "names": ["a", None]}, date(2025, 1, 1))]
    assert compare_rows(spark_side, [({"id": "1", "names": ["a", None]}, date(2025, 1, 1))]) is None
    assert compare_rows(spark_side, [({"id": "1", "names": ["a"]}, date(2025, 1, 1))]) is not None


def test_a_different_number_of_columns_is_reported():
    difference = compare_rows([(1, 2)], [(1,)])
    assert difference is not None and "column" in difference.problem
