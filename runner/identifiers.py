"""Validation of identifiers that come from configuration, before they reach any SQL text."""

from __future__ import annotations

import re

from runner.errors import LakehouseError

# Deliberately narrower than Unity Catalog allows, so a configured name never needs quoting
# and cannot carry SQL of its own.
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,254}$")


def validate_identifier(value: str, field: str) -> str:
    """Return value if it is a plain identifier, else raise an error naming the field."""
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise LakehouseError(
            f"{field} must be a plain identifier (letters, digits and underscores, not starting with a "
            f"digit, at most 255 characters); got {value!r}. Fix it in lakehouse.toml or its environment "
            "variable."
        )
    return value


def quote_identifier(name: str) -> str:
    """Double-quote a name that comes from data (a JSON key), for DuckDB."""
    return '"' + name.replace('"', '""') + '"'
