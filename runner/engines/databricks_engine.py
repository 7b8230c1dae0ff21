"""The Databricks engine: statements to a SQL warehouse through databricks-sql-connector.

Authentication is databricks-sdk's unified auth (DATABRICKS_HOST with a token, OAuth, or a
profile in ~/.databrickscfg), so every method the SDK knows works here without code of ours.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner.config import Target
from runner.engines.base import Params, QueryResult
from runner.errors import LakehouseError


def _sdk_config(target: Target):
    from databricks.sdk.core import Config

    try:
        return Config(profile=target.profile) if target.profile else Config()
    except Exception as exc:  # the SDK raises ValueError subclasses with its own advice
        raise LakehouseError(
            "Databricks authentication is not configured: set DATABRICKS_HOST and DATABRICKS_TOKEN (or "
            "another method of databricks-sdk unified auth), or name a profile with DATABRICKS_CONFIG_PROFILE. "
            f"The SDK said: {exc}"
        ) from exc


def warehouse_http_path(target: Target) -> str:
    if target.http_path:
        return target.http_path
    if target.warehouse_id:
        return f"/sql/1.0/warehouses/{target.warehouse_id}"
    raise LakehouseError(
        "No SQL warehouse configured for the databricks target: set DATABRICKS_WAREHOUSE_ID (or "
        "DATABRICKS_HTTP_PATH), or warehouse_id in the [workspace] section of lakehouse.toml."
    )


class DatabricksEngine:
    dialect = "databricks"

    def __init__(self, target: Target, *, connect: Callable[..., Any] | None = None, sdk_config: Any = None):
        self.target = target
        self._connect = connect
        self._sdk_config = sdk_config
        self._connection: Any = None

    def _open(self) -> Any:
        if self._connection is None:
            http_path = warehouse_http_path(self.target)
            config = self._sdk_config or _sdk_config(self.target)
            connect = self._connect
            if connect is None:
                from databricks import sql

                connect = sql.connect
            host = (config.host or "").removeprefix("https://").removeprefix("http://").rstrip("/")
            # The connector asks for a factory of header factories; the SDK's authenticate() is one.
            self._connection = connect(
                server_hostname=host,
                http_path=http_path,
                credentials_provider=lambda: config.authenticate,
            )
        return self._connection

    def execute(self, sql: str, params: Params = None, *, origin: str | None = None, line: int = 1) -> QueryResult:
        connection = self._open()
        with connection.cursor() as cursor:
            cursor.execute(sql, params) if params is not None else cursor.execute(sql)
            if not cursor.description:
                return QueryResult()
            return QueryResult([d[0] for d in cursor.description], [tuple(r) for r in cursor.fetchall()])

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
