"""Errors of the interpreter, and the SQLSTATE/condition a DuckDB failure means in Databricks terms."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb


class ScriptError(Exception):
    """A procedure or script failed; the message names the procedure, the statement and its line."""

    def __init__(
        self,
        message: str,
        *,
        procedure: str | None = None,
        line: int | None = None,
        statement: str | None = None,
        sqlstate: str | None = None,
        condition: str | None = None,
    ):
        super().__init__(message)
        self.procedure = procedure
        self.line = line
        self.statement = statement
        self.sqlstate = sqlstate
        self.condition = condition


class ScriptSyntaxError(ValueError):
    """The source is outside the supported subset or malformed; `line` is within the statement."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass
class Condition:
    """A raised SQL condition as GET DIAGNOSTICS and the handlers see it."""

    sqlstate: str
    message: str
    name: str  # Databricks error class or declared condition name, upper case
    line: int | None = None
    statement: str | None = None
    procedure: str | None = None
    # The DuckDB text, kept apart so the caller sees both Databricks' class and DuckDB's words.
    engine_message: str | None = None

    @property
    def is_sqlexception(self) -> bool:
        return not self.sqlstate.startswith(("00", "01", "02", "XX"))

    @property
    def is_not_found(self) -> bool:
        return self.sqlstate.startswith("02")

    @property
    def caught_by_no_handler(self) -> bool:
        """No handler may turn this into a result: the local target cannot run the statement as Databricks
        would (there the statement runs and the handler does not fire), or Databricks fails here with a bare
        Java exception, which has no SQLSTATE for any handler to match, not even one for XX000."""
        if "not supported on the local target" in f"{self.message} {self.engine_message or ''}":
            return True
        # A refusal of the dialect's functions at run time carries the class [UNSUPPORTED] (see classify).
        bracketed = _BRACKETED.match(self.engine_message or "")
        return bracketed is not None and bracketed.group(1) in {"UNSUPPORTED", *_UNCLASSED}


def untranslated(exc: Exception) -> Condition:
    """The condition of a statement the translation did not give DuckDB: one Databricks rejects too has its
    error class and SQLSTATE (a handler for those catches it there); the others are local refusals."""
    sqlstate = getattr(exc, "sqlstate", None)
    if sqlstate is not None:
        return Condition(sqlstate, exc.reason, exc.error_class)  # type: ignore[attr-defined]
    return Condition("0A000", str(exc), "UNSUPPORTED_FEATURE")


class ConditionRaised(Exception):
    """Internal: a condition that found no handler and unwinds to the procedure boundary."""

    def __init__(self, condition: Condition):
        super().__init__(condition.message)
        self.condition = condition


# (DuckDB exception class, text pattern) -> (SQLSTATE, Databricks error class). First match wins.
_MAPPING: list[tuple[type[BaseException], str | None, str, str]] = [
    # A number cast to a type too small for it (NaN too): Databricks' overflow, not a malformed value.
    (duckdb.ConversionException, r"to type DECIMAL\(\d+,\d+\) failed: value is out of range"
     r"|Could not cast value -?[\d.]+ to DECIMAL\(\d+,\d+\)", "22003", "NUMERIC_VALUE_OUT_OF_RANGE"),
    (duckdb.ConversionException, r"out of range for the destination type", "22003", "CAST_OVERFLOW"),
    (duckdb.ConversionException, r"^Conversion Error: Date out of range: -?\d+-\d+-\d+", "22023",
     "DATETIME_FIELD_OUT_OF_BOUNDS"),  # make_date of a month or day that does not exist
    (duckdb.ConversionException, None, "22018", "CAST_INVALID_INPUT"),
    (duckdb.OutOfRangeException, r"division by zero|divide by zero", "22012", "DIVIDE_BY_ZERO"),
    (duckdb.OutOfRangeException, None, "22003", "ARITHMETIC_OVERFLOW"),
    (duckdb.ConstraintException, r"NOT NULL", "23502", "NOT_NULL_CONSTRAINT_VIOLATION"),
    (duckdb.ConstraintException, r"primary key|unique|duplicate key", "23505", "DUPLICATE_KEY"),
    (duckdb.ConstraintException, r"foreign key", "23503", "FOREIGN_KEY_VIOLATION"),
    (duckdb.ConstraintException, r"CHECK constraint", "23001", "CHECK_CONSTRAINT_VIOLATION"),
    (duckdb.ConstraintException, None, "23000", "CONSTRAINT_VIOLATION"),
    (duckdb.CatalogException, r"Table with name|Table .* does not exist|View with name", "42P01",
     "TABLE_OR_VIEW_NOT_FOUND"),
    (duckdb.CatalogException, r"Schema with name|schema .* does not exist", "3F000", "SCHEMA_NOT_FOUND"),
    (duckdb.CatalogException, r"already exists", "42P07", "TABLE_OR_VIEW_ALREADY_EXISTS"),
    (duckdb.CatalogException, r"[Ff]unction|[Mm]acro", "42883", "UNRESOLVED_ROUTINE"),
    (duckdb.CatalogException, None, "42704", "CATALOG_OBJECT_NOT_FOUND"),
    (duckdb.BinderException, r"Referenced column|does not have a column|Referenced table", "42703",
     "UNRESOLVED_COLUMN"),
    (duckdb.BinderException, r"No function matches|Cannot compare|Cannot mix|Could not choose", "42K09",
     "DATATYPE_MISMATCH"),
    (duckdb.BinderException, None, "42000", "BINDER_ERROR"),
    (duckdb.ParserException, None, "42601", "PARSE_SYNTAX_ERROR"),
    (duckdb.InvalidInputException, r"Map keys must be unique", "23505", "DUPLICATED_MAP_KEY"),
    (duckdb.InvalidInputException, r"Map keys can not be NULL", "2200E", "NULL_MAP_KEY"),
    (duckdb.InvalidInputException, r"More than one row returned by a subquery", "21000",
     "SCALAR_SUBQUERY_TOO_MANY_ROWS"),
    (duckdb.InvalidInputException, None, "22023", "INVALID_PARAMETER_VALUE"),
    (duckdb.TypeMismatchException, None, "42804", "DATATYPE_MISMATCH"),
    (duckdb.NotImplementedException, None, "0A000", "UNSUPPORTED_FEATURE"),
    (duckdb.SequenceException, None, "2200H", "SEQUENCE_LIMIT_REACHED"),
    # After a runtime error DuckDB refuses every statement of the open transaction. Databricks would go
    # on, so no handler may swallow this and carry on as if it had: XX is outside SQLEXCEPTION.
    (duckdb.TransactionException, r"transaction is aborted", "XX000", "TRANSACTION_ABORTED"),
    (duckdb.TransactionException, None, "25000", "INVALID_TRANSACTION_STATE"),
    (duckdb.IOException, None, "58030", "IO_ERROR"),
    (duckdb.PermissionException, None, "42501", "INSUFFICIENT_PERMISSIONS"),
    (duckdb.InterruptException, None, "57014", "OPERATION_CANCELED"),
    (duckdb.InternalException, None, "XX000", "INTERNAL_ERROR"),
    (duckdb.FatalException, None, "XX000", "INTERNAL_ERROR"),
]  # fmt: skip


# Errors raised by the Databricks-semantics functions of the dialect package carry their class in
# brackets ("[DIVIDE_BY_ZERO] Division by zero..."); their SQLSTATEs are Databricks' (Spark's
# error-conditions.json, which tests/scripting/test_errors.py compares them with).
_RAISED_CLASSES = {
    "AMBIGUOUS_REFERENCE": "42704",
    "ARITHMETIC_OVERFLOW": "22003",
    "CANNOT_DECODE_URL": "22546",
    "CANNOT_PARSE_TIMESTAMP": "22007",
    "CAST_INVALID_INPUT": "22018",
    "CAST_OVERFLOW": "22003",
    "COMPARATOR_RETURNS_NULL": "22004",
    "CONVERSION_INVALID_INPUT": "22018",
    "DATATYPE_MISMATCH": "42K09",
    "DATETIME_FIELD_OUT_OF_BOUNDS": "22023",
    "DIVIDE_BY_ZERO": "22012",
    "DUPLICATED_MAP_KEY": "23505",
    "ILLEGAL_DAY_OF_WEEK": "22009",
    "INTERVAL_ARITHMETIC_OVERFLOW": "22015",
    "INVALID_ARRAY_INDEX": "22003",
    "INVALID_ARRAY_INDEX_IN_ELEMENT_AT": "22003",
    "INVALID_FORMAT": "42601",
    "INVALID_FRACTION_OF_SECOND": "22023",
    "INVALID_INDEX_OF_ZERO": "22003",
    "INVALID_PARAMETER_VALUE": "22023",
    "INVALID_REGEXP_REPLACE": "22023",
    "INVALID_URL": "22P02",
    "INVALID_VARIANT_CAST": "22023",
    "MALFORMED_RECORD_IN_PARSING": "22023",
    "NULL_MAP_KEY": "2200E",
    "NUMERIC_VALUE_OUT_OF_RANGE": "22003",
    "REMAINDER_BY_ZERO": "22012",
    "USER_RAISED_EXCEPTION": "P0001",
    "UNSUPPORTED": "0A000",
}
# Raised where Databricks fails with a bare Java exception ("requirement failed: Illegal sequence
# boundaries", MissingFormatArgumentException), which has no SQLSTATE: no handler catches it there, so
# none may here (XX is outside SQLEXCEPTION).
_UNCLASSED = {"ILLEGAL_SEQUENCE_BOUNDARIES", "FORMAT"}
_BRACKETED = re.compile(r"^(?:[A-Za-z ]+ Error: )?\[([A-Z_]+)(?:\.[A-Z_.]+)?\]")


def classify(exc: BaseException) -> tuple[str, str]:
    """SQLSTATE and Databricks-style error class for a DuckDB exception (see docs/sql-scripting.md)."""
    text = str(exc)
    bracketed = _BRACKETED.match(engine_text(exc))  # a Python function's error too, unwrapped
    if bracketed and isinstance(exc, duckdb.InvalidInputException):
        name = bracketed.group(1)
        if name in _RAISED_CLASSES:
            return _RAISED_CLASSES[name], "UNSUPPORTED_FEATURE" if name == "UNSUPPORTED" else name
        if name in _UNCLASSED:
            return "XX000", "INTERNAL_ERROR"
    for cls, pattern, state, name in _MAPPING:
        if isinstance(exc, cls) and (pattern is None or re.search(pattern, text, re.IGNORECASE)):
            return state, name
    if isinstance(exc, duckdb.Error):
        return "38000", "EXTERNAL_ROUTINE_EXCEPTION"
    return "XX000", "INTERNAL_ERROR"


def engine_text(exc: BaseException) -> str:
    """DuckDB's message without the source excerpt that points into the rewritten SQL, and a Python
    function's message without DuckDB's wrapping."""
    from dialect.errors import without_udf_wrapping

    text = without_udf_wrapping(str(exc))
    cut = text.find("\n\nLINE ")
    if cut < 0:
        cut = text.find("\nLINE ")
    return (text[:cut] if cut >= 0 else text).strip()
