"""The keys lakehouse.toml knows: a misspelt one is an error naming the closest known key, not ignored."""

from __future__ import annotations

import difflib
from pathlib import Path

from runner.errors import LakehouseError

# [workspace]; an [env.dev] or [env.prod] section may set any of them for its environment, plus its own.
WORKSPACE_KEYS = (
    "host", "catalog", "create_catalog", "warehouse_id", "http_path", "profile", "volume", "bronze_schema",
    "silver_schema", "gold_schema", "secret_scope", "secret_key", "schedule", "timezone", "root", "job_name",
    "genie_title", "run_as",
)  # fmt: skip
ENV_KEYS = ("name_prefix", "paused")
QUERY_KEYS = ("statement_timeout",)
SECTIONS = ("workspace", "env", "groups", "grants", "assistant", "query")


def _assistant_keys() -> tuple[str, ...]:
    from assistant.settings import ENV

    return (*ENV, "llm_timeout", "llm_token")  # llm_token gets its own error: tokens stay out of files


def _grant_kinds() -> tuple[str, ...]:
    from workspace.settings import GRANT_KINDS

    return GRANT_KINDS


def _check(path: Path, where: str, keys: object, known: tuple[str, ...]) -> None:
    if not isinstance(keys, dict):
        raise LakehouseError(f"{path}: {where} must be a table of settings ([{where}]).")
    for key in keys:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]}?" if close else f"; known: {', '.join(known)}"
            raise LakehouseError(f"{path}: unknown setting {where}.{key}{hint}")


def check_settings(raw: dict, path: Path) -> None:
    """Raise on the first unknown section or key, naming the closest known one."""
    for section, body in raw.items():
        if section not in SECTIONS:
            close = difflib.get_close_matches(section, SECTIONS, n=1, cutoff=0.5)
            if close and close[0] in WORKSPACE_KEYS + SECTIONS:
                hint = f"; did you mean [{close[0]}]?"
            else:
                close = difflib.get_close_matches(section, WORKSPACE_KEYS, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]} under [workspace]?" if close else f"; known: {', '.join(SECTIONS)}"
            raise LakehouseError(f"{path}: unknown setting {section!r}{hint}")
        if section == "workspace":
            _check(path, "workspace", body, WORKSPACE_KEYS)
        elif section == "query":
            _check(path, "query", body, QUERY_KEYS)
        elif section == "assistant":
            _check(path, "assistant", body, _assistant_keys())
        elif section == "grants":
            _check(path, "grants", body, _grant_kinds())
        elif section == "env":
            if not isinstance(body, dict):
                raise LakehouseError(f"{path}: env must hold [env.dev] and [env.prod] sections.")
            for env, keys in body.items():
                _check(path, f"env.{env}", keys, WORKSPACE_KEYS + ENV_KEYS)
