"""Settings: database URL, translation models per language pair and decoding options.

Read from ``review.toml`` in the working directory (or the file named by ``REVIEW_CONFIG``),
then overridden by environment variables; built-in defaults fill the rest::

    [database]
    url = "sqlite:///review.db"            # REVIEW_DATABASE_URL

    [models]                               # REVIEW_MODEL_<SRC>_<TGT>, e.g. REVIEW_MODEL_ZH_EN
    zh-en = "Helsinki-NLP/opus-mt-zh-en"   # a hub id ...
    en-zh = "/srv/models/opus-mt-en-zh"    # ... or a local folder
    ape-en = "/srv/models/my-en-rewriter"  # REVIEW_MODEL_APE_EN: text-to-text model for --mode ape

    [translation]
    batch_size = 16                        # REVIEW_BATCH_SIZE: sentences per generate() call
    num_beams = 4                          # REVIEW_NUM_BEAMS: 1 = greedy, 2-3x faster on a CPU
    max_new_tokens = 0                     # REVIEW_MAX_NEW_TOKENS: 0 = twice the input + 16
    max_input_tokens = 0                   # REVIEW_MAX_INPUT_TOKENS: 0 = the model's limit
    device = "auto"                        # REVIEW_DEVICE: auto (CUDA when present), cpu, cuda:0

    [quality]                              # optional: joins the review order when set
    model = "/srv/models/monotransquest"   # REVIEW_QE_MODEL: sequence-regression QE model

A pair without a configured model uses ``Helsinki-NLP/opus-mt-{src}-{tgt}``. Language codes
in keys and variable names are case-insensitive; ``-`` in a code becomes ``_`` in a variable
name (``REVIEW_MODEL_ZH_HANS_EN``). ``ape`` has no default model.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review.core.errors import InputError

CONFIG_FILE = "review.toml"
DEFAULT_DATABASE_URL = "sqlite:///review.db"
DEFAULT_MODEL_TEMPLATE = "Helsinki-NLP/opus-mt-{src}-{tgt}"
_INT_OPTIONS = ("batch_size", "num_beams", "max_new_tokens", "max_input_tokens")
_TRANSLATION_KEYS = (*_INT_OPTIONS, "device")


@dataclass(frozen=True)
class Settings:
    """Resolved settings; ``models`` maps ``"src-tgt"`` or ``"ape-lang"`` (lower case) to a
    hub id or folder."""

    database_url: str = DEFAULT_DATABASE_URL
    models: Mapping[str, str] = field(default_factory=dict)
    batch_size: int = 16
    num_beams: int = 4
    max_new_tokens: int | None = None
    max_input_tokens: int | None = None
    device: str = "auto"
    qe_model: str = ""  # quality-estimation model (hub id or folder), "" for none
    source: str = ""  # the file read, "" when none

    def model_for(self, src: str, tgt: str) -> str:
        """The model that translates ``src`` into ``tgt``."""
        key = _pair_key(src, tgt)
        return self.models.get(key) or DEFAULT_MODEL_TEMPLATE.format(
            src=src.lower(), tgt=tgt.lower())

    def ape_model_for(self, lang: str) -> str | None:
        """The text-to-text rewriting model for ``lang``, or None when none is configured."""
        return self.models.get(_pair_key("ape", lang))

    def translator_options(self) -> dict[str, Any]:
        """Keyword arguments for ``review.retranslate.load_translator``."""
        return {"batch_size": self.batch_size, "num_beams": self.num_beams,
                "max_new_tokens": self.max_new_tokens,
                "max_input_tokens": self.max_input_tokens, "device": self.device}


def _pair_key(src: str, tgt: str) -> str:
    """``zh``, ``EN`` -> ``zh-en``; ``_`` and ``-`` are the same inside codes."""
    return f"{src.strip()}-{tgt.strip()}".lower().replace("_", "-")


def _env_models(environ: Mapping[str, str]) -> dict[str, str]:
    """``REVIEW_MODEL_ZH_EN=...`` -> ``{"zh-en": ...}`` (lookups build the same key)."""
    prefix = "REVIEW_MODEL_"
    return {name[len(prefix):].lower().replace("_", "-"): value.strip()
            for name, value in environ.items()
            if name.startswith(prefix) and len(name) > len(prefix) and value.strip()}


def env_var_for(src: str, tgt: str) -> str:
    """The environment variable that names the model for a pair (``REVIEW_MODEL_ZH_EN``)."""
    def code(lang: str) -> str:
        return lang.strip().upper().replace("-", "_")
    return f"REVIEW_MODEL_{code(src)}_{code(tgt)}"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{path} is not valid TOML ({err}): fix the file or point "
                         f"REVIEW_CONFIG to another one") from None
    except OSError as err:
        raise InputError(f"cannot read settings file {path} ({err.strerror or err})") from None


def _table(data: Mapping[str, Any], name: str, path: Path) -> Mapping[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, Mapping):
        raise InputError(f"{path}: [{name}] must be a table")
    return table


def _as_int(value: Any, what: str, *, minimum: int) -> int:
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or number < minimum:
        raise InputError(f"{what} must be a whole number of at least {minimum}, not {value!r}")
    return number


def load_settings(path: str | Path | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``path`` (default: ``REVIEW_CONFIG`` or ./review.toml) and ``environ``.

    A missing default file is fine (defaults apply); a missing file that was named
    explicitly is an InputError.
    """
    env = os.environ if environ is None else environ
    explicit = path is not None or bool(env.get("REVIEW_CONFIG"))
    config_path = Path(path if path is not None else env.get("REVIEW_CONFIG") or CONFIG_FILE)
    data: dict[str, Any] = {}
    if config_path.is_file():
        data = _read_toml(config_path)
    elif explicit:
        raise InputError(f"settings file {config_path} does not exist: create it or unset "
                         f"REVIEW_CONFIG")

    database = _table(data, "database", config_path)
    models_table = _table(data, "models", config_path)
    translation = _table(data, "translation", config_path)
    unknown = sorted(set(translation) - set(_TRANSLATION_KEYS))
    if unknown:
        raise InputError(f"{config_path}: unknown [translation] keys {', '.join(unknown)}; "
                         f"known: {', '.join(_TRANSLATION_KEYS)}")

    models: dict[str, str] = {}
    for key, value in models_table.items():
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{config_path}: [models] {key} must be a model name or folder")
        models[key.strip().lower().replace("_", "-")] = value.strip()
    models.update(_env_models(env))

    options: dict[str, Any] = {}
    for key in _INT_OPTIONS:
        raw = env.get(f"REVIEW_{key.upper()}", translation.get(key))
        if raw is None or raw == "":
            continue
        minimum = 0 if key.startswith("max_") else 1
        number = _as_int(raw, f"[translation] {key} / REVIEW_{key.upper()}", minimum=minimum)
        options[key] = None if number == 0 and key.startswith("max_") else number
    device = env.get("REVIEW_DEVICE") or translation.get("device")
    if device is not None:
        if not isinstance(device, str) or not device.strip():
            raise InputError("[translation] device / REVIEW_DEVICE must be auto, cpu or cuda")
        options["device"] = device.strip()

    qe_model = env.get("REVIEW_QE_MODEL") or _table(data, "quality", config_path).get("model", "")
    if not isinstance(qe_model, str):
        raise InputError(f"{config_path}: [quality] model must be a model name or folder")
    url = env.get("REVIEW_DATABASE_URL") or database.get("url") or DEFAULT_DATABASE_URL
    if not isinstance(url, str):
        raise InputError(f"{config_path}: [database] url must be a string")
    return Settings(database_url=url, models=models, qe_model=qe_model.strip(),
                    source=str(config_path) if data else "", **options)


def model_for(src: str, tgt: str) -> str:
    """The model for a language pair under the current settings file and environment."""
    return load_settings().model_for(src, tgt)


def database_url() -> str:
    """The database URL under the current settings file and environment."""
    return load_settings().database_url
