"""The exception type the command line turns into a clean message and a non-zero exit, and two refusals."""


class LakehouseError(Exception):
    """A problem the user can act on; the message says what happened and what to do."""

    exit_code = 1  # what the command line exits with


class QuerySyntaxError(LakehouseError):
    """The text is not valid SQL: what a user fixes is the syntax, not the kind of statement."""


class NotReadOnly(LakehouseError):
    """A statement that could change data, settings or files, refused before it runs."""
