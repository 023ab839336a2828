"""The LLM writer's settings: the env names other tools use, and an API key never printed."""

from __future__ import annotations

from pathlib import Path

from medcite.settings import load_settings


def test_llm_env_aliases_and_the_section_convention(tmp_path: Path) -> None:
    settings = load_settings(
        env={
            "MEDCITE_LLM_BASE_URL": "http://127.0.0.1:11434/v1",
            "MEDCITE_LLM_MODEL": "llama3.2",
            "MEDCITE_LLM_API_KEY": "sk-a,b",  # taken whole, not split at the comma
        }
    )
    assert settings.llm.base_url == "http://127.0.0.1:11434/v1"
    assert settings.llm.model == "llama3.2"
    assert settings.llm.api_key is not None and settings.llm.api_key.get_secret_value() == "sk-a,b"
    assert "sk-a" not in repr(settings) and "sk-a" not in str(settings.model_dump())
    file = tmp_path / "medcite.toml"
    file.write_text('[llm]\nmodel = "from-file"\ntimeout_s = 5\n')
    both = load_settings(file, env={"MEDCITE_LLM_MODEL": "alias", "MEDCITE_LLM__MODEL": "section"})
    assert both.llm.model == "section" and both.llm.timeout_s == 5.0
    assert load_settings(file, env={"MEDCITE_LLM_MODEL": "alias"}).llm.model == "alias"
    assert load_settings(file, env={}).llm.model == "from-file"


def test_without_an_endpoint_the_writer_is_off() -> None:
    settings = load_settings(env={})
    assert settings.llm.base_url is None and settings.llm.temperature == 0
