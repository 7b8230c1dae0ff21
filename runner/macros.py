"""Engine macros: Jinja in sql/macros/, a default and per-engine overrides, dispatched by name.

A macro file defines `default__<name>` (the Databricks form, since SQL files are Databricks SQL) and,
where an engine means something else, `duckdb__<name>` or `databricks__<name>`. SQL files call
`<name>`; the target's override wins, else the default. Everything else a macro file defines
(declared shapes, helpers) is global to every SQL file, as dbt's macros are.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from runner.identifiers import quote_identifier

ENGINES = ("databricks", "duckdb")


def sql_string(value: str) -> str:
    """A Databricks SQL string literal for text written in this repository's SQL files."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def duckdb_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def add_filters(environment: jinja2.Environment) -> None:
    """Quoting filters for macro files."""
    environment.filters["sql_string"] = sql_string
    environment.filters["duckdb_string"] = duckdb_string
    environment.filters["duckdb_identifier"] = quote_identifier


def dispatch(environment: jinja2.Environment, engine: str, folder: str = "macros") -> dict[str, object]:
    """The globals of every macro file under `folder` of the environment's loader, for one engine."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
    # One namespace shared by every macro file, filled after they load: macros look names up when
    # called, so a macro may call another file's macro by its plain name.
    namespace: dict[str, object] = dict(environment.globals)
    exported: dict[str, object] = {}
    assert isinstance(environment.loader, jinja2.FileSystemLoader)
    root = Path(environment.loader.searchpath[0]) / folder
    for path in sorted(root.glob("*.jinja")):
        module = environment.get_template(f"{folder}/{path.name}").make_module(namespace, shared=True)
        exported.update({name: getattr(module, name) for name in dir(module) if not name.startswith("_")})
    chosen = {name: value for name, value in exported.items() if "__" not in name}
    for name, value in exported.items():
        prefix, _, plain = name.partition("__")
        if prefix == "default":
            chosen[plain] = exported.get(f"{engine}__{plain}", value)
        elif prefix in ENGINES and f"default__{plain}" not in exported:
            raise ValueError(f"{root}/: {name} overrides default__{plain}, which no macro file defines")
    namespace.update(exported)
    namespace.update(chosen)
    return chosen
