"""Workspace deploy settings: lakehouse.toml, one environment's overrides, then environment variables.

Everything is validated here, before any request, so a bad file fails with the field's name.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from runner.config import LAYERS, Target, read_settings, settings_path
from runner.errors import LakehouseError
from runner.identifiers import validate_identifier

ENVIRONMENTS = ("dev", "prod")
REPO_ROOT = Path(__file__).resolve().parents[1]

# Which grant list gives which privileges on which securable; the order is the order sent.
GRANT_KINDS = ("read_gold", "write_bronze", "write_silver", "write_gold", "read_volume", "write_volume")

# Principals are quoted with backticks in GRANT; refusing backticks and control characters keeps a
# configured name from closing the quote. Emails and application ids fit this.
_PRINCIPAL = re.compile(r"^[A-Za-z0-9_.@+\- ]{1,255}$")
# Quartz: six or seven fields; Databricks validates the rest, we only stop obvious mistakes early.
_QUARTZ = re.compile(r"^\S+( \S+){5,6}$")
_TIMEZONE = re.compile(r"^[A-Za-z_]+(/[A-Za-z0-9_+\-]+)*$")
_WAREHOUSE = re.compile(r"^[A-Za-z0-9]+$")
# Secret scope and key names: Databricks allows alphanumerics, dashes, underscores and periods.
_SECRET_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,128}$")
_WORKSPACE_PATH = re.compile(r"^/[A-Za-z0-9_./\-]+$")


@dataclass(frozen=True)
class WorkspaceSettings:
    env: str
    catalog: str
    create_catalog: bool
    warehouse_id: str
    volume: str
    secret_scope: str
    secret_key: str
    schedule: str
    timezone: str
    paused: bool
    name_prefix: str
    root: str
    job_name: str
    genie_title: str
    run_as: str | None = None
    groups: dict[str, str] = field(default_factory=dict)
    grants: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def principals(self, kind: str) -> list[str]:
        return [self.groups[role] for role in self.grants.get(kind, ())]

    def schema_name(self, layer: str) -> str:
        return f"{self.name_prefix}{layer}"

    def title(self, name: str) -> str:
        """dev objects carry the environment in their visible name, so nobody mistakes them for prod."""
        return name if self.env == "prod" else f"[{self.env}] {name}"

    def apply_to(self, target: Target) -> Target:
        """The SQL target as this environment names it: its catalog, prefixed schemas, volume and warehouse."""
        return dataclasses.replace(
            target,
            catalog=self.catalog,
            schemas={layer: self.schema_name(layer) for layer in LAYERS},
            volume=self.volume,
            warehouse_id=self.warehouse_id,
        )


def _text(section: dict, key: str, pattern: re.Pattern[str], what: str) -> str:
    value = section.get(key)
    if not isinstance(value, str) or not pattern.match(value):
        raise LakehouseError(f"workspace.{key} must be {what}; got {value!r}.")
    return value


def load_settings(env: str, path: Path | None = None) -> WorkspaceSettings:
    if env not in ENVIRONMENTS:
        raise LakehouseError(f"Unknown environment {env!r}; choose one of {', '.join(ENVIRONMENTS)}.")
    path = settings_path(path)
    raw = read_settings(path, required=True)
    section = dict(raw.get("workspace", {}))
    section.update(raw.get("env", {}).get(env, {}))
    if os.environ.get("DATABRICKS_WAREHOUSE_ID"):
        section["warehouse_id"] = os.environ["DATABRICKS_WAREHOUSE_ID"]
    if os.environ.get("LAKEHOUSE_CATALOG"):
        section["catalog"] = os.environ["LAKEHOUSE_CATALOG"]
    if not section.get("warehouse_id"):
        raise LakehouseError(
            f"workspace.warehouse_id is missing: set it in {path} or DATABRICKS_WAREHOUSE_ID to the id of a "
            "serverless SQL warehouse (SQL Warehouses > your warehouse > Connection details)."
        )
    prefix = section.get("name_prefix", "")
    if prefix:
        validate_identifier(prefix, f"workspace.name_prefix ({env})")
    groups = raw.get("groups", {})
    for role, principal in groups.items():
        validate_identifier(role, f"groups.{role}")
        if not isinstance(principal, str) or not _PRINCIPAL.match(principal):
            raise LakehouseError(
                f"groups.{role} must be a group name or application id (letters, digits, space, . _ - + @); "
                f"got {principal!r}."
            )
    grants: dict[str, tuple[str, ...]] = {}
    for kind, roles in raw.get("grants", {}).items():
        if kind not in GRANT_KINDS:
            raise LakehouseError(f"grants.{kind} is not a grant this project knows; use {', '.join(GRANT_KINDS)}.")
        for role in roles:
            if role not in groups:
                raise LakehouseError(
                    f"grants.{kind} names unknown group {role!r}; declare it under [groups] "
                    f"(known: {', '.join(groups) or 'none'})."
                )
        grants[kind] = tuple(roles)
    settings = WorkspaceSettings(
        env=env,
        catalog=validate_identifier(section.get("catalog", ""), "workspace.catalog"),
        create_catalog=bool(section.get("create_catalog", False)),
        warehouse_id=_text(section, "warehouse_id", _WAREHOUSE, "a SQL warehouse id (letters and digits)"),
        volume=validate_identifier(section.get("volume", "landing"), "workspace.volume"),
        secret_scope=_text(section, "secret_scope", _SECRET_NAME, "a secret scope name"),
        secret_key=_text(section, "secret_key", _SECRET_NAME, "a secret key name"),
        schedule=_text(section, "schedule", _QUARTZ, "a Quartz cron expression such as '0 0 2 * * ?'"),
        timezone=_text(section, "timezone", _TIMEZONE, "a Java time zone id such as 'UTC' or 'Europe/Amsterdam'"),
        paused=bool(section.get("paused", env != "prod")),
        name_prefix=prefix,
        root=_text(section, "root", _WORKSPACE_PATH, "an absolute workspace folder such as '/Shared/lakehouse'"),
        job_name=_text(section, "job_name", _PRINCIPAL, "a job name"),
        genie_title=_text(section, "genie_title", _PRINCIPAL, "a title"),
        groups=dict(groups),
        grants=grants,
        run_as=_text(section, "run_as", _PRINCIPAL, "a service principal application id")
        if section.get("run_as")
        else None,
    )
    for layer in LAYERS:
        validate_identifier(settings.schema_name(layer), f"workspace.name_prefix ({env}) + {layer}")
    return settings
