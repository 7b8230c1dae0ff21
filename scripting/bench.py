"""Timing of the interpreter's hot path: a WHILE loop with a SET and an IF per iteration."""

from __future__ import annotations

import time

import duckdb

BENCH_PROCEDURE = """
CREATE OR REPLACE PROCEDURE bench_while(IN n INT DEFAULT 10000, OUT evens INT)
LANGUAGE SQL
SQL SECURITY INVOKER
AS BEGIN
  DECLARE i INT DEFAULT 0;
  SET evens = 0;
  WHILE i < n DO
    SET i = i + 1;
    IF i % 2 = 0 THEN
      SET evens = evens + 1;
    END IF;
  END WHILE;
END
"""


def benchmark_while_loop(iterations: int = 10_000) -> float:
    """Seconds per iteration of a WHILE loop doing a SET and an IF, on an in-memory database."""
    from scripting import ScriptingSession

    conn = duckdb.connect()
    try:
        session = ScriptingSession(conn)
        session.execute(BENCH_PROCEDURE)
        started = time.perf_counter()
        result = session.call("bench_while", iterations)
        elapsed = time.perf_counter() - started
        if result.out_params.get("evens") != iterations // 2:
            raise RuntimeError(f"benchmark procedure returned {result.out_params}, expected {iterations // 2} evens")
        return elapsed / max(iterations, 1)
    finally:
        conn.close()


if __name__ == "__main__":
    per = benchmark_while_loop()
    print(f"WHILE loop: {per * 1e6:.0f} us per iteration ({per * 10_000:.2f} s for 10,000)")
