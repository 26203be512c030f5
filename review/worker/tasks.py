"""What each kind of job does. Every task writes its results at the end, in short
transactions after all the slow work is done, so a failure or a cancel stores nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from review.accounts.permissions import Actor
from review.core.errors import InputError, NotFound
from review.db.models import Article
from review.formats.base import ReadOptions
from review.jobs import hub
from review.jobs.context import JobContext
from review.retranslate import run_retranslation
from review.services import Workbench
from review.services.checking import suggest_for_segments
from review.services.retranslation import StoreTranslationCache, default_models
from review.worker.translators import loaded, translator

Task = Callable[[Workbench, Actor, JobContext, dict, bytes | None], dict]


def _article_ids(arguments: dict) -> list[int]:
    ids = [int(a) for a in arguments.get("article_ids") or []]
    if not ids:
        raise InputError("the job names no article")
    return ids


def retranslate(workbench: Workbench, actor: Actor, ctx: JobContext, arguments: dict,
                payload: bytes | None) -> dict:
    """Retranslate articles, batching the segments of every article that shares a model and
    language pair into one run, so each model loads once per worker and batches stay full.
    Outputs go to the translation cache as they come; candidates are stored per article
    only after every article is translated."""
    model, back = arguments.get("model"), arguments.get("back_model")
    groups: dict[tuple, list[tuple[int, list[tuple[int, str]]]]] = defaultdict(list)
    for article_id in _article_ids(arguments):
        mode, src, tgt, items, _ = workbench.retranslation.plan(actor, article_id,
                                                                arguments.get("mode"))
        forward_default, back_default = default_models(mode, src, tgt)
        if mode == "ape" and not (model or forward_default):
            raise InputError(f"no rewriting model for {tgt}: name one or set "
                             f"[models] ape-{tgt} in review.toml")
        forward = model or forward_default
        backward = (back or model or back_default) if mode == "roundtrip" else ""
        groups[(mode, src, tgt, forward, backward)].append((article_id, items))
    total = sum(len(items) for group in groups.values() for _, items in group)
    finished = 0
    ctx.progress(0, total, "loading the model")
    for (mode, src, tgt, forward, backward), members in groups.items():
        ctx.check()
        for name in {forward, backward} - {""}:
            _fetch_if_missing(name, ctx)
        fwd = translator(forward)
        bwd = translator(backward) if backward else None
        items = [item for _, article_items in members for item in article_items]
        base = finished

        def progress(done: int, _total: int, base: int = base) -> None:
            ctx.progress(base + done, total, f"{base + done} / {total} segments translated")

        result = run_retranslation(items, mode=mode, src_lang=src, tgt_lang=tgt, forward=fwd,
                                   backward=bwd, cache=StoreTranslationCache(workbench.store),
                                   progress=progress, should_cancel=ctx.should_cancel)
        if result.cancelled:
            ctx.check()
        finished += len(items)
    ctx.check()
    ctx.progress(total, total, "storing the retranslations")
    reports = []
    for (mode, _src, _tgt, forward, backward), members in groups.items():
        fwd = translator(forward)
        bwd = translator(backward) if backward else None
        for article_id, _ in members:  # every output is in the cache now: no model call
            report = workbench.retranslation.retranslate(actor, article_id, mode=mode, forward=fwd,
                                           backward=bwd)
            reports.append({"article_id": article_id, "system": report.system,
                            "stored": report.stored, "truncated": len(report.truncated)})
    return {"articles": reports, "segments": sum(r["stored"] for r in reports)}


def _fetch_if_missing(name: str, ctx: JobContext) -> None:
    """The first retranslation with a hub model fetches it, with progress, when this
    machine is online; offline, loading says what to do."""
    if loaded(name) or hub.offline() or not hub.looks_like_hub_id(name) or hub.is_cached(name):
        return
    total_before = (ctx.done, ctx.total)

    def progress(done: int, total: int, message: str = "") -> None:
        ctx.progress(done, total, f"downloading {message}")

    hub.pull(name, progress, ctx.should_cancel)
    ctx.progress(*total_before, "loading the model")


def score(workbench: Workbench, actor: Actor, ctx: JobContext, arguments: dict,
          payload: bytes | None) -> dict:
    """Score articles; each article's scores land together."""
    ids = _article_ids(arguments)
    comparison = arguments.get("comparison") or "mt_vs_corrected"
    corpus = {}
    for n, article_id in enumerate(ids):
        ctx.check()
        ctx.progress(n, len(ids), f"scoring article {article_id}")
        scores = workbench.scoring.score_article(actor, article_id, comparison)
        corpus[str(article_id)] = {name: round(s.value, 2) for name, s in scores.corpus.items()}
    return {"corpus": corpus}


def checks(workbench: Workbench, actor: Actor, ctx: JobContext, arguments: dict,
           payload: bytes | None) -> dict:
    """Run the QA checks again over whole articles, all in one transaction."""
    ids = _article_ids(arguments)
    ctx.progress(0, len(ids), "running the checks")
    with workbench.store.read() as session:
        for article_id in ids:
            workbench.access.require_article(session, actor, article_id, "article.read")
    ctx.check()
    suggested = 0
    with workbench.store.write() as session:
        for article_id in ids:
            article = session.get(Article, article_id)
            if article is None:
                raise NotFound(f"article {article_id} was deleted before its checks ran")
            suggested += suggest_for_segments(session, article, None)
    return {"articles": len(ids), "suggestions": suggested}


def import_file(workbench: Workbench, actor: Actor, ctx: JobContext, arguments: dict,
                payload: bytes | None) -> dict:
    """Import a file that was too big to import while the page waited."""
    if payload is None:
        raise InputError("the file of this import job is gone; upload it again")
    ctx.progress(0, 1, f"reading {arguments.get('filename', 'the file')}")
    options = ReadOptions(**(arguments.get("options") or {}))
    report = workbench.imports.import_file(actor, payload, arguments["filename"],
                                   arguments.get("format"), options,
                                   again=bool(arguments.get("again")))
    return {"articles": [a.id for a in report.articles], "segments": report.segments,
            "suggested_flags": report.suggested_flags, "notes": report.notes}


def pull_model(workbench: Workbench, actor: Actor, ctx: JobContext, arguments: dict,
               payload: bytes | None) -> dict:
    """Fetch a model into this worker's hub cache ahead of its first retranslation."""
    return hub.pull(arguments["name"], ctx.progress, ctx.should_cancel)


TASKS: dict[str, Task] = {"retranslate": retranslate, "score": score, "checks": checks,
                          "import": import_file, "models.pull": pull_model}
