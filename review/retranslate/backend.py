"""The transformers backend: loads a model lazily (torch and transformers are
imported on the first translation, never at import) and keeps one loaded model per name and
options.
"""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path
from typing import Any

from review.core.errors import InputError, ModelUnavailable
from review.lang.model_codes import (
    _base,
    _example_code,
    declared_direction,
    language_codes,
    model_family,
)
from review.retranslate.hub_probe import endpoint, unreachable_reason
from review.retranslate.identity import (
    _cached_hub_commit,
    _offline,
    _unavailable_message,
    model_identity,
)
from review.retranslate.protocol import Translations
from review.retranslate.run import DEFAULT_BATCH_SIZE

# Marian opus-mt models were tuned with beam search (4-6 beams); greedy (1) is about 2-3x
# faster on a CPU and a little worse. Configurable in review.toml ([translation] num_beams).
DEFAULT_NUM_BEAMS = 4
# A model's input limit when neither the tokenizer nor the config names one.
FALLBACK_MAX_INPUT_TOKENS = 512


class TransformersTranslator:
    """A seq2seq translation model from the hub or a local folder, run with generate().

    Marian (opus-mt) models translate one direction each; NLLB-200, M2M100 and mBART-50 get
    their language codes through the tokenizer and ``forced_bos_token_id``; MADLAD-400 gets a
    ``<2xx>`` prefix; other text-to-text models (T5-style, rewriters for ``ape``) get the text
    as is. Inputs are sorted by length into batches of ``batch_size`` (less padding), and the
    order is restored afterwards. Inputs longer than the model's limit are truncated and
    reported in ``Translations.truncated`` (and ``self.truncated``).

    ``max_new_tokens=None`` bounds each batch at twice its longest input plus 16 tokens (and
    the model's position table or its configured max_length), which stops runaway repetitions
    early; pass a number for a fixed bound. Construction is cheap and checks that the model
    can be found; the weights load on first use (or ``load()``).
    """

    def __init__(self, name_or_path: str | Path, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 num_beams: int = DEFAULT_NUM_BEAMS, max_new_tokens: int | None = None,
                 max_input_tokens: int | None = None, device: str = "auto",
                 dtype: str | None = None, revision: str | None = None) -> None:
        if batch_size < 1 or num_beams < 1:
            raise InputError("batch_size and num_beams must be at least 1")
        self.source = str(name_or_path)
        self.batch_size = batch_size
        self.num_beams = num_beams
        self.max_new_tokens = max_new_tokens
        self.max_input_tokens = max_input_tokens
        self.device_setting = device
        self.dtype = dtype
        self.revision = revision
        self.identity = model_identity(self.source, revision)
        self._cache_only = False
        if not Path(self.source).expanduser().is_dir():
            cached = _cached_hub_commit(self.source, revision) is not None
            if _offline() and not cached:
                raise ModelUnavailable(_unavailable_message(self.source,
                                                            "is not available offline"))
            if not _offline():
                self._ask_hub_once(cached)
        self.name = self.identity + self._decoding_suffix()
        self.generate_calls = 0
        self.truncated: list[int] = []
        self._model: Any = None
        self._tokenizer: Any = None
        self._family = "plain"
        self._device = "cpu"
        self._length_cap = FALLBACK_MAX_INPUT_TOKENS
        self._lock = threading.RLock()

    def _ask_hub_once(self, cached: bool) -> None:
        """One short probe of the hub before the hub library's retrying calls: an
        unreachable hub loads a cached model from the cache, or refuses in one line."""
        hub = endpoint()
        reason = unreachable_reason(hub)
        if reason is None:
            return
        if not cached:
            raise ModelUnavailable(
                f"model {self.source} cannot be fetched: the model hub at {hub} cannot be "
                f"reached ({reason}); connect this machine, set HF_ENDPOINT to a mirror, or "
                f"pass a local model folder with --model FOLDER")
        self._cache_only = True

    def _decoding_suffix(self) -> str:
        """Decoding settings that change outputs are part of the name (and the cache key)."""
        parts = []
        if self.num_beams != DEFAULT_NUM_BEAMS:
            parts.append(f"beams={self.num_beams}")
        if self.max_new_tokens is not None:
            parts.append(f"max_new_tokens={self.max_new_tokens}")
        if self.dtype:
            parts.append(f"dtype={self.dtype}")
        return f" ({', '.join(parts)})" if parts else ""

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Load tokenizer and weights now; raise ModelUnavailable with what to do if not."""
        with self._lock:
            if self._model is None:
                self._load()

    def _load(self) -> None:
        import torch
        from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

        opts: dict[str, Any] = {"revision": self.revision}
        if _offline() or self._cache_only:
            opts["local_files_only"] = True
        try:
            config = AutoConfig.from_pretrained(self.source, **opts)
        except (OSError, ValueError, KeyError) as err:
            raise ModelUnavailable(self._load_failure(err)) from None
        model_type = getattr(config, "model_type", "") or "unknown"
        if not getattr(config, "is_encoder_decoder", False):
            raise ModelUnavailable(
                f"model {self.source} is not a sequence-to-sequence translation model "
                f"(model type {model_type}): pass a translation model such as "
                f"Helsinki-NLP/opus-mt-zh-en")
        try:
            tokenizer = AutoTokenizer.from_pretrained(self.source, **opts)
            model_opts = dict(opts)
            if self.dtype:
                model_opts["dtype"] = getattr(torch, self.dtype)
            model = AutoModelForSeq2SeqLM.from_pretrained(self.source, **model_opts)
        except (OSError, ValueError, KeyError, ImportError) as err:
            raise ModelUnavailable(self._load_failure(err)) from None
        device = self.device_setting
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        try:
            model.to(device)
        except (RuntimeError, AssertionError) as err:
            raise ModelUnavailable(f"model {self.source} cannot run on device {device}: "
                                   f"{_first_line(err)}; set [translation] device = \"cpu\" "
                                   f"in review.toml or REVIEW_DEVICE=cpu") from None
        model.eval()
        # Every call passes max_new_tokens; a max_length from the model's generation config
        # would only make generate() warn about the clash.
        self._length_cap = _length_cap(model)
        model.generation_config.max_length = None
        self._device = device
        self._family = model_family(model_type, type(tokenizer).__name__,
                                    lambda tok: _has_token(tokenizer, tok))
        self._tokenizer = tokenizer
        self._model = model

    def _load_failure(self, err: BaseException) -> str:
        if Path(self.source).expanduser().is_dir():
            return (f"model folder {self.source} cannot be loaded ({_first_line(err)}): it "
                    f"needs config.json, the weights and the tokenizer files")
        if _offline():
            return _unavailable_message(self.source, "is not available offline")
        return _unavailable_message(self.source, f"cannot be loaded ({_first_line(err)})")

    @property
    def input_limit(self) -> int:
        """Most input tokens the model takes (tokenizer and position table agree on it)."""
        if self.max_input_tokens:
            return self.max_input_tokens
        limits = []
        tok_max = getattr(self._tokenizer, "model_max_length", None)
        if isinstance(tok_max, int) and 0 < tok_max < 100_000:
            limits.append(tok_max)
        pos_max = getattr(self._model.config, "max_position_embeddings", None)
        if isinstance(pos_max, int) and pos_max > 0:
            limits.append(pos_max)
        return min(limits) if limits else FALLBACK_MAX_INPUT_TOKENS

    def _language_setup(self, src_lang: str, tgt_lang: str) -> tuple[str, dict[str, Any]]:
        """(prefix for each input, extra generate() arguments) for this model family."""
        tok = self._tokenizer
        family = self._family
        if family in ("nllb", "m2m100", "mbart50"):
            src = self._pick_code(family, src_lang)
            tgt = self._pick_code(family, tgt_lang)
            tok.src_lang = src
            bos = tok.get_lang_id(tgt) if family == "m2m100" else tok.convert_tokens_to_ids(tgt)
            return "", {"forced_bos_token_id": bos}
        if family == "madlad":
            return self._pick_code(family, tgt_lang) + " ", {}
        if family == "marian" and getattr(tok, "supported_language_codes", None):
            return self._pick_code(family, tgt_lang) + " ", {}
        return "", {}

    def _check_direction(self, src_lang: str, tgt_lang: str) -> None:
        """A Marian model translates one direction: refuse the other instead of babbling."""
        if self._family != "marian":
            return
        tok = self._tokenizer
        declared = declared_direction(self.source, getattr(tok, "source_lang", None),
                                      getattr(tok, "target_lang", None))
        wanted = (_base(src_lang), _base(tgt_lang))
        if declared is not None and declared != wanted:
            raise InputError(
                f"model {self.source} translates {declared[0]}->{declared[1]}, not "
                f"{src_lang}->{tgt_lang}: pass a {src_lang}->{tgt_lang} model (e.g. "
                f"Helsinki-NLP/opus-mt-{wanted[0]}-{wanted[1]}; --back-model for the "
                f"roundtrip's first leg) or a multilingual one such as NLLB-200")

    def _pick_code(self, family: str, lang: str) -> str:
        for code in language_codes(family, lang):
            if family == "m2m100":
                if code in getattr(self._tokenizer, "lang_code_to_id", {}):
                    return code
            elif _has_token(self._tokenizer, code):
                return code
        raise InputError(f"model {self.source} does not know language {lang!r}; pass the "
                         f"model's own language code (e.g. {_example_code(family)})")

    def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]:
        """Translate ``texts``; the result is a Translations list with ``truncated``."""
        with self._lock:
            if self._model is None:
                self._load()
            result = self._translate(texts, src_lang, tgt_lang)
            self.truncated = list(result.truncated)
            return result

    def _translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> Translations:
        import torch

        outputs = [""] * len(texts)
        todo = [i for i, t in enumerate(texts) if t and t.strip()]
        if not todo:
            return Translations(outputs)
        tok = self._tokenizer
        self._check_direction(src_lang, tgt_lang)
        prefix, gen_extra = self._language_setup(src_lang, tgt_lang)
        limit = self.input_limit
        inputs = [prefix + unicodedata.normalize("NFC", texts[i]) for i in todo]
        # One token over the limit tells "too long" apart without a warning from the tokenizer.
        encoded = tok(inputs, truncation=True, max_length=limit + 1)["input_ids"]
        long = [k for k, ids in enumerate(encoded) if len(ids) > limit]
        if long:
            again = tok([inputs[k] for k in long], truncation=True, max_length=limit)["input_ids"]
            for k, ids in zip(long, again, strict=True):
                encoded[k] = ids
        order = sorted(range(len(encoded)), key=lambda k: len(encoded[k]), reverse=True)
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                padded = tok.pad({"input_ids": [encoded[k] for k in batch]},
                                 return_tensors="pt")
                padded = {key: value.to(self._device) for key, value in padded.items()}
                longest = max(len(encoded[k]) for k in batch)
                max_new = self.max_new_tokens or min(self._length_cap, 2 * longest + 16)
                generated = self._model.generate(
                    **padded, num_beams=self.num_beams, max_new_tokens=max_new,
                    do_sample=False, **gen_extra)
                self.generate_calls += 1
                decoded = tok.batch_decode(generated, skip_special_tokens=True)
                for k, text in zip(batch, decoded, strict=True):
                    outputs[todo[k]] = text.strip()
        return Translations(outputs, sorted(todo[k] for k in long))


def _length_cap(model: Any) -> int:
    """Longest output worth generating: the position table, or the model's own max_length."""
    found = [getattr(model.config, "max_position_embeddings", None),
             getattr(model.generation_config, "max_length", None)]
    caps = [c for c in found if isinstance(c, int) and c > 0]
    return min(caps) if caps else FALLBACK_MAX_INPUT_TOKENS


def _has_token(tokenizer: Any, token: str) -> bool:
    tid = tokenizer.convert_tokens_to_ids(token)
    return tid is not None and tid != tokenizer.unk_token_id


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:200]


_TRANSLATORS: dict[tuple[str, tuple[tuple[str, Any], ...]], TransformersTranslator] = {}
_TRANSLATORS_LOCK = threading.Lock()


def load_translator(name_or_path: str, **opts: Any) -> TransformersTranslator:
    """The translator for a model and options, built once per process and loaded."""
    key = (str(name_or_path), tuple(sorted(opts.items())))
    with _TRANSLATORS_LOCK:
        translator = _TRANSLATORS.get(key)
        if translator is None:
            translator = TransformersTranslator(name_or_path, **opts)
            translator.load()
            _TRANSLATORS[key] = translator
        return translator
