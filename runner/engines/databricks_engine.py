"""The Databricks engine: statements to a SQL warehouse through databricks-sql-connector.

Authentication is databricks-sdk's unified auth (DATABRICKS_HOST with a token, OAuth, or a
profile in ~/.databrickscfg), so every method the SDK knows works here without code of ours. The
host is probed and the connector's retries are limited (workspace/connection.py), so a wrong
host fails in seconds with one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runner.config import Target
from runner.engines.base import Params, QueryResult
from runner.errors import LakehouseError


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
            # Lazily: reaching a workspace (probe, retry limits) lives in the workspace package, which
            # builds on runner; only this engine's first connection needs it.
            from workspace.connection import connection_error, limits, quiet_client_logs, sdk_config

            # The order a user fixes them: the workspace and credentials, then the warehouse.
            config = self._sdk_config or sdk_config(self.target)
            http_path = warehouse_http_path(self.target)
            connect = self._connect
            if connect is None:
                quiet_client_logs()
                from databricks import sql

                connect = sql.connect
            host = (config.host or "").removeprefix("https://").removeprefix("http://").rstrip("/")
            # The connector takes the port apart from the host name (a workspace URL rarely has one).
            server, _, port = host.partition(":")
            extra = {"_port": int(port)} if port.isdigit() else {}
            try:
                # The connector asks for a factory of header factories; the SDK's authenticate() is one.
                self._connection = connect(
                    server_hostname=server if extra else host,
                    http_path=http_path,
                    credentials_provider=lambda: config.authenticate,
                    **limits().connector,
                    **extra,
                )
            except LakehouseError:
                raise
            except Exception as exc:
                raise connection_error(host, http_path, exc) from exc
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
