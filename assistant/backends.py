"""Where search and ask run: the local DuckDB lakehouse, or a Databricks SQL warehouse.

Both offer the same four things to the commands: retrieve events, run a validated query, describe
the gold schema, and (Databricks only) complete a prompt through ai_query().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from assistant.databricks import ai_query_sql, gold_columns_sql, vector_search_sql
from assistant.embedder import Embedder, default_embedder
from assistant.index import SyncReport, sync_embeddings
from assistant.keywords import refresh_keyword_index
from assistant.retrieval import Hit, IndexNotBuilt, LocalSearchIndex
from assistant.settings import AssistantSettings
from runner.config import Target
from runner.engines import open_engine
from runner.engines.base import Engine, QueryResult
from runner.errors import LakehouseError

Say = Callable[[str], None]


class Backend(Protocol):
    def retrieve(self, query: str, limit: int, method: str = "hybrid") -> list[Hit]: ...

    def run_query(self, sql: str) -> QueryResult: ...

    def gold_columns(self) -> QueryResult: ...

    def close(self) -> None: ...


class LocalBackend:
    """``embed_before_s``: how long a search may spend embedding before it answers (None: until done).

    The default is none: a search answers at once, from keywords for the events without a vector.
    """

    def __init__(
        self, target: Target, embedder: Embedder | None = None, say: Say = print, embed_before_s: float | None = 0.0
    ):
        self.target = target
        self.embedder = embedder or default_embedder()
        self.say = say
        self.embed_before_s = embed_before_s
        self._index: LocalSearchIndex | None = None
        self.remaining = 0  # documents without a current vector after the last sync

    def sync(self, budget_s: float | None = None) -> SyncReport:
        """Embed what changed since the last search (all of it, or for ``budget_s`` seconds); needs the
        lakehouse for writing, a chunk at a time."""
        if not self.target.database_path.exists():
            # Opening for writing would create an empty lakehouse file; say what is missing instead.
            raise LakehouseError(f"No local lakehouse at {self.target.database_path} yet. Run `lakehouse run` first.")
        engine = open_engine(self.target)
        try:
            # Runs keep the keyword index current; this catches a lakehouse built before they did.
            keywords = refresh_keyword_index(engine.connection)  # type: ignore[attr-defined]
            if keywords.indexed or keywords.removed:
                self.say(keywords.summary())
            report = sync_embeddings(
                engine.connection,  # type: ignore[attr-defined]
                self.embedder,
                self.say,
                budget_s=budget_s,
            )
        finally:
            engine.close()
        self.remaining = report.remaining
        if report.embedded or report.removed:
            self.say(report.summary())
        return report

    def index(self) -> LocalSearchIndex:
        if self._index is None:
            index = self._current_index() if self.embed_before_s == 0 else None
            if index is None:
                # The lakehouse is opened for writing only when there is something to write.
                self.sync(self.embed_before_s)
                index = LocalSearchIndex(self.target.database_path, self.embedder)
            self.remaining = index.size - index.vectors
            self._index = index
        return self._index

    def _current_index(self) -> LocalSearchIndex | None:
        """The index as the last run left it, if its keyword side covers every event as it is now."""
        try:
            index = LocalSearchIndex(self.target.database_path, self.embedder)
        except IndexNotBuilt:
            return None
        if index.keywords_current():
            return index
        index.close()
        return None

    def retrieve(self, query: str, limit: int, method: str = "hybrid") -> list[Hit]:
        try:
            return self.index().search(query, limit, method)
        finally:
            # The lakehouse is not held open while `ask` waits for a model: a run may start meanwhile.
            self.close()

    def run_query(self, sql: str) -> QueryResult:
        engine = open_engine(self.target, read_only=True)
        try:
            # Defence in depth behind validate.py: no file or network access from generated SQL.
            engine.connection.execute("SET enable_external_access = false")  # type: ignore[attr-defined]
            # The model's SQL and the certified questions are Databricks SQL: translated, or refused.
            from usersql.session import UserSql

            return UserSql(engine).query(sql)
        except LakehouseError:
            raise
        except Exception as exc:
            raise LakehouseError(f"the query failed: {exc}") from exc
        finally:
            engine.close()

    def gold_columns(self) -> QueryResult:
        engine = open_engine(self.target, read_only=True)
        try:
            return engine.execute(
                """SELECT c.table_name, c.column_name, c.data_type, c.comment AS column_comment,
                       t.comment AS table_comment
                FROM duckdb_columns() AS c
                JOIN duckdb_tables() AS t
                    ON t.database_name = c.database_name AND t.schema_name = c.schema_name
                    AND t.table_name = c.table_name
                WHERE c.schema_name = ? AND c.database_name = current_database()
                ORDER BY c.table_name, c.column_index""",
                [self.target.schemas["gold"]],
            )
        finally:
            engine.close()

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


class DatabricksBackend:
    def __init__(self, target: Target, settings: AssistantSettings, engine: Engine | None = None):
        self.target = target
        self.settings = settings
        self.engine = engine or open_engine(target)
        self._user_sql: Any = None

    def retrieve(self, query: str, limit: int, method: str = "hybrid") -> list[Hit]:
        if method != "hybrid":
            raise LakehouseError("on Databricks, search uses the index's hybrid mode; --method applies to local.")
        result = self.engine.execute(vector_search_sql(self.settings.index_name(self.target), limit), {"query": query})
        hits = []
        for row in result.rows:
            record = dict(zip(result.columns, row, strict=True))
            hits.append(
                Hit(
                    event_id=record["event_id"],
                    score=float(record["search_score"]),
                    event_key=record.get("event_key"),
                    event_name=record.get("event_name"),
                    start_local_date=record.get("start_local_date"),
                    venue_name=record.get("venue_name"),
                    city_name=record.get("city_name"),
                    status_code=record.get("status_code"),
                    document=record.get("document") or "",
                )
            )
        return hits

    def run_query(self, sql: str) -> QueryResult:
        from usersql.session import UserSql

        try:
            # The one read-only path: parsed as one query before it is sent, with the statement timeout.
            if self._user_sql is None:
                self._user_sql = UserSql(self.engine)
            return self._user_sql.query(sql)
        except LakehouseError:
            raise
        except Exception as exc:
            raise LakehouseError(f"the query failed: {exc}") from exc

    def gold_columns(self) -> QueryResult:
        return self.engine.execute(gold_columns_sql(self.target))

    def complete(self, prompt: str) -> str:
        result = self.engine.execute(ai_query_sql(self.settings.ai_query_model), {"prompt": prompt})
        return str(result.rows[0][0]) if result.rows else ""

    def close(self) -> None:
        self.engine.close()


def open_backend(target: Target, settings: AssistantSettings, say: Say = print) -> LocalBackend | DatabricksBackend:
    return LocalBackend(target, say=say) if target.is_local else DatabricksBackend(target, settings)
