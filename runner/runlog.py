"""The runner's side of gold.etl_log: one row per run and one per step, on either target.

Values travel as bound parameters (`?` markers: DuckDB and the Databricks connector's native
parameters both take them). The log never decides a run's fate: if the table is missing (not
deployed yet) or a write fails, the run goes on and says once that it is not logging.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from runner.config import Target
from runner.engines.base import Engine
from runner.project import Renderer

ETL_LOG = "etl_log"
RUNNER = "runner"
T = TypeVar("T")
Say = Callable[[str], None]

# The statements (sql/runner/etl_log_*.sql), rendered once per log.
_INSERT = "runner/etl_log_steps.sql"
_FINISH = "runner/etl_log_finish_run.sql"
_ABANDON = "runner/etl_log_abandoned_runs.sql"
ABANDONED = "the run ended without finishing (the process was killed or crashed); marked by the next run"
# Locally one process at a time opens the lakehouse, so no one reads the log while a run writes it, and
# every write is a commit: steps are written together, at the latest FLUSH_S after the last write and
# at once when one fails. A killed process loses at most the steps of its last FLUSH_S.
FLUSH_S = 2.0
# Long messages (a failing statement quoted whole) stay readable in a terminal and a table cell.
MAX_ERROR_CHARS = 4000


def now() -> datetime:
    return datetime.now(UTC)


def new_run_id(at: datetime | None = None) -> str:
    # Sortable by time, unique without coordination.
    return f"{(at or now()):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


@dataclass
class _Row:
    step_number: int | None
    step_name: str
    description: str
    started_at: datetime
    ended_at: datetime | None
    rows_affected: int | None
    status: str
    error: str | None


class RunLog:
    """Collects the rows of one run; writes them once an engine is attached, then as they happen."""

    def __init__(self, target: Target, say: Say = print, command: str = "lakehouse run"):
        self.command = command
        self.started_at = now()
        self.run_id = new_run_id(self.started_at)
        self.table = target.qualify("gold", ETL_LOG)
        self._target = target
        self._statements: dict[tuple[str, int], str] = {}
        self._renderer: Renderer | None = None
        self._queue: list[_Row] = []
        self._batched = target.is_local
        self._written_at = time.monotonic()
        # Locally DuckDB lets one process write at a time: a run still `running` when this one opened
        # the database belongs to a process that is gone. On Databricks two runs can overlap.
        self._close_abandoned = target.is_local
        self._say = say
        self._engine: Engine | None = None
        self._pending: list[_Row] = []
        self._steps = 0
        self.enabled = True

    def quiet(self) -> None:
        """Stop saying that the log cannot be written: for a run that failed before the lakehouse existed."""
        self._say = lambda _message: None

    @property
    def attached(self) -> bool:
        return self._engine is not None

    def attach(self, engine: Engine) -> None:
        """Register the run as running (procedures called in it find its id), then flush what waited."""
        self._engine = engine
        if self._close_abandoned:
            self._run(_ABANDON, [now(), ABANDONED, self.run_id])
        self._queue = [_Row(0, "run", self.command, self.started_at, None, None, "running", None), *self._pending]
        self._pending = []
        self.flush()

    def record(
        self,
        name: str,
        description: str,
        started_at: datetime,
        *,
        rows: int | None = None,
        error: BaseException | str | None = None,
    ) -> None:
        self._steps += 1
        status = "failed" if error is not None else "succeeded"
        message = None if error is None else (str(error) or type(error).__name__)[:MAX_ERROR_CHARS]
        row = _Row(self._steps, name, description[:500], started_at, now(), rows, status, message)
        if self._engine is None:
            self._pending.append(row)
            return
        self._queue.append(row)
        if not self._batched or error is not None or time.monotonic() - self._written_at >= FLUSH_S:
            self.flush()

    def timed(self, name: str, description: str, action: Callable[[], T]) -> T:
        """Run an action as one logged step; a failure is logged with its error, then raised."""
        started = now()
        try:
            result = action()
        except BaseException as exc:
            self.record(name, description, started, error=exc)
            raise
        self.record(name, description, started)
        return result

    def finish(self, error: BaseException | str | None = None) -> None:
        if self._engine is None or not self.enabled:
            return
        self.flush()
        message = None if error is None else (str(error) or type(error).__name__)[:MAX_ERROR_CHARS]
        status = "failed" if error is not None else "succeeded"
        self._run(_FINISH, [now(), status, message, self.run_id])

    def flush(self) -> None:
        """Write the rows recorded since the last write, in one statement."""
        rows, self._queue = self._queue, []
        self._written_at = time.monotonic()
        if not rows or not self.enabled or self._engine is None:
            return
        params = [
            value
            for row in rows
            for value in (
                self.run_id, row.step_number, row.step_name, row.description, row.started_at, row.ended_at,
                row.rows_affected, row.status, row.error, RUNNER,
            )
        ]  # fmt: skip
        self._run(_INSERT, params, rows=len(rows))

    def _run(self, statement: str, params: list, rows: int = 0) -> None:
        assert self._engine is not None
        try:
            if (statement, rows) not in self._statements:
                self._renderer = self._renderer or Renderer(self._target)
                self._statements[statement, rows] = self._renderer.render_statement(statement, rows=rows)
            self._engine.execute(self._statements[statement, rows], params)
        except Exception as exc:
            self.enabled = False
            self._say(f"run log: not writing {self.table} ({exc}); deploy creates it (`lakehouse deploy`).")
