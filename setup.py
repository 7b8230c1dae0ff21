"""What a wheel ships, beside the metadata in pyproject.toml.

The Python packages, and the project's SQL (sql/) and Genie space (genie/) inside the runner package
(runner/sql, runner/genie), so an installed wheel compiles and deploys without a checkout. A checkout
reads them where they are (runner.config.PROJECT_ROOT). fakes/ (test doubles), tests/ and bench/
(`python -m bench`) run from a checkout only.
"""

from pathlib import Path

from setuptools import find_packages, setup

SHIPPED = ["lakehouse", "runner", "streaming", "ingest", "dialect", "usersql", "scripting", "assistant", "workspace"]


def data_packages(package: str, folder: str) -> dict[str, str]:
    """Package name -> folder, for the folder and every folder under it."""
    root = Path(folder)
    folders = [root, *sorted(p for p in root.rglob("*") if p.is_dir() and p.name != "__pycache__")]
    return {".".join([package, *f.relative_to(root).parts]): f.as_posix() for f in folders}


DATA = {**data_packages("runner.sql", "sql"), **data_packages("runner.genie", "genie")}

setup(
    packages=find_packages(include=[name for package in SHIPPED for name in (package, f"{package}.*")]) + list(DATA),
    package_dir=DATA,
    package_data={name: ["*"] for name in DATA},
)
