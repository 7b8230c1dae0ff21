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
        self.error_class = error_class
        self.reason = f"{message} (Databricks rejects this statement too)"
        ValueError.__init__(self, f"[{error_class}] {self.reason}")

    @property
    def sqlstate(self) -> str | None:
        """The SQLSTATE Databricks reports with the error class (None where it gives none)."""
        return _SQLSTATES.get(self.error_class.split(".")[0])


# The SQLSTATE of each error class a statement is rejected with, as Spark's error-conditions.json gives it:
# a handler of a SQL script is chosen by it.
_SQLSTATES = {
    "AGGREGATE_FUNCTION_WITH_NONDETERMINISTIC_EXPRESSION": "42845", "DATATYPE_MISMATCH": "42K09",
    "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION": "22003", "DISTINCT_WINDOW_FUNCTION_UNSUPPORTED": "0A000",
    "EXPRESSION_TYPE_IS_NOT_ORDERABLE": "42822",
    "GROUPING_ID_COLUMN_MISMATCH": "42803", "INCOMPATIBLE_COLUMN_TYPE": "42825", "INCOMPATIBLE_DATA_FOR_TABLE": "KD000",
    "INVALID_AGGREGATE_FILTER": "42903", "INVALID_ESC": "42604", "INVALID_FORMAT": "42601",
    "INVALID_INLINE_TABLE": "42000", "INVALID_LAMBDA_FUNCTION_CALL": "42K0D", "INVALID_PARAMETER_VALUE": "22023",
    "INVALID_SQL_SYNTAX": "42000", "INVALID_VARIANT_GET_PATH": "22023", "INVALID_WITHIN_GROUP_EXPRESSION": "42K0K",
    "MISSING_WINDOW_SPECIFICATION": "42P20", "NUMERIC_VALUE_OUT_OF_RANGE": "22003", "PARSE_SYNTAX_ERROR": "42601",
    "UDTF_ALIAS_NUMBER_MISMATCH": "42802", "UNPIVOT_VALUE_DATA_TYPE_MISMATCH": "42K09", "UNRESOLVED_COLUMN": "42703",
    "UNSUPPORTED_FEATURE": "0A000", "UNSUPPORTED_GENERATOR": "42K0E", "UNSUPPORTED_GROUPING_EXPRESSION": "42K0E",
    "WINDOW_FUNCTION_FRAME_NOT_ORDERED": "42601", "WRONG_NUM_ARGS": "42605",
}  # fmt: skip


def without_udf_wrapping(text: str) -> str:
    """A DuckDB error message with a Python function's own message in place of DuckDB's wrapping of it."""
    found = _UDF_PREFIX.search(text)
    if found is None:
        return text
    message = text[found.end() :]
    cut = message.find(_UDF_TRACEBACK)
    return text[: found.start()] + (message[:cut] if cut >= 0 else message).rstrip()
