"""Chat endpoint settings: lakehouse.toml [assistant], overridden by the environment; the token only from it."""

from __future__ import annotations

import pytest

from assistant.llm import chat_url
from assistant.settings import load_assistant_settings
from runner.config import load_target
from runner.errors import LakehouseError


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ("LAKEHOUSE_LLM_URL", "LAKEHOUSE_LLM_MODEL", "LAKEHOUSE_LLM_TOKEN", "LAKEHOUSE_LLM_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)


def test_no_settings_means_no_model(tmp_path):
    assert not load_assistant_settings(tmp_path / "absent.toml").has_model


def test_file_then_environment(tmp_path, monkeypatch):
    config = tmp_path / "lakehouse.toml"
    config.write_text('[assistant]\nllm_url = "http://file/v1"\nllm_model = "m1"\n')
    monkeypatch.setenv("LAKEHOUSE_LLM_MODEL", "m2")
    monkeypatch.setenv("LAKEHOUSE_LLM_TOKEN", "t0ken")
    settings = load_assistant_settings(config)
    assert (settings.llm_url, settings.llm_model, settings.llm_token) == ("http://file/v1", "m2", "t0ken")
    assert "t0ken" not in repr(settings)


def test_a_token_in_the_file_is_refused(tmp_path):
    config = tmp_path / "lakehouse.toml"
    config.write_text('[assistant]\nllm_token = "secret"\n')
    with pytest.raises(LakehouseError, match="LAKEHOUSE_LLM_TOKEN"):
        load_assistant_settings(config)


def test_a_url_without_a_model_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("LAKEHOUSE_LLM_URL", "http://127.0.0.1:1/v1")
    with pytest.raises(LakehouseError, match="LAKEHOUSE_LLM_MODEL"):
        load_assistant_settings(tmp_path / "absent.toml")


def test_chat_url_and_default_index_name(tmp_path):
    assert chat_url("https://host/serving-endpoints/") == "https://host/serving-endpoints/chat/completions"
    assert chat_url("http://x/v1/chat/completions") == "http://x/v1/chat/completions"
    settings = load_assistant_settings(tmp_path / "absent.toml")
    assert settings.index_name(load_target("databricks")) == "main.gold.event_documents_index"
