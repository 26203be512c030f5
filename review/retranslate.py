"""Retranslation engine: the Translator protocol, a transformers backend, modes and a cache.

Reviewers compare the machine translation (MT) with a model's retranslation. Three modes:

- ``source``: translate the source text (source language -> target language).
- ``roundtrip``: translate the MT back into the source language (the *pivot*) and forward
  again (the *back-translation*); both legs come back so both can be stored. Useful when no
  source text is at hand.
- ``ape``: rewrite the MT with a text-to-text model (target -> target), "automatic
  post-editing".

``run_retranslation`` works through chunks (progress and cancellation between chunks) and asks
a ``TranslationCache`` first, so a second run over unchanged text makes no model call. Cache
entries are keyed by the model identity (``Translator.name``), the cache mode (``translate``
for any translation leg, so ``source`` and the second ``roundtrip`` leg share entries;
``ape`` for rewrites), the language pair and ``input_digest`` of the input.

torch and transformers are imported only inside ``TransformersTranslator`` methods:
``import review.retranslate`` stays cheap, so the app starts without them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from review.digests import input_digest
from review.errors import InputError, ModelUnavailable
from review.settings import env_var_for
from review.vocab import RETRANSLATION_MODES

TRUNCATED_SUFFIX = ":truncated"
DEFAULT_BATCH_SIZE = 16
# Marian opus-mt models were tuned with beam search (4-6 beams); greedy (1) is about 2-3x
# faster on a CPU and a little worse. Configurable in review.toml ([translation] num_beams).
DEFAULT_NUM_BEAMS = 4
# A model's input limit when neither the tokenizer nor the config names one.
FALLBACK_MAX_INPUT_TOKENS = 512


class Translator(Protocol):
    """Anything that translates a list of texts; ``name`` identifies the model (cache key)."""

    name: str

    def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]: ...


class Translations(list):
    """A translate() result: the outputs, plus which inputs (by index) had to be truncated."""

    def __init__(self, outputs: Iterable[str] = (), truncated: Iterable[int] = ()) -> None:
        super().__init__(outputs)
        self.truncated: list[int] = list(truncated)


# --- cache -------------------------------------------------------------------------------

class TranslationCache(Protocol):
    """Stores model outputs by (model identity, mode, languages, input text hash)."""

    def get_many(self, model_key: str, mode: str, src: str, tgt: str,
                 text_hashes: list[str]) -> dict[str, str]: ...

    def put_many(self, model_key: str, mode: str, src: str, tgt: str,
                 entries: dict[str, str]) -> None: ...


class MemoryCache:
    """A dict-backed TranslationCache for tests and one-off runs."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str, str, str, str], str] = {}
        self._lock = threading.Lock()

    def get_many(self, model_key: str, mode: str, src: str, tgt: str,
                 text_hashes: list[str]) -> dict[str, str]:
        with self._lock:
            found = {}
            for h in text_hashes:
                key = (model_key, mode, src, tgt, h)
                if key in self.entries:
                    found[h] = self.entries[key]
            return found

    def put_many(self, model_key: str, mode: str, src: str, tgt: str,
                 entries: dict[str, str]) -> None:
        with self._lock:
            for h, out in entries.items():
                self.entries[(model_key, mode, src, tgt, h)] = out


# --- running a retranslation -------------------------------------------------------------

@dataclass
class RetranslationResult:
    """What one run produced.

    ``cache_hits`` and ``translated`` count segment-legs (a round trip has two legs per
    segment): answered by the cache, or produced by a model in this run. ``model_calls`` counts
    ``translate()`` calls made (one per chunk and leg with at least one cache miss).
    ``truncated`` holds the segment ids whose input (in either leg) was cut to the model's
    input limit. On ``cancelled`` the outputs are only the chunks finished before the stop.
    """

    outputs: dict[int, str] = field(default_factory=dict)
    pivots: dict[int, str] = field(default_factory=dict)
    model_calls: int = 0
    cache_hits: int = 0
    translated: int = 0
    truncated: list[int] = field(default_factory=list)
    cancelled: bool = False
    system: str = ""


def system_name(mode: str, src_lang: str, forward: Translator,
                backward: Translator | None = None) -> str:
    """The system label stored with each candidate: which model(s) and how."""
    if mode == "roundtrip" and backward is not None:
        if backward.name == forward.name:
            return f"{forward.name} roundtrip via {src_lang}"
        return f"{forward.name} roundtrip via {src_lang} ({backward.name})"
    if mode == "ape":
        return f"{forward.name} ape"
    return forward.name


def run_retranslation(items: list[tuple[int, str]], *, mode: str, src_lang: str,
                      tgt_lang: str, forward: Translator, backward: Translator | None,
                      cache: TranslationCache,
                      progress: Callable[[int, int], None] | None = None,
                      should_cancel: Callable[[], bool] | None = None,
                      chunk_size: int = 64) -> RetranslationResult:
    """Retranslate ``items`` = (segment id, text) in chunks, asking the cache first.

    The text is the source for ``source`` and the MT for ``roundtrip`` and ``ape``.
    ``forward`` translates src -> tgt (in ``ape``: rewrites tgt -> tgt); ``backward``
    translates tgt -> src and is needed for ``roundtrip`` only. Empty (whitespace-only)
    texts give "" without a model call. Truncated inputs are cached with a marker beside the
    output, so a rerun makes no model call and still reports them. Finished chunks are in the
    cache as soon as they are done, so a run that was cancelled or failed (ModelUnavailable,
    out of memory) resumes cheaply.
    """
    if mode not in RETRANSLATION_MODES:
        raise InputError(f"unknown retranslation mode {mode!r}: "
                         f"use one of {', '.join(RETRANSLATION_MODES)}")
    if mode == "roundtrip" and backward is None:
        raise InputError(f"mode roundtrip needs a {tgt_lang}->{src_lang} model as well; "
                         f"configure one ({env_var_for(tgt_lang, src_lang)}) or pass "
                         f"--back-model")
    if chunk_size < 1:
        raise InputError("chunk_size must be at least 1")
    result = RetranslationResult(system=system_name(mode, src_lang, forward, backward))
    truncated: set[int] = set()
    total = len(items)
    if progress:
        progress(0, total)
    for start in range(0, total, chunk_size):
        if should_cancel is not None and should_cancel():
            result.cancelled = True
            break
        chunk = items[start:start + chunk_size]
        if mode == "source":
            outputs = _run_leg(chunk, forward, "translate", src_lang, tgt_lang, cache,
                               result, truncated)
        elif mode == "ape":
            outputs = _run_leg(chunk, forward, "ape", tgt_lang, tgt_lang, cache,
                               result, truncated)
        else:
            assert backward is not None  # checked above
            pivots = _run_leg(chunk, backward, "translate", tgt_lang, src_lang, cache,
                              result, truncated)
            result.pivots.update(pivots)
            outputs = _run_leg(list(pivots.items()), forward, "translate", src_lang,
                               tgt_lang, cache, result, truncated)
        result.outputs.update(outputs)
        if progress:
            progress(min(start + chunk_size, total), total)
    result.truncated = sorted(truncated)
    return result


def _run_leg(chunk: list[tuple[int, str]], translator: Translator, cache_mode: str,
             src: str, tgt: str, cache: TranslationCache, result: RetranslationResult,
             truncated: set[int]) -> dict[int, str]:
    """One translation leg over a chunk: cache lookups, one translate() for the misses."""
    texts: dict[str, str] = {}  # hash -> NFC text, first occurrence order
    seg_hash: dict[int, str] = {}
    outputs: dict[int, str] = {}
    for seg_id, text in chunk:
        if not text or not text.strip():
            outputs[seg_id] = ""
            continue
        h = input_digest(text)
        seg_hash[seg_id] = h
        texts.setdefault(h, unicodedata.normalize("NFC", text))
    if not texts:
        return outputs
    cached = cache.get_many(translator.name, cache_mode, src, tgt, list(texts))
    # Truncation is remembered beside the output, so a cached rerun still reports it.
    cut = set(cache.get_many(translator.name, cache_mode + TRUNCATED_SUFFIX, src, tgt,
                             list(cached))) if cached else set()
    misses = [h for h in texts if h not in cached]
    fresh: dict[str, str] = {}
    if misses:
        produced = translator.translate([texts[h] for h in misses], src, tgt)
        result.model_calls += 1
        if len(produced) != len(misses):
            raise RuntimeError(f"translator {translator.name} returned {len(produced)} "
                               f"outputs for {len(misses)} inputs")
        fresh = dict(zip(misses, produced, strict=True))
        fresh_cut = {misses[i] for i in getattr(produced, "truncated", ())}
        cut |= fresh_cut
        cache.put_many(translator.name, cache_mode, src, tgt, fresh)
        if fresh_cut:
            cache.put_many(translator.name, cache_mode + TRUNCATED_SUFFIX, src, tgt,
                           dict.fromkeys(fresh_cut, ""))
    for seg_id, h in seg_hash.items():
        if h in cached:
            outputs[seg_id] = cached[h]
            result.cache_hits += 1
        else:
            outputs[seg_id] = fresh[h]
            result.translated += 1
        if h in cut:
            truncated.add(seg_id)
    return outputs


# --- a model-free backend for tests and demos ----------------------------------------------

class EchoTranslator:
    """Test and demo backend, no model: returns each text tagged with the target language.

    ``"Hello"`` from en to zh gives ``"[zh] Hello"``; empty texts give "". It counts its
    calls (``calls``, ``generate_calls``) and keeps every text it was asked for (``seen``) so
    tests can assert cache behaviour. Not for real use.
    """

    def __init__(self, name: str = "echo") -> None:
        self.name = name
        self.calls = 0
        self.seen: list[str] = []
        self.truncated: list[int] = []

    @property
    def generate_calls(self) -> int:
        return self.calls

    def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]:
        self.calls += 1
        self.seen.extend(texts)
        return Translations(f"[{tgt_lang}] {t}" if t.strip() else "" for t in texts)


# --- model identity ------------------------------------------------------------------------

_FOLDER_DIGESTS: dict[tuple[str, tuple[tuple[str, int, int], ...]], str] = {}
_DIGEST_LOCK = threading.Lock()


def _looks_like_path(name: str) -> bool:
    """A name that can only be a folder (a hub id is ``name`` or ``owner/name``)."""
    return (name.startswith(("/", "./", "../", "~", ".\\", "..\\")) or "\\" in name
            or name.count("/") > 1 or (len(name) > 1 and name[1] == ":"))


def _folder_files(folder: Path) -> list[Path]:
    """Regular files of a model folder, skipping hidden ones (.git, caches, editor files)."""
    files = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        files.append(path)
    return files


def _folder_digest(folder: Path) -> str:
    """Hash of the files' names and bytes; cached while their sizes and mtimes stay put."""
    files = _folder_files(folder)
    stats = tuple((f.relative_to(folder).as_posix(), f.stat().st_size, f.stat().st_mtime_ns)
                  for f in files)
    key = (str(folder.resolve()), stats)
    with _DIGEST_LOCK:
        if key in _FOLDER_DIGESTS:
            return _FOLDER_DIGESTS[key]
    total = hashlib.sha256()
    for path, (rel, _size, _mtime) in zip(files, stats, strict=True):
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        total.update(f"{rel}\0{digest.hexdigest()}\n".encode())
    result = total.hexdigest()
    with _DIGEST_LOCK:
        _FOLDER_DIGESTS[key] = result
    return result


def _offline() -> bool:
    return any(os.environ.get(var, "").strip().lower() in ("1", "true", "yes", "on")
               for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def _cached_hub_commit(repo_id: str, revision: str | None) -> str | None:
    """The commit of a hub model in the local cache, or None when it is not there."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(repo_id, "config.json", revision=revision)
    except ValueError:  # not a valid repo id
        return None
    if isinstance(found, str):
        return Path(found).parent.name
    return None


def _unavailable_message(name: str, why: str) -> str:
    return (f"model {name} {why}: download it on a machine with network "
            f"(`hf download {name} --local-dir FOLDER`) and pass the folder with "
            f"--model FOLDER, or set REVIEW_MODEL_<SRC>_<TGT>=FOLDER (e.g. REVIEW_MODEL_ZH_EN) "
            f"or [models] in review.toml")


def model_identity(name_or_path: str | Path, revision: str | None = None) -> str:
    """A stable id for a model: what changes when the weights change.

    A local folder gives ``<model_type>@sha256:<16 hex>`` from its files' bytes (two folders
    holding the same files get the same id); a hub id gives ``<id>@<commit>`` (the commit in
    the local cache, else the requested revision or ``main``).
    """
    name = str(name_or_path)
    folder = Path(name).expanduser()
    if folder.is_dir():
        model_type = "model"
        config = folder / "config.json"
        if config.is_file():
            try:
                model_type = json.loads(config.read_text(encoding="utf-8")).get(
                    "model_type", model_type)
            except (ValueError, OSError):
                pass
        return f"{model_type}@sha256:{_folder_digest(folder)[:16]}"
    if folder.exists():
        raise ModelUnavailable(f"model {name} is a file: pass the folder that holds "
                               f"config.json and the weights")
    if _looks_like_path(name):
        raise ModelUnavailable(f"model folder {name} does not exist: pass a folder that holds "
                               f"config.json and the weights, or a hub id")
    commit = _cached_hub_commit(name, revision)
    return f"{name}@{(commit or revision or 'main')[:12]}"


# --- language codes per model family --------------------------------------------------------

_NLLB = {
    "zh": "zho_Hans", "zh-hans": "zho_Hans", "zh-cn": "zho_Hans", "zh-hant": "zho_Hant",
    "zh-tw": "zho_Hant", "zh-hk": "zho_Hant", "zh-sg": "zho_Hans", "en": "eng_Latn",
    "de": "deu_Latn", "fr": "fra_Latn", "es": "spa_Latn", "it": "ita_Latn", "pt": "por_Latn",
    "ru": "rus_Cyrl", "uk": "ukr_Cyrl",
    "ja": "jpn_Jpan", "ko": "kor_Hang", "ar": "arb_Arab", "cs": "ces_Latn", "pl": "pol_Latn",
    "nl": "nld_Latn", "tr": "tur_Latn", "he": "heb_Hebr", "hi": "hin_Deva", "vi": "vie_Latn",
    "id": "ind_Latn", "th": "tha_Thai",
}
_MBART50 = {
    "zh": "zh_CN", "zh-hans": "zh_CN", "zh-cn": "zh_CN", "en": "en_XX", "de": "de_DE",
    "fr": "fr_XX", "es": "es_XX", "it": "it_IT", "pt": "pt_XX", "ru": "ru_RU", "uk": "uk_UA",
    "ja": "ja_XX", "ko": "ko_KR", "ar": "ar_AR",
    "cs": "cs_CZ", "pl": "pl_PL", "nl": "nl_XX", "tr": "tr_TR", "he": "he_IL", "hi": "hi_IN",
    "vi": "vi_VN", "id": "id_ID", "th": "th_TH",
}
_MARIAN_TARGETS = {
    "zh": ["cmn_Hans", "zho_Hans", "zho", "cmn"], "en": ["eng"], "de": ["deu"],
    "fr": ["fra"], "es": ["spa"], "ja": ["jpn"], "ru": ["rus"],
}


def model_family(model_type: str, tokenizer_class: str, has_token: Callable[[str], bool]) -> str:
    """How a model wants its languages named: nllb, m2m100, mbart50, madlad, marian or plain."""
    if tokenizer_class.startswith("Nllb"):
        return "nllb"
    if tokenizer_class.startswith("M2M100"):
        return "m2m100"
    if tokenizer_class.startswith("MBart50"):
        return "mbart50"
    if model_type == "marian":
        return "marian"
    if has_token("<2en>"):
        return "madlad"
    return "plain"


def _base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


_ISO3 = {"zho": "zh", "cmn": "zh", "chi": "zh", "eng": "en", "deu": "de", "ger": "de",
         "fra": "fr", "fre": "fr", "spa": "es", "ita": "it", "por": "pt", "rus": "ru",
         "ukr": "uk", "jpn": "ja", "kor": "ko", "ara": "ar", "ces": "cs", "pol": "pl",
         "nld": "nl", "tur": "tr", "heb": "he", "hin": "hi", "vie": "vi", "ind": "id",
         "tha": "th"}
_OPUS_NAME = re.compile(r"opus-mt-(?:tc-big-)?([a-z]{2,3})-([a-z]{2,3})$")


def declared_direction(name: str, source_lang: str | None = None,
                       target_lang: str | None = None) -> tuple[str, str] | None:
    """The one direction a per-direction model translates, when it says so clearly.

    From the tokenizer's ``source_lang``/``target_lang`` or an ``opus-mt-xx-yy`` name;
    None for multilingual models (``mul``) and anything unclear.
    """
    pair: tuple[str, str] | None = None
    if source_lang and target_lang:
        pair = (source_lang, target_lang)
    elif found := _OPUS_NAME.search(name.rstrip("/\\").lower()):
        pair = (found.group(1), found.group(2))
    if pair is None:
        return None
    codes = tuple(_ISO3.get(_base(code), _base(code)) for code in pair)
    if any(len(code) != 2 for code in codes):
        return None
    return codes[0], codes[1]


def language_codes(family: str, lang: str) -> list[str]:
    """Candidate spellings of ``lang`` for a model family, the most specific first."""
    low = lang.replace("_", "-").lower()
    codes: list[str] = []
    if family in ("nllb", "mbart50"):
        table = _NLLB if family == "nllb" else _MBART50
        # Own codes (deu_Latn, de_DE) pass through. A Chinese variant missing from the table
        # (zh-Hant for mBART-50) gets no code rather than the other script's.
        found = lang if "_" in lang else table.get(low)
        if found is None and _base(lang) != "zh":
            found = table.get(_base(lang))
        codes = [found] if found else []
    elif family == "m2m100":
        codes = [_base(lang)]
    elif family == "madlad":
        codes = [f"<2{lang}>", f"<2{_base(lang)}>"]
    elif family == "marian":
        codes = [f">>{n}<<" for n in (lang, _base(lang), *_MARIAN_TARGETS.get(_base(lang), []))]
    return list(dict.fromkeys(codes))


# --- the transformers backend ------------------------------------------------------------

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
        if (not Path(self.source).expanduser().is_dir() and _offline()
                and _cached_hub_commit(self.source, revision) is None):
            raise ModelUnavailable(_unavailable_message(self.source, "is not available offline"))
        self.name = self.identity + self._decoding_suffix()
        self.generate_calls = 0
        self.truncated: list[int] = []
        self._model: Any = None
        self._tokenizer: Any = None
        self._family = "plain"
        self._device = "cpu"
        self._length_cap = FALLBACK_MAX_INPUT_TOKENS
        self._lock = threading.RLock()

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
        if _offline():
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
    caps = [getattr(model.config, "max_position_embeddings", None),
            getattr(model.generation_config, "max_length", None)]
    caps = [c for c in caps if isinstance(c, int) and c > 0]
    return min(caps) if caps else FALLBACK_MAX_INPUT_TOKENS


def _has_token(tokenizer: Any, token: str) -> bool:
    tid = tokenizer.convert_tokens_to_ids(token)
    return tid is not None and tid != tokenizer.unk_token_id


def _example_code(family: str) -> str:
    return {"nllb": "zho_Hans", "mbart50": "zh_CN", "m2m100": "zh", "madlad": "<2zh>",
            "marian": ">>cmn_Hans<<"}.get(family, "zh")


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:200]


# --- one loaded model per name and options -------------------------------------------------

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
