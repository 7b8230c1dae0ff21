"""The splitter sends the warehouse one statement at a time and never cuts a compound block."""

import pytest

from runner.splitter import split_statements

PROCEDURE = """
CREATE OR REPLACE PROCEDURE p(IN n INT) LANGUAGE SQL AS BEGIN
  DECLARE x INT DEFAULT 0;
  outer: WHILE x < n DO
    SET x = CASE WHEN x > 1 THEN x + 1 ELSE x + 2 END;
    IF x = 2 THEN ITERATE outer; END IF;
    CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 'a;b'; END CASE;
    BEGIN SELECT 1; END;
  END WHILE outer;
END"""


def test_semicolons_inside_quotes_and_comments_do_not_split():
    statements = split_statements("SELECT 'a;b', \"c;d\", `e;f` -- g;\n; /* h; */ SELECT 2;")
    assert [s.sql for s in statements] == ["SELECT 'a;b', \"c;d\", `e;f` -- g;", "/* h; */ SELECT 2"]


def test_procedure_body_stays_one_statement():
    statements = split_statements(f"CREATE TABLE t (x INT);{PROCEDURE};\nCALL p(3);")
    assert [s.first_keyword for s in statements] == ["CREATE", "CREATE", "CALL"]
    assert statements[1].sql.endswith("END WHILE outer;\nEND")


def test_transaction_begin_is_not_a_block():
    statements = split_statements("BEGIN TRANSACTION; INSERT INTO t VALUES (1); COMMIT;")
    assert [s.first_keyword for s in statements] == ["BEGIN", "INSERT", "COMMIT"]


def test_line_numbers_point_at_each_statement():
    statements = split_statements("SELECT 1;\n\nSELECT\n 2;")
    assert [s.line for s in statements] == [1, 3]


@pytest.mark.parametrize("text", ["BEGIN SELECT 1;", "SELECT 'unterminated"])
def test_unclosed_blocks_and_quotes_are_reported(text):
    with pytest.raises(ValueError):
        split_statements(text)


def test_words_that_only_contain_block_words_open_nothing():
    sql = "SELECT t.end, weekend, $case, case_id, Begin_at FROM t; begin SELECT 1; End; SELECT 3"
    assert [s.sql for s in split_statements(sql)] == [
        "SELECT t.end, weekend, $case, case_id, Begin_at FROM t",
        "begin SELECT 1; End",
        "SELECT 3",
    ]
