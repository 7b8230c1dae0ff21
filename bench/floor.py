"""`python -m bench.floor LANDING`: print the seconds DuckDB takes to read all landed JSON once."""

from __future__ import annotations

import sys
import time

import duckdb


def main(landing: str) -> None:
    pattern = f"{landing}/*/*/*/*/*.json"
    connection = duckdb.connect()
    # DuckDB imports pandas at the first bound parameter (0.3 s): not part of reading the JSON.
    connection.execute("SELECT ?", [0]).fetchall()
    started = time.perf_counter()
    connection.execute(
        "SELECT count(*) FROM read_json(?, format = 'newline_delimited', union_by_name = true, "
        "maximum_object_size = 268435456)",
        [pattern],
    ).fetchall()
    print(f"{time.perf_counter() - started:.4f}")


if __name__ == "__main__":
    main(sys.argv[1])
