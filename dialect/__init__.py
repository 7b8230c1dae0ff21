"""Databricks SQL typed by users, run on DuckDB with Databricks' answers or refused with a reason.

`translate(sql)` turns one Databricks statement into DuckDB SQL; `install(connection)` creates the
functions that translated SQL calls. See docs/fidelity.md for what is translated and how it is checked.
"""

from dialect.errors import NotSupportedLocally
from dialect.runtime import install
from dialect.translate import DEFAULT_CATALOG, translate, translate_expression

__all__ = ["DEFAULT_CATALOG", "NotSupportedLocally", "install", "translate", "translate_expression"]
