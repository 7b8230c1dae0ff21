"""The errors of the translator: a construct the local target does not run with Databricks' meaning,
and a construct Databricks itself rejects."""

from __future__ import annotations

import re

# How DuckDB reports an exception raised inside a Python function (the exact functions of the dialect):
# a prefix naming the exception's class before its message, and the Python traceback after it.
_UDF_PREFIX = re.compile(r"Python exception occurred while executing the UDF: (?:[A-Za-z_][\w.]*: )?")
_UDF_TRACEBACK = "\n\nAt:\n"


class NotSupportedLocally(ValueError):
    """Raised instead of translating a construct whose local answer could differ from Databricks'.

    The message is one line that names the construct and says what to do.
    """

    def __init__(self, construct: str, hint: str = "run it on Databricks"):
        self.construct = construct
        super().__init__(f"{construct} is not supported on the local target; {hint}")


class RejectedByDatabricks(NotSupportedLocally):
    """A statement Databricks refuses too (a type mismatch it reports before running anything).

    DuckDB would often accept it (comparing a BOOLEAN with a number, say); the local target refuses
    it with the error class Databricks reports, so that it is fixed before it reaches the warehouse.
    """

    def __init__(self, error_class: str, message: str):
        self.construct = message
        ValueError.__init__(self, f"[{error_class}] {message} (Databricks rejects this statement too)")


def without_udf_wrapping(text: str) -> str:
    """A DuckDB error message with a Python function's own message in place of DuckDB's wrapping of it."""
    found = _UDF_PREFIX.search(text)
    if found is None:
        return text
    message = text[found.end() :]
    cut = message.find(_UDF_TRACEBACK)
    return text[: found.start()] + (message[:cut] if cut >= 0 else message).rstrip()
