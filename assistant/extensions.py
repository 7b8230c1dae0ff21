"""Load DuckDB extensions (fts) from their PyPI packages, never from the network."""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb

from runner.errors import LakehouseError

INSTALL_HINT = "pip install -e '.[search]'"


def extension_path(name: str) -> Path:
    """The .duckdb_extension file that the duckdb-extension-<name> package ships for our DuckDB version."""
    package = f"duckdb_extension_{name}"
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise LakehouseError(f"search needs the {package} package: {INSTALL_HINT}") from exc
    root = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    found = sorted(root.glob(f"{name}.duckdb_extension"))
    if not found:
        raise LakehouseError(
            f"{package} has no build for DuckDB {duckdb.__version__} under {root}; the extension packages "
            "and duckdb must have the same version (see pyproject.toml)."
        )
    return found[0]


def load_extensions(connection: duckdb.DuckDBPyConnection, *names: str) -> None:
    # LOAD with a path reads the file directly: no INSTALL, no extension repository, no network.
    for name in names:
        connection.execute(f"LOAD '{extension_path(name).as_posix()}'")
