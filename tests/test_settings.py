"""The one settings object: defaults, file, environment, rejection of unknown keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from medcite.errors import ConfigError
from medcite.settings import Settings, describe, load_settings


def test_defaults_match_the_documented_fusion() -> None:
    settings = load_settings(env={})
    assert settings.retrieval.rrf_k == 60


def test_environment_overrides_file(tmp_path: Path) -> None:
    file = tmp_path / "medcite.toml"
    file.write_text("[retrieval]\nrrf_k = 30\nbm25_candidates = 50\n")
    settings = load_settings(file, env={"MEDCITE_RETRIEVAL__RRF_K": "90"})
    assert settings.retrieval.rrf_k == 90
    assert settings.retrieval.bm25_candidates == 50


def test_unknown_keys_are_rejected(tmp_path: Path) -> None:
    file = tmp_path / "medcite.toml"
    file.write_text("[retrieval]\nrrf_kk = 30\n")
    with pytest.raises(ConfigError, match="rrf_kk"):
        load_settings(file, env={})
    with pytest.raises(ConfigError):
        load_settings(env={"MEDCITE_NOPE__X": "1"})


def test_every_setting_is_documented_in_code_and_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for name, _default, description in describe(Settings):
        assert description, name
        assert f"`{name}`" in readme, f"README does not document {name}"
