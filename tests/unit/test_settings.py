"""Settings from review.toml and the environment, with defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.core.errors import InputError
from review.core.settings import (
    DEFAULT_DATABASE_URL,
    Settings,
    database_url,
    env_var_for,
    load_settings,
    model_for,
)

TOML = """
[database]
url = "postgresql://127.0.0.1:5432/review"

[models]
zh-en = "/models/opus-mt-zh-en"
"en_zh" = "org/en-zh"
ape-en = "org/rewriter"

[translation]
batch_size = 32
num_beams = 1
max_new_tokens = 0
max_input_tokens = 400
device = "cpu"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "review.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults() -> None:
    settings = Settings()
    assert settings.database_url == "sqlite:///review.db" == DEFAULT_DATABASE_URL
    assert (settings.batch_size, settings.num_beams, settings.device) == (16, 4, "auto")


def test_missing_default_file_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings == Settings()
    assert settings.source == ""


@pytest.mark.parametrize(("src", "tgt", "model"), [
    ("zh", "en", "Helsinki-NLP/opus-mt-zh-en"),
    ("en", "zh", "Helsinki-NLP/opus-mt-en-zh"),
    ("de", "en", "Helsinki-NLP/opus-mt-de-en"),
    ("EN", "FR", "Helsinki-NLP/opus-mt-en-fr"),
])
def test_default_models(src: str, tgt: str, model: str) -> None:
    assert Settings().model_for(src, tgt) == model


def test_file_values(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, TOML), environ={})
    assert settings.database_url == "postgresql://127.0.0.1:5432/review"
    assert settings.model_for("zh", "en") == "/models/opus-mt-zh-en"
    assert settings.model_for("en", "zh") == "org/en-zh"
    assert settings.model_for("de", "en") == "Helsinki-NLP/opus-mt-de-en"
    assert settings.ape_model_for("en") == "org/rewriter"
    assert settings.ape_model_for("zh") is None
    assert settings.translator_options() == {
        "batch_size": 32, "num_beams": 1, "max_new_tokens": None, "max_input_tokens": 400,
        "device": "cpu"}
    assert settings.source == str(tmp_path / "review.toml")


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    env = {"REVIEW_MODEL_ZH_EN": "/env/zh-en", "REVIEW_MODEL_ZH_HANS_EN": "/env/hans",
           "REVIEW_MODEL_APE_EN": "/env/ape", "REVIEW_BATCH_SIZE": "8",
           "REVIEW_NUM_BEAMS": "5", "REVIEW_MAX_NEW_TOKENS": "128", "REVIEW_DEVICE": "cuda:1",
           "REVIEW_DATABASE_URL": "sqlite:///other.db", "REVIEW_MODEL_": "ignored"}
    settings = load_settings(write(tmp_path, TOML), environ=env)
    assert settings.model_for("zh", "en") == "/env/zh-en"
    assert settings.model_for("zh-Hans", "en") == "/env/hans"
    assert settings.model_for("zh_hans", "EN") == "/env/hans"
    assert settings.model_for("en", "zh") == "org/en-zh"
    assert settings.ape_model_for("en") == "/env/ape"
    assert (settings.batch_size, settings.num_beams, settings.max_new_tokens) == (8, 5, 128)
    assert settings.device == "cuda:1"
    assert settings.database_url == "sqlite:///other.db"


def test_review_config_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[models]\nzh-en = "from-config"\n')
    monkeypatch.chdir(Path(__file__).parent)
    monkeypatch.setenv("REVIEW_CONFIG", str(path))
    monkeypatch.delenv("REVIEW_MODEL_ZH_EN", raising=False)
    monkeypatch.delenv("REVIEW_DATABASE_URL", raising=False)
    assert model_for("zh", "en") == "from-config"
    assert database_url() == DEFAULT_DATABASE_URL


def test_working_directory_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, '[database]\nurl = "sqlite:///here.db"\n')
    monkeypatch.chdir(tmp_path)
    assert load_settings(environ={}).database_url == "sqlite:///here.db"


@pytest.mark.parametrize(("text", "env", "message"), [
    ("[models\n", {}, "is not valid TOML"),
    ("models = 3\n", {}, r"\[models\] must be a table"),
    ("[models]\nzh-en = 3\n", {}, r"\[models\] zh-en must be a model name or folder"),
    ("[translation]\nbeams = 4\n", {}, r"unknown \[translation\] keys beams"),
    ("[translation]\nbatch_size = 0\n", {}, "batch_size .* at least 1, not 0"),
    ("[translation]\nnum_beams = 2.5\n", {}, "num_beams .* whole number"),
    ("[translation]\nnum_beams = true\n", {}, "num_beams .* whole number"),
    ("", {"REVIEW_BATCH_SIZE": "many"}, "REVIEW_BATCH_SIZE must be a whole number"),
    ("", {"REVIEW_MAX_NEW_TOKENS": "-1"}, "REVIEW_MAX_NEW_TOKENS must be"),
    ("[translation]\ndevice = 1\n", {}, "device / REVIEW_DEVICE must be"),
    ("[database]\nurl = 5\n", {}, r"\[database\] url must be a string"),
])
def test_bad_settings_raise_input_error(tmp_path: Path, text: str, env: dict[str, str],
                                        message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_settings(write(tmp_path, text), environ=env)


def test_named_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_settings(environ={"REVIEW_CONFIG": str(tmp_path / "nope.toml")})
    with pytest.raises(InputError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", environ={})


@pytest.mark.parametrize(("src", "tgt", "name"), [
    ("zh", "en", "REVIEW_MODEL_ZH_EN"),
    ("zh-Hans", "en", "REVIEW_MODEL_ZH_HANS_EN"),
])
def test_env_var_for(src: str, tgt: str, name: str) -> None:
    assert env_var_for(src, tgt) == name
