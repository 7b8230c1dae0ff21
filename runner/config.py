"""Target settings: built-in defaults, then lakehouse.toml (the one settings file), then the environment."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from runner.errors import LakehouseError
from runner.identifiers import validate_identifier

TARGETS = ("local", "databricks")
# The one settings file: [workspace], [env.*], [groups], [grants] for Databricks, [assistant] for ask.
SETTINGS_FILE = "lakehouse.toml"
SETTINGS_ENV = "LAKEHOUSE_SETTINGS"
REPO_ROOT = Path(__file__).resolve().parent.parent
# Where sql/ and genie/ are: inside the installed runner package in a wheel, beside it in a checkout
# (an editable install too).
PROJECT_ROOT = Path(__file__).resolve().parent if (Path(__file__).resolve().parent / "sql").is_dir() else REPO_ROOT
DATA_DIR_ENV = "LAKEHOUSE_DATA_DIR"
LAYERS = ("bronze", "silver", "gold")

# setting name -> environment variable that overrides it, for the databricks target.
DATABRICKS_ENV = {
    "catalog": "LAKEHOUSE_CATALOG",
    "bronze_schema": "LAKEHOUSE_BRONZE_SCHEMA",
    "silver_schema": "LAKEHOUSE_SILVER_SCHEMA",
    "gold_schema": "LAKEHOUSE_GOLD_SCHEMA",
    "volume": "LAKEHOUSE_VOLUME",
    "warehouse_id": "DATABRICKS_WAREHOUSE_ID",
    "http_path": "DATABRICKS_HTTP_PATH",
    "profile": "DATABRICKS_CONFIG_PROFILE",
}


@dataclass(frozen=True)
class Target:
    """Where the SQL runs and how objects are named there."""

    name: str
    engine: str
    schemas: dict[str, str]
    catalog: str | None = None
    data_dir: Path | None = None
    volume: str | None = None
    warehouse_id: str | None = None
    http_path: str | None = None
    profile: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_local(self) -> bool:
        return self.engine == "duckdb"

    def schema(self, layer: str) -> str:
        """The qualified schema name of a layer (catalog.schema on Databricks)."""
        name = self.schemas[layer]
        return f"{self.catalog}.{name}" if self.catalog else name

    def qualify(self, layer: str, obj: str) -> str:
        return f"{self.schema(layer)}.{obj}"

    @property
    def landing_root(self) -> str:
        if self.is_local:
            assert self.data_dir is not None
            return str(self.data_dir / "landing")
        return f"/Volumes/{self.catalog}/{self.schemas['bronze']}/{self.volume}"

    @property
    def database_path(self) -> Path:
        assert self.data_dir is not None
        return self.data_dir / "lakehouse.duckdb"


def settings_path(path: Path | None = None) -> Path:
    """--config, else $LAKEHOUSE_SETTINGS, else lakehouse.toml in the current directory (where `data/`
    goes too), else the checkout's own. An installed wheel has no checkout and finds the user's."""
    if path or os.environ.get(SETTINGS_ENV):
        return path or Path(os.environ[SETTINGS_ENV])
    here = Path.cwd() / SETTINGS_FILE
    return here if here.is_file() else REPO_ROOT / SETTINGS_FILE


def read_settings(path: Path | None = None, *, required: bool | None = None) -> dict:
    """The settings file as a dict. A missing file is an error when required (by default: when it was
    named by --config or $LAKEHOUSE_SETTINGS), else {} since nothing needs configuring."""
    candidate = settings_path(path)
    if not candidate.is_file():
        if required or (required is None and (path is not None or os.environ.get(SETTINGS_ENV))):
            raise LakehouseError(f"Settings file {candidate} does not exist (set {SETTINGS_ENV} or --config).")
        return {}
    try:
        with candidate.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LakehouseError(f"{candidate} is not valid TOML: {exc}") from exc
    from runner.settings_keys import check_settings

    check_settings(raw, candidate)
    return raw


def load_target(name: str = "local", *, data_dir: str | Path | None = None, config_path: Path | None = None) -> Target:
    """Resolve a target's settings. Nothing needs configuring for the local target.

    The databricks target reads the [workspace] section of lakehouse.toml, the one settings file
    (`--env dev|prod` then adds the environment's prefixes and the workspace side), and environment
    variables override it.
    """
    if name not in TARGETS:
        raise LakehouseError(f"Unknown target {name!r}; choose one of {', '.join(TARGETS)}.")
    if name == "local":
        chosen = data_dir or os.environ.get(DATA_DIR_ENV) or "data"
        return Target(
            name="local",
            engine="duckdb",
            schemas={layer: layer for layer in LAYERS},
            data_dir=Path(chosen).expanduser().resolve(),
        )
    section = dict(read_settings(config_path).get("workspace", {}))
    for key, env in DATABRICKS_ENV.items():
        if os.environ.get(env):
            section[key] = os.environ[env]
    catalog = validate_identifier(section.get("catalog", "main"), "workspace.catalog")
    schemas = {
        layer: validate_identifier(section.get(f"{layer}_schema", layer), f"workspace.{layer}_schema")
        for layer in LAYERS
    }
    volume = validate_identifier(section.get("volume", "landing"), "workspace.volume")
    return Target(
        name="databricks",
        engine="databricks",
        schemas=schemas,
        catalog=catalog,
        volume=volume,
        warehouse_id=section.get("warehouse_id") or None,
        http_path=section.get("http_path") or None,
        profile=section.get("profile") or None,
    )
