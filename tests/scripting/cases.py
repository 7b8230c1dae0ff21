"""Small procedures, one construct each, with the result Databricks semantics give.

Shared by the interpreter tests and the sqlfluff test (the same source must parse as Databricks SQL).
Every procedure runs against the `events` / `audit_log` tables of conftest.SETUP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Case:
    id: str
    source: str
    # (CALL statement, expected rows); rows of the result set the CALL returns.
    calls: list[tuple[str, list[tuple]]]
    # A query run after the calls, and its expected rows (for procedures that change tables).
    check: tuple[str, list[tuple]] | None = None
    # Why sqlfluff's databricks dialect cannot parse this source, when it cannot.
    sqlfluff_gap: str | None = None
    session_setup: list[str] = field(default_factory=list)
    # Session variables and their values after the calls.
    session_vars: dict[str, object] = field(default_factory=dict)
    # Other cases whose procedures this one calls.
    requires: list[str] = field(default_factory=list)


EMPTY_PARAMS_GAP = "sqlfluff 4.5 cannot parse a procedure with an empty parameter list `()`"

CASES: list[Case] = [
    Case(
        "declare_default_and_set",
        """CREATE OR REPLACE PROCEDURE p_declare(IN base INT DEFAULT 1)
LANGUAGE SQL SQL SECURITY INVOKER COMMENT 'DECLARE with DEFAULT, SET'
AS BEGIN
  DECLARE x INT DEFAULT base;
  DECLARE untouched STRING;
  SET x = x + 41;
  SELECT x, untouched IS NULL AS untouched_is_null;
END""",
        [("CALL p_declare()", [(42, True)]), ("CALL p_declare(9)", [(50, True)])],
    ),
    Case(
        "set_back_to_null",
        """CREATE OR REPLACE PROCEDURE p_reset(IN seed INT DEFAULT 3)
LANGUAGE SQL
AS BEGIN
  DECLARE n BIGINT DEFAULT seed;
  DECLARE s STRING DEFAULT 'kept';
  DECLARE d DATE DEFAULT DATE'2025-01-16';
  DECLARE price DECIMAL(10, 2) DEFAULT 2.50;
  SET n = NULL;
  SET s = null;
  SET d = NULL;
  SET price = NULL;
  SET n = coalesce(n, 0) + seed;
  SELECT n, s IS NULL, d IS NULL, price IS NULL;
END""",
        [("CALL p_reset()", [(3, True, True, True)]), ("CALL p_reset(5)", [(5, True, True, True)])],
    ),
    Case(
        "declare_several_names",
        """CREATE OR REPLACE PROCEDURE p_multi(IN seed INT DEFAULT 7)
LANGUAGE SQL
AS BEGIN
  DECLARE a, b INT DEFAULT seed;
  SET b = b + 1;
  SELECT a, b;
END""",
        [("CALL p_multi()", [(7, 8)])],
    ),
    Case(
        "declare_type_from_default",
        """CREATE OR REPLACE PROCEDURE p_infer(IN unused INT DEFAULT 0)
LANGUAGE SQL
AS BEGIN
  DECLARE greeting DEFAULT 'hello';
  DECLARE amount DEFAULT 2.5;
  SELECT greeting || ' world', amount * 2;
END""",
        [("CALL p_infer()", [("hello world", Decimal("5.0"))])],
    ),
    Case(
        "set_var_and_set_variable",
        """CREATE OR REPLACE PROCEDURE p_setvar(IN n INT)
LANGUAGE SQL
AS BEGIN
  DECLARE x INT;
  DECLARE y INT;
  SET VAR x = n;
  SET VARIABLE y = x * 2;
  SET VAR x = x + 1, y = y + x;  -- all right-hand sides use the values before this SET
  SELECT x, y;
END""",
        [("CALL p_setvar(5)", [(6, 15)])],
    ),
    Case(
        "set_scalar_subquery",
        """CREATE OR REPLACE PROCEDURE p_subquery(IN wanted STRING DEFAULT 'onsale')
LANGUAGE SQL
AS BEGIN
  DECLARE n BIGINT;
  DECLARE top_price DECIMAL(10, 2);
  DECLARE nobody STRING DEFAULT 'x';
  SET n = (SELECT count(*) FROM events WHERE status = wanted);
  SET top_price = (SELECT max(price) FROM events WHERE status = wanted);
  SET nobody = (SELECT name FROM events WHERE id = -1);
  SELECT n, top_price, nobody;
END""",
        [
            ("CALL p_subquery()", [(2, Decimal("80.50"), None)]),
            ("CALL p_subquery('cancelled')", [(1, Decimal("25.00"), None)]),
        ],
    ),
    Case(
        "set_row_from_query",
        """CREATE OR REPLACE PROCEDURE p_setrow(IN wanted STRING DEFAULT 'onsale')
LANGUAGE SQL
AS BEGIN
  DECLARE lo INT;
  DECLARE hi INT;
  SET VAR (lo, hi) = (SELECT min(id), max(id) FROM events WHERE status = wanted);
  SELECT lo, hi;
END""",
        [("CALL p_setrow()", [(1, 2)])],
    ),
    Case(
        "variables_in_where_values_select_list",
        """CREATE OR REPLACE PROCEDURE p_leaf(IN min_price DECIMAL(10, 2), IN tag STRING)
LANGUAGE SQL
AS BEGIN
  INSERT INTO audit_log VALUES (1, tag);
  INSERT INTO audit_log SELECT id, tag || ':' || name FROM events WHERE price >= min_price;
  SELECT step, note, tag AS the_tag FROM audit_log ORDER BY step, note;
END""",
        [("CALL p_leaf(50, 'x')", [(1, "x", "x"), (2, "x:Rock show", "x")])],
    ),
    Case(
        "variables_in_update_delete_merge",
        """CREATE OR REPLACE PROCEDURE p_dml(IN target_id INT, IN new_status STRING)
LANGUAGE SQL
AS BEGIN
  UPDATE events SET status = new_status WHERE id = target_id;
  DELETE FROM events WHERE id > target_id + 2;
  MERGE INTO events AS t
  USING (SELECT target_id + 10 AS id, 'Merged ' || new_status AS name) AS s
  ON t.id = s.id
  WHEN MATCHED THEN UPDATE SET name = s.name
  WHEN NOT MATCHED THEN INSERT (id, name, status, price) VALUES (s.id, s.name, new_status, NULL);
END""",
        [("CALL p_dml(1, 'sold_out')", [])],
        check=(
            "SELECT id, name, status FROM events ORDER BY id",
            [
                (1, "Opera night", "sold_out"),
                (2, "Rock show", "onsale"),
                (3, "Jazz brunch", "cancelled"),
                (11, "Merged sold_out", "sold_out"),
            ],
        ),
    ),
    Case(
        "variable_in_create_table_as",
        """CREATE OR REPLACE PROCEDURE p_ctas(IN factor INT)
LANGUAGE SQL
AS BEGIN
  CREATE OR REPLACE TABLE scaled AS SELECT id, id * factor AS scaled_id FROM events WHERE id <= factor;
  SELECT count(*), max(scaled_id) FROM scaled;
END""",
        [("CALL p_ctas(2)", [(2, 4)])],
    ),
    Case(
        "column_wins_over_variable",
        """CREATE OR REPLACE PROCEDURE p_precedence(IN status STRING DEFAULT 'cancelled')
LANGUAGE SQL
AS BEGIN
  -- Inside the query `status` is the column (Databricks name resolution), so every row matches;
  -- without a FROM clause it is the parameter.
  SELECT (SELECT count(*) FROM events WHERE status = status) AS all_rows, status AS parameter;
END""",
        [("CALL p_precedence()", [(4, "cancelled")])],
    ),
    Case(
        "label_qualified_and_shadowing",
        """CREATE OR REPLACE PROCEDURE p_scopes(IN x INT DEFAULT 100)
LANGUAGE SQL
AS BEGIN
  DECLARE result STRING;
  outer_blk: BEGIN
    DECLARE x INT DEFAULT 1;
    inner_blk: BEGIN
      DECLARE x INT DEFAULT 2;
      SET x = x + 10;
      SET outer_blk.x = outer_blk.x + 1;
      SET result = concat_ws(',', p_scopes.x, outer_blk.x, x);
    END inner_blk;
    SET result = result || ';' || x;
  END outer_blk;
  SELECT result, x;
END""",
        [("CALL p_scopes()", [("100,2,12;2", 100)])],
    ),
    Case(
        "if_elseif_else",
        """CREATE OR REPLACE PROCEDURE p_if(IN n INT)
LANGUAGE SQL
AS BEGIN
  DECLARE label STRING;
  IF n > 10 THEN
    SET label = 'big';
  ELSEIF n > 0 THEN
    SET label = 'small';
  ELSEIF n IS NULL THEN
    SET label = 'unknown';
  ELSE
    SET label = 'non-positive';
  END IF;
  SELECT label;
END""",
        [
            ("CALL p_if(50)", [("big",)]),
            ("CALL p_if(3)", [("small",)]),
            ("CALL p_if(NULL)", [("unknown",)]),
            ("CALL p_if(-1)", [("non-positive",)]),
        ],
    ),
    Case(
        "if_null_condition_is_not_true",
        """CREATE OR REPLACE PROCEDURE p_ifnull(IN n INT)
LANGUAGE SQL
AS BEGIN
  DECLARE taken STRING DEFAULT 'none';
  IF n > 0 THEN
    SET taken = 'then';
  ELSE
    SET taken = 'else';
  END IF;
  SELECT taken;
END""",
        [("CALL p_ifnull(NULL)", [("else",)])],
    ),
    Case(
        "simple_case",
        """CREATE OR REPLACE PROCEDURE p_case(IN choice INT)
LANGUAGE SQL
AS BEGIN
  DECLARE fish STRING DEFAULT 'untouched';
  CASE choice
    WHEN 1 THEN SET fish = 'one fish';
    WHEN 2 THEN SET fish = 'two fish';
    WHEN 3 THEN SET fish = 'red fish';
    ELSE SET fish = 'no fish';
  END CASE;
  SELECT fish;
END""",
        [
            ("CALL p_case(3)", [("red fish",)]),
            ("CALL p_case(9)", [("no fish",)]),
            ("CALL p_case(NULL)", [("no fish",)]),
        ],
    ),
    Case(
        "searched_case_without_else",
        """CREATE OR REPLACE PROCEDURE p_case2(IN choice DOUBLE)
LANGUAGE SQL
AS BEGIN
  DECLARE fish STRING DEFAULT 'untouched';
  CASE
    WHEN choice < 2 THEN SET fish = 'one fish';
    WHEN choice < 4 THEN SET fish = 'red fish';
  END CASE;
  SELECT fish;
END""",
        [("CALL p_case2(3.9)", [("red fish",)]), ("CALL p_case2(7)", [("untouched",)])],
    ),
    Case(
        "while_loop",
        """CREATE OR REPLACE PROCEDURE p_while(IN n INT)
LANGUAGE SQL
AS BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE total INT DEFAULT 0;
  WHILE i < n DO
    SET i = i + 1;
    SET total = total + i;
  END WHILE;
  SELECT i, total;
END""",
        [("CALL p_while(10)", [(10, 55)]), ("CALL p_while(0)", [(0, 0)])],
    ),
    Case(
        "repeat_until_runs_body_first",
        """CREATE OR REPLACE PROCEDURE p_repeat(IN n INT)
LANGUAGE SQL
AS BEGIN
  DECLARE i INT DEFAULT 0;
  REPEAT
    SET i = i + 1;
  UNTIL i >= n
  END REPEAT;
  SELECT i;
END""",
        [("CALL p_repeat(3)", [(3,)]), ("CALL p_repeat(-5)", [(1,)])],
    ),
    Case(
        "loop_with_leave",
        """CREATE OR REPLACE PROCEDURE p_loop(IN n INT)
LANGUAGE SQL
AS BEGIN
  DECLARE i INT DEFAULT 0;
  counting: LOOP
    SET i = i + 1;
    IF i >= n THEN
      LEAVE counting;
    END IF;
  END LOOP counting;
  SELECT i;
END""",
        [("CALL p_loop(4)", [(4,)])],
    ),
    Case(
        "leave_and_iterate_in_nested_loops",
        """CREATE OR REPLACE PROCEDURE p_nested(IN n INT)
LANGUAGE SQL
AS BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE j INT;
  DECLARE pairs STRING DEFAULT '';
  outer_loop: WHILE i < n DO
    SET i = i + 1;
    SET j = 0;
    inner_loop: LOOP
      SET j = j + 1;
      IF j > i THEN
        ITERATE outer_loop;
      END IF;
      IF j = 2 THEN
        ITERATE inner_loop;
      END IF;
      IF i = 4 THEN
        LEAVE outer_loop;
      END IF;
      SET pairs = pairs || i || j || ' ';
    END LOOP inner_loop;
  END WHILE outer_loop;
  SELECT i, j, trim(pairs);
END""",
        [("CALL p_nested(10)", [(4, 1, "11 21 31 33")])],
    ),
    Case(
        "leave_a_block",
        """CREATE OR REPLACE PROCEDURE p_leave_block(IN stop_early BOOLEAN)
LANGUAGE SQL
AS BEGIN
  DECLARE steps STRING DEFAULT 'a';
  work: BEGIN
    SET steps = steps || 'b';
    IF stop_early THEN
      LEAVE work;
    END IF;
    SET steps = steps || 'c';
  END work;
  SET steps = steps || 'd';
  SELECT steps;
END""",
        [("CALL p_leave_block(true)", [("abd",)]), ("CALL p_leave_block(false)", [("abcd",)])],
    ),
    Case(
        "for_loop_over_query",
        """CREATE OR REPLACE PROCEDURE p_for(IN wanted STRING DEFAULT 'onsale')
LANGUAGE SQL
AS BEGIN
  DECLARE total DECIMAL(10, 2) DEFAULT 0;
  DECLARE names STRING DEFAULT '';
  FOR ev AS SELECT id, name, price FROM events WHERE status = wanted ORDER BY id DO
    SET total = total + ev.price;
    SET names = names || name || ';';
    INSERT INTO audit_log VALUES (ev.id, name);
  END FOR;
  SELECT total, names, (SELECT count(*) FROM audit_log) AS logged;
END""",
        [("CALL p_for()", [(Decimal("125.50"), "Opera night;Rock show;", 2)])],
    ),
    Case(
        "for_loop_with_labels",
        """CREATE OR REPLACE PROCEDURE p_for_labels(IN limit_n INT)
LANGUAGE SQL
AS BEGIN
  DECLARE total INT DEFAULT 0;
  sum_odd: FOR row AS SELECT num FROM range(1, 20) AS t(num) DO
    IF num > limit_n THEN
      LEAVE sum_odd;
    ELSEIF num % 2 = 0 THEN
      ITERATE sum_odd;
    END IF;
    SET total = total + row.num;
  END FOR sum_odd;
  SELECT total;
END""",
        [("CALL p_for_labels(10)", [(25,)])],
    ),
    Case(
        "out_and_inout_parameters",
        """CREATE OR REPLACE PROCEDURE area_of_rectangle(IN x INT, IN y INT, OUT area INT, INOUT acc INT)
LANGUAGE SQL
SQL SECURITY INVOKER
AS BEGIN
  SET area = x * y;
  SET acc = acc + area;
  SELECT 'Area of rectangle is: ' || area;
END""",
        [
            ("CALL area_of_rectangle(5, 10, area, acc)", [("Area of rectangle is: 50",)]),
            ("CALL area_of_rectangle(y => 10, x => 5, area => area, acc => acc)", [("Area of rectangle is: 50",)]),
        ],
        session_setup=["DECLARE area INT", "DECLARE acc INT DEFAULT 10"],
        session_vars={"area": 50, "acc": 110},
    ),
    Case(
        "out_parameters_returned_without_result_set",
        """CREATE OR REPLACE PROCEDURE p_out(IN wanted STRING, OUT how_many BIGINT, OUT cheapest DECIMAL(10, 2))
LANGUAGE SQL
AS BEGIN
  SET how_many = (SELECT count(*) FROM events WHERE status = wanted);
  SET cheapest = (SELECT min(price) FROM events WHERE status = wanted);
END""",
        [("CALL p_out('onsale', n, c)", [(2, Decimal("45.00"))])],
        session_setup=["DECLARE n BIGINT", "DECLARE c DECIMAL(10, 2)"],
        session_vars={"n": 2, "c": Decimal("45.00")},
    ),
    Case(
        "named_arguments_and_defaults",
        """CREATE OR REPLACE PROCEDURE p_named(IN a INT, IN b INT DEFAULT 10, IN c STRING DEFAULT 'dflt')
LANGUAGE SQL
AS BEGIN
  SELECT a, b, c;
END""",
        [
            ("CALL p_named(1)", [(1, 10, "dflt")]),
            ("CALL p_named(c => 'x', a => 2)", [(2, 10, "x")]),
            ("CALL p_named(3, c => 'y')", [(3, 10, "y")]),
            ("CALL p_named(4, DEFAULT, 'z')", [(4, 10, "z")]),
        ],
    ),
    Case(
        "exit_handler_on_failing_statement",
        """CREATE OR REPLACE PROCEDURE p_exit(IN bad STRING)
LANGUAGE SQL
AS BEGIN
  DECLARE msg STRING DEFAULT 'none';
  DECLARE state STRING;
  DECLARE steps STRING DEFAULT '';
  guarded: BEGIN
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
      BEGIN
        GET DIAGNOSTICS CONDITION 1 msg = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
        SET steps = steps || 'handled;';
      END;
    SET steps = steps || 'before;';
    INSERT INTO audit_log VALUES (CAST(bad AS INT), 'never');
    SET steps = steps || 'after;';
  END guarded;
  SET steps = steps || 'next;';
  SELECT steps, state, msg LIKE '%Could not convert%' AS has_duckdb_text;
END""",
        [("CALL p_exit('not a number')", [("before;handled;next;", "22018", True)])],
        check=("SELECT count(*) FROM audit_log", [(0,)]),
    ),
    Case(
        "continue_handler_resumes_after_statement",
        """CREATE OR REPLACE PROCEDURE p_continue(IN bad STRING)
LANGUAGE SQL
AS BEGIN
  DECLARE errors INT DEFAULT 0;
  DECLARE steps STRING DEFAULT '';
  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET errors = errors + 1;
  SET steps = steps || 'a';
  INSERT INTO audit_log VALUES (CAST(bad AS INT), 'never');
  SET steps = steps || 'b';
  IF CAST(bad AS INT) > 0 THEN
    SET steps = steps || 'then';
  END IF;
  SET steps = steps || 'c';
  SELECT steps, errors;
END""",
        [("CALL p_continue('x')", [("abc", 2)])],
    ),
    Case(
        "handler_specificity_and_scope",
        """CREATE OR REPLACE PROCEDURE p_specific(IN kind STRING)
LANGUAGE SQL
AS BEGIN
  DECLARE caught STRING DEFAULT 'none';
  DECLARE not_ready CONDITION FOR SQLSTATE '45001';
  BEGIN
    DECLARE EXIT HANDLER FOR SQLEXCEPTION SET caught = 'generic';
    DECLARE EXIT HANDLER FOR SQLSTATE '22018' SET caught = 'sqlstate 22018';
    DECLARE EXIT HANDLER FOR not_ready SET caught = 'condition not_ready';
    IF kind = 'cast' THEN
      SET caught = CAST('x' AS INT);
    ELSEIF kind = 'signal' THEN
      SIGNAL not_ready SET MESSAGE_TEXT = 'not ready yet';
    ELSE
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'other';
    END IF;
  END;
  SELECT caught;
END""",
        [
            ("CALL p_specific('cast')", [("sqlstate 22018",)]),
            ("CALL p_specific('signal')", [("condition not_ready",)]),
            ("CALL p_specific('other')", [("generic",)]),
        ],
    ),
    Case(
        "handler_does_not_handle_its_own_body",
        """CREATE OR REPLACE PROCEDURE p_outer_handler(IN unused INT DEFAULT 0)
LANGUAGE SQL
AS BEGIN
  DECLARE trail STRING DEFAULT '';
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
      DECLARE msg STRING;
      GET DIAGNOSTICS CONDITION 1 msg = MESSAGE_TEXT;
      SET trail = trail || 'outer:' || msg;
      SELECT trail;
    END;
  BEGIN
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
      BEGIN
        SET trail = trail || 'inner;';
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'from inner handler';
      END;
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'first';
  END;
  SELECT 'not reached';
END""",
        [("CALL p_outer_handler()", [("inner;outer:from inner handler",)])],
    ),
    Case(
        "resignal_reaches_outer_handler",
        """CREATE OR REPLACE PROCEDURE p_resignal(IN unused INT DEFAULT 0)
LANGUAGE SQL
AS BEGIN
  DECLARE seen STRING DEFAULT '';
  DECLARE EXIT HANDLER FOR SQLSTATE '45002'
    BEGIN
      DECLARE m STRING;
      DECLARE s STRING;
      GET DIAGNOSTICS CONDITION 1 m = MESSAGE_TEXT, s = RETURNED_SQLSTATE;
      SELECT seen || 'outer saw ' || s || ' ' || m;
    END;
  BEGIN
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
      BEGIN
        SET seen = 'inner logged; ';
        RESIGNAL;
      END;
    SIGNAL SQLSTATE '45002' SET MESSAGE_TEXT = 'quota exceeded';
  END;
END""",
        [("CALL p_resignal()", [("inner logged; outer saw 45002 quota exceeded",)])],
    ),
    Case(
        "execute_immediate",
        """CREATE OR REPLACE PROCEDURE p_exec(IN tbl STRING DEFAULT 'events')
LANGUAGE SQL
AS BEGIN
  DECLARE stmt STRING;
  DECLARE n BIGINT;
  DECLARE lo INT;
  DECLARE hi INT;
  DECLARE arg1 INT DEFAULT 5;
  DECLARE arg2 INT DEFAULT 6;
  SET stmt = 'SELECT count(*) FROM ' || tbl || ' WHERE status = ?';
  EXECUTE IMMEDIATE stmt INTO n USING 'onsale';
  EXECUTE IMMEDIATE 'SELECT min(id), max(id) FROM events WHERE id >= :first' INTO lo, hi USING (2 AS first);
  EXECUTE IMMEDIATE 'INSERT INTO audit_log VALUES (?, ?)' USING arg1, 'dynamic';
  EXECUTE IMMEDIATE 'SELECT sum(c1) FROM (VALUES (:arg1), (:arg2)) AS t(c1)' USING arg1, arg2;
END""",
        [("CALL p_exec()", [(11,)])],
        check=("SELECT step, note FROM audit_log", [(5, "dynamic")]),
    ),
    Case(
        "last_query_is_the_result",
        """CREATE OR REPLACE PROCEDURE p_last(IN pick INT)
LANGUAGE SQL
AS BEGIN
  SELECT 'first';
  IF pick = 2 THEN
    VALUES ('second');
  END IF;
  INSERT INTO audit_log VALUES (pick, 'dml does not replace the result');
END""",
        [("CALL p_last(1)", [("first",)]), ("CALL p_last(2)", [("second",)])],
    ),
    Case(
        "nested_call",
        """CREATE OR REPLACE PROCEDURE p_caller(IN a INT)
LANGUAGE SQL
AS BEGIN
  DECLARE area INT;
  DECLARE acc INT DEFAULT 1;
  CALL area_of_rectangle(a, a + 1, area, acc);
  SELECT area, acc;
END""",
        [("CALL p_caller(3)", [(12, 13)])],
        requires=["out_and_inout_parameters"],
    ),
    Case(
        "empty_parameter_list",
        """CREATE OR REPLACE PROCEDURE p_noparams()
LANGUAGE SQL
AS BEGIN
  SELECT count(*) FROM events;
END""",
        [("CALL p_noparams()", [(4,)]), ("CALL p_noparams", [(4,)])],
        sqlfluff_gap=EMPTY_PARAMS_GAP,
    ),
]
