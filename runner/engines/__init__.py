"""Engines run rendered SQL on a target: DuckDB locally, a SQL warehouse on Databricks."""

from __future__ import annotations

from runner.config import Target
from runner.engines.base import Engine, QueryResult


def open_engine(target: Target, *, read_only: bool = False) -> Engine:
    if target.is_local:
        from runner.engines.duckdb_engine import DuckDBEngine

        return DuckDBEngine(target, read_only=read_only)
    from runner.engines.databricks_engine import DatabricksEngine

    return DatabricksEngine(target)


__all__ = ["Engine", "QueryResult", "open_engine"]
