"""A client of any OpenAI-compatible chat-completions endpoint (Databricks model serving is one)."""

from __future__ import annotations

import requests

from assistant.settings import AssistantSettings
from runner.errors import LakehouseError


def chat_url(base: str) -> str:
    base = base.rstrip("/")
    return base if base.endswith("/chat/completions") else f"{base}/chat/completions"


def _redact(text: str, token: str | None) -> str:
    return text.replace(token, "[token]") if token else text


def complete(settings: AssistantSettings, messages: list[dict[str, str]]) -> str:
    """The model's reply text; every failure becomes a LakehouseError that names the endpoint, never the token."""
    url = chat_url(settings.llm_url or "")
    headers = {"Content-Type": "application/json"}
    if settings.llm_token:
        headers["Authorization"] = f"Bearer {settings.llm_token}"
    body = {"model": settings.llm_model, "messages": messages, "temperature": 0}
    try:
        response = requests.post(url, json=body, headers=headers, timeout=settings.llm_timeout)
    except requests.ConnectionError as exc:
        raise LakehouseError(
            f"cannot reach the language model at {url}: the connection failed. Check LAKEHOUSE_LLM_URL, or unset "
            "it to answer from the certified questions only."
        ) from exc
    except requests.Timeout as exc:
        raise LakehouseError(f"the language model at {url} did not answer within {settings.llm_timeout:g}s.") from exc
    except requests.RequestException as exc:
        detail = _redact(str(exc), settings.llm_token)
        raise LakehouseError(f"request to the language model at {url} failed: {detail}") from exc
    if response.status_code in (401, 403):
        raise LakehouseError(
            f"the language model at {url} refused the credentials (HTTP {response.status_code}); "
            "check LAKEHOUSE_LLM_TOKEN."
        )
    if response.status_code != 200:
        detail = _redact(response.text[:300], settings.llm_token)
        raise LakehouseError(f"the language model at {url} answered HTTP {response.status_code}: {detail}")
    try:
        return response.json()["choices"][0]["message"]["content"] or ""
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise LakehouseError(f"the language model at {url} sent a reply that is not a chat completion.") from exc
