"""Model retranslation of articles, with a cache in the store.

Outputs of a run are stored together, in one transaction at the end: a run that is
cancelled or fails leaves no half article of candidates (its finished translations stay in
the cache, so running again is cheap)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable

from sqlalchemy import delete, insert, select, update

from review.accounts.permissions import Actor, require
from review.core.errors import InputError, NotFound
from review.core.settings import load_settings
from review.core.vocab import (
    CONTENT_KINDS,
    RETRANSLATION_MODES,
)
from review.db.models import (
    Article,
    Candidate,
    Segment,
    TranslationCacheEntry,
    utcnow,
)
from review.db.store import Store
from review.retranslate import (
    EchoTranslator,
    RetranslationResult,
    Translator,
    load_translator,
    run_retranslation,
)
from review.services.base import Service, audit
from review.services.checking import suggest_for_segments
from review.services.views import (
    RetranslationReport,
)

ECHO_MODEL = "echo"
"""A model-free backend that tags each text with its language: for trying the workflow."""


class StoreTranslationCache:
    """The translation cache in the database, shared by every process and user."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get_many(self, model_key: str, mode: str, src: str, tgt: str,
                 text_hashes: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        with self.store.read() as session:
            for start in range(0, len(text_hashes), 500):
                batch = text_hashes[start:start + 500]
                found.update(session.execute(
                    select(TranslationCacheEntry.text_hash, TranslationCacheEntry.output)
                    .where(TranslationCacheEntry.model_key == model_key,
                           TranslationCacheEntry.mode == mode,
                           TranslationCacheEntry.src_lang == src,
                           TranslationCacheEntry.tgt_lang == tgt,
                           TranslationCacheEntry.text_hash.in_(batch))).all())
        return found

    def put_many(self, model_key: str, mode: str, src: str, tgt: str,
                 entries: dict[str, str]) -> None:
        if not entries:
            return
        with self.store.write() as session:
            known = set(session.scalars(
                select(TranslationCacheEntry.text_hash)
                .where(TranslationCacheEntry.model_key == model_key,
                       TranslationCacheEntry.mode == mode,
                       TranslationCacheEntry.src_lang == src,
                       TranslationCacheEntry.tgt_lang == tgt,
                       TranslationCacheEntry.text_hash.in_(list(entries)))))
            now = utcnow()
            rows = [dict(model_key=model_key, mode=mode, src_lang=src, tgt_lang=tgt,
                         text_hash=h, output=out, created_at=now)
                    for h, out in entries.items() if h not in known]
            if rows:
                session.execute(insert(TranslationCacheEntry), rows)


def translator_for(name: str) -> Translator:
    """Load a model by hub id or folder with the configured decoding options.

    Library chatter (progress bars, optional-package hints) is silenced: the command line's
    stderr is for our one-line messages.
    """
    if name == ECHO_MODEL:
        return EchoTranslator()
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        return load_translator(name, **load_settings().translator_options())


def default_models(mode: str, src: str | None, tgt: str) -> tuple[str, str]:
    """The configured (forward, backward) model names for a mode and language pair; the
    backward one only for a round trip, the forward one empty when none is configured."""
    settings = load_settings()
    if mode == "ape":
        return settings.ape_model_for(tgt) or "", ""
    src = src or "zh"
    back = settings.model_for(tgt, src) if mode == "roundtrip" else ""
    return settings.model_for(src, tgt), back


class RetranslationServices(Service):
    """Model retranslation of articles, with a cache in the store."""

    def default_models(self, actor: Actor, article_id: int, mode: str) -> tuple[str, str]:
        """What ``retranslate`` would use for this article and mode when given no model."""
        require(actor, "article.retranslate")
        with self.store.read() as session:
            article = self.access.require_article(session, actor, article_id, "article.retranslate")
            return default_models(mode, article.source_lang, article.target_lang)

    def retranslate(self, actor: Actor, article_id: int, *, mode: str | None = None,
                    model: str | None = None, back_model: str | None = None,
                    forward: Translator | None = None, backward: Translator | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    should_cancel: Callable[[], bool] | None = None) -> RetranslationReport:
        """Retranslate every title and body segment and store one candidate per segment.

        ``model``/``back_model`` name models (hub id or folder; default from settings);
        ``forward``/``backward`` pass translators directly (tests, the UI's cached ones).
        """
        mode, src, tgt, items, skipped = self.plan(actor, article_id, mode)
        if forward is None:
            default_forward, default_back = default_models(mode, src, tgt)
            if mode == "ape" and not (model or default_forward):
                raise InputError(f"no rewriting model for {tgt}: pass --model or set "
                                 f"[models] ape-{tgt} in review.toml")
            forward = translator_for(model or default_forward)
        if mode == "roundtrip" and backward is None:
            # One multilingual model (NLLB, M2M100, MADLAD) serves both legs when only
            # --model is given; per-direction models (Marian) take --back-model.
            backward = translator_for(back_model or model or default_models(mode, src, tgt)[1])
        result = run_retranslation(items, mode=mode, src_lang=src, tgt_lang=tgt,
                                   forward=forward, backward=backward,
                                   cache=StoreTranslationCache(self.store), progress=progress,
                                   should_cancel=should_cancel)
        stored = 0
        if not result.cancelled:
            stored = self._store_candidates(actor, article_id, mode, result)
        return RetranslationReport(
            article_id=article_id, system=result.system, mode=mode, stored=stored,
            translated=result.translated, model_calls=result.model_calls,
            cache_hits=result.cache_hits, skipped_residue=skipped,
            truncated=result.truncated, cancelled=result.cancelled)

    def plan(self, actor: Actor, article_id: int,
              mode: str | None) -> tuple[str, str, str, list[tuple[int, str]], int]:
        """(mode, source and target language, (segment id, text) to translate, residue
        skipped): what a retranslation of the article would send to the models."""
        require(actor, "article.retranslate")
        with self.store.read() as session:
            article = self.access.require_article(session, actor, article_id, "article.retranslate")
            segments = list(session.scalars(
                select(Segment).where(Segment.article_id == article_id)
                .order_by(Segment.position)))
            src, tgt = article.source_lang, article.target_lang
        work = [s for s in segments if s.kind in CONTENT_KINDS]
        skipped = len(segments) - len(work)
        has_source = any(s.source.strip() for s in work)
        mode = mode or ("source" if has_source else "roundtrip")
        if mode not in RETRANSLATION_MODES:
            raise InputError(f"unknown mode {mode!r}; use one of {', '.join(RETRANSLATION_MODES)}")
        if mode in ("source", "roundtrip") and not src:
            raise InputError(f"article {article_id} has no source language; import it again "
                             "with --source-lang (e.g. zh) to retranslate it")
        if mode == "source" and not has_source:
            raise InputError(f"article {article_id} has no source text; use --mode roundtrip "
                             "(through the source language) or --mode ape")
        items = [(s.id, s.source if mode == "source" else s.mt) for s in work]
        return mode, src, tgt, items, skipped

    def _store_candidates(self, actor: Actor, article_id: int, mode: str,
                          result: RetranslationResult) -> int:
        ids = list(result.outputs)
        with self.store.write() as session:
            article = session.get(Article, article_id)
            if article is None:
                raise NotFound(f"article {article_id} was deleted during its retranslation")
            session.execute(delete(Candidate).where(Candidate.segment_id.in_(ids),
                                                    Candidate.system == result.system))
            now = utcnow()
            truncated = set(result.truncated)
            rows = []
            for seg_id in ids:
                meta: dict[str, object] = {"mode": mode}
                if seg_id in result.pivots:
                    meta["pivot"] = result.pivots[seg_id]
                if seg_id in truncated:
                    meta["truncated"] = True
                rows.append(dict(segment_id=seg_id, system=result.system, kind="model",
                                 text=result.outputs[seg_id], meta=meta, created_at=now))
            if rows:
                session.execute(insert(Candidate), rows)
            # the risk ranking reads MT-retranslation agreement: rank again when asked
            session.execute(update(Segment).where(Segment.article_id == article_id)
                            .values(risk=None))
            audit(session, actor, "retranslate", article_id=article_id, system=result.system,
                  mode=mode, segments=len(rows))
            suggest_for_segments(session, article, None)
        return len(rows)
