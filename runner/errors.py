"""The one exception type the command line turns into a clean message and a non-zero exit."""


class LakehouseError(Exception):
    """A problem the user can act on; the message says what happened and what to do."""

    exit_code = 1  # what the command line exits with
