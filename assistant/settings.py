"""Settings of search and ask: the [assistant] section of lakehouse.toml, overridden by the environment.

The chat endpoint's token is read from the environment only, so it never sits in a file that could
be committed, and it is never printed (see llm.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from runner.config import Target, read_settings, settings_path
from runner.errors import LakehouseError

ENV = {
    "llm_url": "LAKEHOUSE_LLM_URL",
    "llm_model": "LAKEHOUSE_LLM_MODEL",
    "llm_timeout": "LAKEHOUSE_LLM_TIMEOUT",
    "vector_search_endpoint": "LAKEHOUSE_VECTOR_SEARCH_ENDPOINT",
    "vector_search_index": "LAKEHOUSE_VECTOR_SEARCH_INDEX",
    "embedding_model": "LAKEHOUSE_EMBEDDING_ENDPOINT",
    "ai_query_model": "LAKEHOUSE_AI_QUERY_ENDPOINT",
}
TOKEN_ENV = "LAKEHOUSE_LLM_TOKEN"


@dataclass(frozen=True)
class AssistantSettings:
    llm_url: str | None = None
    llm_model: str | None = None
    llm_timeout: float = 60.0
    llm_token: str | None = field(default=None, repr=False)
    vector_search_endpoint: str = "lakehouse-search"
    vector_search_index: str | None = None
    embedding_model: str = "databricks-bge-large-en"
    ai_query_model: str = "databricks-meta-llama-3-1-70b-instruct"

    @property
    def has_model(self) -> bool:
        return bool(self.llm_url)

    def index_name(self, target: Target) -> str:
        return self.vector_search_index or target.qualify("gold", "event_documents_index")


def load_assistant_settings(config_path: Path | None = None) -> AssistantSettings:
    path = settings_path(config_path)
    section = dict(read_settings(path, required=False).get("assistant", {}))
    if "llm_token" in section:
        raise LakehouseError(f"{path}: keep the chat token out of files; set {TOKEN_ENV} instead.")
    for key, env in ENV.items():
        if os.environ.get(env):
            section[key] = os.environ[env]
    unknown = set(section) - set(ENV)
    if unknown:
        raise LakehouseError(f"{path} [assistant]: unknown setting(s) {', '.join(sorted(unknown))}.")
    try:
        timeout = float(section.pop("llm_timeout", 60.0))
    except ValueError as exc:
        raise LakehouseError(f"{ENV['llm_timeout']} must be a number of seconds.") from exc
    if section.get("llm_url") and not section.get("llm_model"):
        raise LakehouseError(f"a chat endpoint is set ({ENV['llm_url']}) but no model: set {ENV['llm_model']}.")
    return AssistantSettings(llm_timeout=timeout, llm_token=os.environ.get(TOKEN_ENV) or None, **section)
