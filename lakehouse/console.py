"""What `run`, `deploy` and `test` print: one line per object, a live progress line, a closing summary.

Colour and the live line appear only on a terminal (rich decides, and honours NO_COLOR); piped
output is plain text. `-q` keeps errors and the summary, `-v` adds every statement. The statement
level detail always goes to a log file beside the data (logs/lakehouse.log).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

from rich.console import Console as RichConsole
from rich.text import Text

LOG_NAME = "lakehouse.log"
PIPED_WIDTH = 160
STYLES = {"OK": "green", "WARN": "yellow", "ERROR": "bold red", "FAIL": "bold red", "SKIP": "dim"}
# Statements that keep the runner's own books: folded into the object they serve, never counted as its rows.
BOOKKEEPING = ("load_state", "etl_log")


class PipeAwareConsole(RichConsole):
    """rich exits with status 1 when the reader of a pipe leaves; the command line ends such runs itself."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError


def log_path_for(target) -> Path:
    """logs/lakehouse.log under the local data directory; target/logs for a remote target."""
    base = target.data_dir if target.is_local and target.data_dir is not None else Path("target")
    return base / "logs" / LOG_NAME


class Console:
    """Where the command line writes: standard output for results, standard error for errors, a log file."""

    def __init__(
        self,
        verbosity: int = 0,
        log_file: Path | None = None,
        out: IO[str] | None = None,
        err: IO[str] | None = None,
    ):
        self.verbosity = verbosity
        self.out = PipeAwareConsole(file=out, highlight=False, soft_wrap=True)
        if not self.out.is_terminal and "COLUMNS" not in os.environ:
            # Piped or redirected: lines as long as a wide terminal's rather than rich's 80 columns.
            self.out.width = PIPED_WIDTH
        self.err = PipeAwareConsole(file=err, stderr=err is None, highlight=False, soft_wrap=True)
        self.logger = logging.getLogger("lakehouse")
        self.logger.setLevel(logging.DEBUG)
        self.logger.propagate = False
        if not self.logger.handlers:
            # Without a log file nothing is written; logging's last-resort handler would echo to stderr.
            self.logger.addHandler(logging.NullHandler())
        self._handler: logging.Handler | None = None
        self.log_file = log_file
        if log_file is not None:
            try:
                log_file.parent.mkdir(parents=True, exist_ok=True)
                # A few runs' worth of statements; the oldest go first.
                self._handler = RotatingFileHandler(log_file, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
            except OSError:
                self.log_file = None
            else:
                self._handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(message)s"))
                self.logger.addHandler(self._handler)

    @property
    def is_terminal(self) -> bool:
        return self.out.is_terminal

    def close(self) -> None:
        if self._handler is not None:
            self.logger.removeHandler(self._handler)
            self._handler.close()
            self._handler = None

    # -- messages ------------------------------------------------------------------------------------
    def say(self, message: str) -> None:
        """A line for the user (hidden by -q)."""
        self.logger.info(message)
        if self.verbosity >= 0:
            self.out.print(message, markup=False)

    def detail(self, message: str) -> None:
        """Statement-level detail: always in the log file, on the console with -v."""
        self.logger.debug(message)
        if self.verbosity > 0:
            self.out.print(Text(message, style="dim"))

    def warn(self, message: str) -> None:
        self.logger.warning(message)
        self.err.print(Text(message, style="yellow"))

    def error(self, message: str) -> None:
        self.logger.error(message)
        self.err.print(Text(f"error: {message}", style="bold red"))

    def line(self, text: Text, *, always: bool = False) -> None:
        self.logger.info(text.plain)
        if always or self.verbosity >= 0:
            self.out.print(text)


def seconds_text(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.2f}s"
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}m{rest:04.1f}s"


@dataclass
class ObjectResult:
    key: str
    status: str = "OK"
    rows: int | None = None
    seconds: float = 0.0
    statements: int = 0
    note: str = ""


@dataclass
class ObjectProgress:
    """Steps arrive in execution order; consecutive steps of one object make one line when the last ends."""

    console: Console
    phase: str
    keys: Sequence[str]
    results: list[ObjectResult] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    # A word per object shown after its time (deploy: created, changed, unchanged).
    notes: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.keys = list(dict.fromkeys(self.keys))
        self._current: ObjectResult | None = None
        self._status = None
        self._width = max((len(k) for k in self.keys), default=10)
        if self.console.is_terminal:
            self._status = self.console.out.status("", spinner="dots")
            self._status.start()

    @property
    def total(self) -> int:
        return len(self.keys)

    def _live(self, key: str) -> None:
        if self._status is not None:
            number = min(len(self.results) + 1, self.total)
            self._status.update(f"{self.phase} {number}/{self.total}  {key}")

    def _object(self, key: str) -> ObjectResult:
        if self._current is not None and self._current.key != key:
            self._flush()
        if self._current is None:
            self._current = ObjectResult(key)
            self._live(key)
        return self._current

    def begin(self, key: str, description: str) -> None:
        self._object(key)
        self.console.detail(f"{self.phase}: {key}: {description} ...")

    def done(self, key: str, description: str, seconds: float, rows: int | None = None) -> None:
        current = self._object(key)
        current.seconds += seconds
        current.statements += 1
        own = not any(word in description for word in BOOKKEEPING) or any(word in key for word in BOOKKEEPING)
        if rows is not None and own and not description.upper().startswith("DELETE"):
            current.rows = (current.rows or 0) + rows
        counted = "" if rows is None else f", {rows} row(s)"
        self.console.detail(f"{self.phase}: {key}: {description} [{seconds_text(seconds)}{counted}]")

    def failed(self, key: str, description: str, seconds: float, error: BaseException) -> None:
        current = self._object(key)
        current.seconds += seconds
        current.status = "ERROR"
        current.note = (str(error) or type(error).__name__).splitlines()[0][:200]
        self.console.detail(f"{self.phase}: {key}: {description} failed: {error}")
        self._flush()

    def note(self, message: str) -> None:
        """A message about the object in flight that the user should see (records kept aside, say)."""
        self.console.say(message)

    def _flush(self) -> None:
        current, self._current = self._current, None
        if current is None:
            return
        self.results.append(current)
        number = len(self.results)
        digits = len(str(self.total))
        text = Text(f"{number:>{digits}}/{self.total}  ")
        text.append(f"{current.key:<{self._width}}  ")
        text.append(f"{current.status:<5}", style=STYLES.get(current.status, ""))
        rows = "" if current.rows is None else f"{current.rows:,} rows"
        text.append(f"  {rows:>12}  {seconds_text(current.seconds):>8}")
        if current.note:
            text.append(f"  {current.note}", style="red")
        elif current.key in self.notes:
            text.append(f"  {self.notes[current.key]}", style="dim")
        self.console.line(text, always=current.status == "ERROR")

    def close(self) -> None:
        self._flush()
        if self._status is not None:
            self._status.stop()
            self._status = None

    @property
    def rows(self) -> int:
        return sum(r.rows or 0 for r in self.results)

    @property
    def errors(self) -> int:
        return sum(r.status == "ERROR" for r in self.results)


@dataclass
class QualityCounts:
    passed: int = 0
    warned: int = 0
    failed: int = 0
    errors: int = 0

    @classmethod
    def of(cls, results) -> QualityCounts:
        """PASS, WARN (a non-critical rule failed), FAIL (a CRITICAL rule failed), ERROR (the rule query failed)."""
        counts = cls()
        for result in results:
            if result.status == "passed":
                counts.passed += 1
            elif result.status == "error":
                counts.errors += 1
            elif result.severity == "CRITICAL":
                counts.failed += 1
            else:
                counts.warned += 1
        return counts

    def text(self) -> Text:
        line = Text()
        line.append(f"PASS={self.passed}", style="green" if self.passed else "")
        line.append(" ")
        line.append(f"WARN={self.warned}", style="yellow" if self.warned else "")
        line.append(" ")
        line.append(f"FAIL={self.failed}", style="bold red" if self.failed else "")
        if self.errors:
            line.append(" ")
            line.append(f"ERROR={self.errors}", style="bold red")
        return line


def summary(
    console: Console,
    *,
    verb: str,
    progress: ObjectProgress | None,
    quality: QualityCounts | None,
    seconds: float,
    failed: bool,
) -> None:
    """The closing line: objects, rows, quality counts and the total time; printed even with -q."""
    text = Text()
    text.append("Failed" if failed else "Done", style="bold red" if failed else "bold green")
    text.append(f" in {seconds_text(seconds)}")
    if progress is not None:
        ok = len(progress.results) - progress.errors
        text.append(f": {len(progress.results)} object(s), {ok} OK")
        if progress.errors:
            text.append(f", {progress.errors} ERROR", style="bold red")
        if verb != "deploy":
            text.append(f", {progress.rows:,} row(s) written")
    if quality is not None:
        text.append("; quality ")
        text.append_text(quality.text())
    console.line(text, always=True)
    if failed and console.log_file is not None:
        console.err.print(Text(f"every statement, with its timing: {console.log_file}", style="dim"))
