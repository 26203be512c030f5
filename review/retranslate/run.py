"""Running a retranslation: the modes' legs (source, round trip, rewrite) over chunks,
with the cache asked first, progress and cancellation between chunks.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from review.core.digests import input_digest
from review.core.errors import InputError
from review.core.settings import env_var_for
from review.core.vocab import RETRANSLATION_MODES
from review.retranslate.protocol import TranslationCache, Translator

TRUNCATED_SUFFIX = ":truncated"
DEFAULT_BATCH_SIZE = 16


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
