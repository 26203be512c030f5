"""The store's rows and texts as DataFrames for the reports, and the text pairs they score."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import SupportsInt

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from review import dashboard as dash
from review.core.vocab import (
    CONTENT_KINDS,
    FINISHED_STATUSES,
    base_lang,
)
from review.db.models import (
    Article,
    AuditEvent,
    Candidate,
    Flag,
    Revision,
    Segment,
)
from review.metrics import get_metric, segment_metrics
from review.services.base import listed, staged_segment_ids
from review.services.pair_stats import DECISION_ACTIONS, PAIR_STATS, WORDS
from review.services.views import retranslations_of


@dataclass
class _Texts:
    """Texts: segments (mt, current, source) and candidates, as Python strings."""

    segments: pd.DataFrame  # id, article_id, kind, status, mt, current, source
    candidates: pd.DataFrame  # id, segment_id, system, kind, text
    lang: dict[int, str]  # article id -> target language

    def subset(self, view: dash.Frames) -> _Texts:
        ids = view.segments["id"]
        return _Texts(self.segments[self.segments["id"].isin(ids)].reset_index(drop=True),
                      self.candidates[self.candidates["segment_id"].isin(ids)]
                      .reset_index(drop=True), self.lang)


@dataclass
class _Version:
    """What one data version holds for every filter: rows, texts (read on first need) and
    the metric statistics of each set of text pairs (computed on first need)."""

    frames: dash.Frames
    texts: _Texts | None = None
    pairs: dict[str, tuple[pd.DataFrame, dict[str, np.ndarray]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pair_stats(self, key: str, build, metric: str  # noqa: ANN001 - () -> DataFrame
                   ) -> tuple[pd.DataFrame, np.ndarray]:
        """The pairs named ``key`` (built by ``build`` once) with ``metric`` statistics."""
        with self.lock:
            entry = self.pairs.get(key)
            if entry is None:
                entry = self.pairs[key] = (build(), {})
            pairs, stats = entry
            if metric not in stats:
                stats[metric] = _stats_in_order(metric, pairs)
            return pairs, stats[metric]



# ----------------------------------------------------------------------------- loading

def _select_frame(session: Session, stmt, columns: list[str]) -> pd.DataFrame:  # noqa: ANN001
    """A DataFrame straight from the driver's rows: no per-row result processing (dates come
    back as the driver gives them and are parsed by pandas, column by column)."""
    connection = session.connection()
    sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    result = connection.exec_driver_sql(sql)
    cursor = getattr(result, "cursor", None)
    rows = cursor.fetchall() if cursor is not None else [tuple(r) for r in result.fetchall()]
    result.close()
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.DataFrame.from_records(rows, columns=columns)


def _load_frames(session: Session, article_ids: Sequence[int] | None = None) -> dash.Frames:
    """The rows the dashboards compute from: the whole library, or only the rows of
    ``article_ids`` (a few articles' figures then cost what those articles hold, whatever
    the library's size)."""
    listed_articles = select(Article.id, Article.title, Article.source_lang,
                             Article.target_lang, Article.mt_system, Article.batch,
                             Article.created_at).where(listed())
    segment_rows = select(
        Segment.id, Segment.article_id, Segment.position, Segment.kind, Segment.status,
        Segment.risk, Segment.updated_at, Segment.updated_by, Segment.version).where(
        Segment.id.notin_(staged_segment_ids()))
    candidate_rows = select(Candidate.id, Candidate.segment_id, Candidate.system,
                            Candidate.kind, Candidate.created_at).where(
        Candidate.segment_id.notin_(staged_segment_ids()))
    flag_rows = select(
        Flag.id, Flag.segment_id, Flag.candidate_id, Flag.span_in, Flag.start, Flag.end,
        Flag.category, Flag.severity, Flag.author, Flag.origin, Flag.check_name, Flag.state,
        Flag.created_at).where(Flag.segment_id.notin_(staged_segment_ids()))
    revision_rows = select(
        Revision.id, Revision.segment_id, Revision.version, Revision.action, Revision.author,
        Revision.seconds_spent, Revision.created_at).where(
        Revision.segment_id.notin_(staged_segment_ids()))
    event_rows = select(AuditEvent.actor, AuditEvent.action, AuditEvent.segment_id,
                        AuditEvent.detail, AuditEvent.at).where(
        AuditEvent.action.in_(DECISION_ACTIONS))
    if article_ids is not None:
        ids = sorted({int(i) for i in article_ids})
        in_scope = select(Segment.id).where(Segment.article_id.in_(ids))
        listed_articles = listed_articles.where(Article.id.in_(ids))
        segment_rows = segment_rows.where(Segment.article_id.in_(ids))
        candidate_rows = candidate_rows.where(Candidate.segment_id.in_(in_scope))
        flag_rows = flag_rows.where(Flag.segment_id.in_(in_scope))
        revision_rows = revision_rows.where(Revision.segment_id.in_(in_scope))
        event_rows = event_rows.where(AuditEvent.segment_id.in_(in_scope))
    articles = _select_frame(session, listed_articles, [
        "id", "title", "source_lang", "target_lang", "mt_system", "batch", "created_at"])
    articles["pair"] = [dash.language_pair(s, t) for s, t in
                        zip(articles["source_lang"], articles["target_lang"])]
    created = dict(zip(articles["id"], articles["created_at"]))
    segments = _select_frame(session, segment_rows, [
        "id", "article_id", "position", "kind", "status", "risk", "updated_at", "updated_by",
        "version"])
    # A merge or split rewrites the MT (and a merge the candidates) under the same ids and
    # raises the segment's version: the version in the keys makes the counts follow.
    version = dict(zip(segments["id"], segments["version"]))
    segments["words"] = WORDS.segments(session, [
        (i, a, str(created.get(a)), v) for i, a, v in
        zip(segments["id"], segments["article_id"], segments["version"])])
    segments = segments.drop(columns=["version"])
    candidates = _select_frame(session, candidate_rows,
                               ["id", "segment_id", "system", "kind", "created"])
    candidates["words"] = WORDS.candidates(session, [
        (i, s, str(c), version.get(s)) for i, s, c in
        zip(candidates["id"], candidates["segment_id"], candidates["created"])])
    flags = _select_frame(session, flag_rows, dash.FLAG_COLUMNS)
    revisions = _select_frame(session, revision_rows, dash.REVISION_COLUMNS)
    decisions = pd.DataFrame(
        [(a, act, seg, (d or {}).get("flag_id"), (d or {}).get("check") or "", at)
         for a, act, seg, d, at in session.execute(event_rows).all()],
        columns=dash.DECISION_COLUMNS)
    return dash.frames_from_records(articles=articles, segments=segments,
                                    candidates=candidates.drop(columns=["created"]),
                                    flags=flags, revisions=revisions, decisions=decisions)


# ----------------------------------------------------------------------------- text scores

def _main_language(langs: dict[int, str], article_ids: Iterable) -> str:
    counts = pd.Series([langs.get(int(a), "") for a in article_ids]).value_counts()
    return str(counts.index[0]) if len(counts) else "en"


def _stats_in_order(metric: str, pairs: pd.DataFrame) -> np.ndarray:
    """Sufficient statistics of each pair (hyp, ref) under its target language, in row
    order; pairs the process has scored before are not scored again."""
    if pairs.empty:
        return np.zeros((0, 0))
    out: np.ndarray | None = None
    hyps, refs = pairs["hyp"].to_numpy(dtype=object), pairs["ref"].to_numpy(dtype=object)
    for lang, idx in pairs.groupby("lang", sort=False).indices.items():
        stats = PAIR_STATS.stats(metric, hyps[idx].tolist(), refs[idx].tolist(), str(lang))
        if out is None:
            out = np.zeros((len(pairs), stats.shape[1]))
        out[idx] = stats
    if out is None:  # every pair has a target language, so some group filled it
        raise ValueError("text pairs without a target language")
    return out


def _summed_scores(version: _Version, key: str, build, select,  # noqa: ANN001
                   metrics: Sequence[str], by: str | None = None) -> pd.DataFrame:
    """Corpus scores of the selected pairs (per ``by`` group) from summed statistics.

    ``build()`` makes the pairs of the whole data version once; ``select(pairs)`` is the
    boolean mask of the pairs inside the filters.
    """
    label = by or "group"
    table: dict[object, dict] = {}
    signatures = []
    for name in metrics:
        pairs, stats = version.pair_stats(key, build, name)
        keep = np.asarray(select(pairs), dtype=bool) if len(pairs) else np.zeros(0, bool)
        if not keep.any():
            continue
        lang = str(pairs["lang"][keep].mode().iloc[0])
        metric = get_metric(name)
        signatures.append(f"{name}: {metric.signature(lang)}")
        labels = pairs[by].to_numpy()[keep] if by else np.zeros(int(keep.sum()), dtype=int)
        groups, inverse = np.unique(labels.astype(str) if by else labels, return_inverse=True)
        totals = np.zeros((len(groups), stats.shape[1]))
        np.add.at(totals, inverse, stats[keep])
        sizes = np.bincount(inverse, minlength=len(groups))
        for group, total, size in zip(groups, totals, sizes):
            row = table.setdefault(group, {label: group, "segments": int(size)})
            row[name] = metric.from_totals(total, lang)
    out = pd.DataFrame(list(table.values()),
                       columns=[label, *segment_metrics(), "segments"])
    out[list(segment_metrics())] = out[list(segment_metrics())].astype(float)
    out["signature"] = " · ".join(signatures)
    return out


def _segment_ter(hyps: Sequence[str], refs: Sequence[str], langs: Sequence[str]) -> list[float]:
    """Segment TER (HTER when the reference is the post-edit); identical texts cost nothing."""
    out = [0.0] * len(hyps)
    todo: dict[str, list[int]] = {}
    for i, (h, r, lang) in enumerate(zip(hyps, refs, langs)):
        if h != r:
            todo.setdefault(base_lang(lang), []).append(i)
    for lang, idx in todo.items():
        metric = get_metric("ter")
        stats = PAIR_STATS.stats("ter", [hyps[i] for i in idx], [refs[i] for i in idx], lang)
        values, _ = metric.score_stats([list(row) for row in stats], lang)
        for i, value in zip(idx, values):
            out[i] = float(value)
    return out


def _finished_ids(view: dash.Frames, filters: dash.DashboardFilters) -> pd.Series:
    """Finished (fixed or approved) title and body segments inside the filters."""
    segs = view.segments[view.segments["status"].isin(FINISHED_STATUSES)
                         & view.segments["kind"].isin(CONTENT_KINDS)]
    segs = segs[dash._in_dates(segs["updated_at"], filters)]
    if filters.reviewers:
        segs = segs[segs["updated_by"].isin(filters.reviewers)]
    return segs["id"]


def _with_lang(frame: pd.DataFrame, texts: _Texts) -> pd.DataFrame:
    return frame.assign(lang=[base_lang(texts.lang.get(int(a), "")) for a in frame["article_id"]])


def _finished_pairs(texts: _Texts, edited_only: bool = False) -> pd.DataFrame:
    segs = texts.segments[texts.segments["status"].isin(FINISHED_STATUSES)
                          & texts.segments["kind"].isin(CONTENT_KINDS)]
    if edited_only:
        segs = segs[segs["mt"] != segs["current"]]
    pairs = pd.DataFrame({"segment_id": segs["id"].to_numpy(),
                          "article_id": segs["article_id"].to_numpy(),
                          "hyp": segs["mt"].to_numpy(dtype=object),
                          "ref": segs["current"].to_numpy(dtype=object)})
    return _with_lang(pairs, texts)


def _retranslation_pairs(frames: dash.Frames, texts: _Texts) -> pd.DataFrame:
    """The MT against its retranslation (a model's, else another system's), per segment."""
    scored = texts.segments[texts.segments["kind"].isin(CONTENT_KINDS)]
    mt_system = dict(zip(frames.articles["id"].astype(int), frames.articles["mt_system"]))
    article_of = dict(zip(scored["id"], scored["article_id"]))
    cands = texts.candidates[texts.candidates["segment_id"].isin(scored["id"])]
    partner = retranslations_of(
        [(sid, cid, system, kind, text) for sid, cid, system, kind, text in
         cands[["segment_id", "id", "system", "kind", "text"]].itertuples(index=False)
         if system != mt_system.get(int(article_of[sid]), "")], "")
    seg = scored.set_index("id")
    ids = [i for i in seg.index if i in partner]
    pairs = pd.DataFrame({"segment_id": ids,
                          "article_id": seg.loc[ids, "article_id"].to_numpy(),
                          "hyp": seg.loc[ids, "mt"].to_numpy(dtype=object),
                          "ref": pd.Series([partner[i][1] for i in ids], dtype=object)})
    return _with_lang(pairs, texts)


def _system_pairs(frames: dash.Frames, texts: _Texts, against: str) -> pd.DataFrame:
    """(system, segment_id, article_id, hyp, ref, lang) for every system's translation of a
    title or body segment, against the reference (segments that have one) or the corrected
    text. The MT counts as its article's MT system when no candidate carries it."""
    segs = texts.segments[texts.segments["kind"].isin(CONTENT_KINDS)]
    cands = texts.candidates[texts.candidates["segment_id"].isin(segs["id"])]
    if against == "reference":
        refs = cands[cands["kind"] == "reference"].drop_duplicates("segment_id")
        ref_text = pd.Series(refs["text"].to_numpy(dtype=object),
                             index=refs["segment_id"].to_numpy())
    else:
        ref_text = pd.Series(segs["current"].to_numpy(dtype=object), index=segs["id"].to_numpy())
    article_of = pd.Series(segs["article_id"].to_numpy(), index=segs["id"].to_numpy())
    hyps = cands[cands["kind"] != "reference"][["system", "segment_id", "text"]]
    mt_system = dict(zip(frames.articles["id"].astype(int), dash._mt_systems(frames.articles)))
    mt = pd.DataFrame({"system": [mt_system.get(int(a), dash.DEFAULT_SYSTEM)
                                  for a in segs["article_id"]],
                       "segment_id": segs["id"].to_numpy(),
                       "text": segs["mt"].to_numpy(dtype=object)})
    both = pd.concat([hyps, mt], ignore_index=True).drop_duplicates(["system", "segment_id"])
    both = both[both["segment_id"].isin(ref_text.index)]
    both = pd.DataFrame({"system": both["system"].astype(str).to_numpy(),
                         "segment_id": both["segment_id"].to_numpy(),
                         "article_id": article_of.reindex(both["segment_id"]).to_numpy(),
                         "hyp": both["text"].to_numpy(dtype=object),
                         "ref": ref_text.reindex(both["segment_id"]).to_numpy(dtype=object)})
    return _with_lang(both, texts)




def _attach_texts(data: dash.DashboardData, texts: _Texts) -> None:
    """Texts for the few rows a lead reads: error examples and the worst segments."""
    seg = texts.segments.set_index("id")
    cand = texts.candidates.set_index("id")
    by_system = {(s, sid): t for s, sid, t in texts.candidates[["system", "segment_id", "text"]]
                 .itertuples(index=False)}

    def seg_col(ids: pd.Series, col: str) -> list[str]:
        return seg[col].reindex(ids.astype(float).astype("Int64").astype(float)).fillna("") \
            .tolist() if len(seg) else [""] * len(ids)

    ex = data.errors.examples
    if len(ex):
        cand_text = cand["text"].reindex(ex["candidate_id"].astype(float)).tolist() \
            if len(cand) else [None] * len(ex)
        current = seg_col(ex["segment_id"], "current")
        source = seg_col(ex["segment_id"], "source")
        text = [c if isinstance(c, str) else cur for c, cur in zip(cand_text, current)]
        ex["text"] = text
        ex["span"] = [_span(src if where == "source" else t, s, e)
                      for t, src, where, s, e in zip(text, source, ex["span_in"], ex["start"],
                                                     ex["end"])]
    else:
        ex["text"], ex["span"] = [], []

    worst = data.worst.by_mqm
    if len(worst):
        mt = seg_col(worst["segment_id"], "mt")
        worst["text"] = [by_system.get((s, int(i)), m) for s, i, m in
                         zip(worst["system"], worst["segment_id"], mt)]
        worst["source"] = seg_col(worst["segment_id"], "source")
    else:
        worst["text"], worst["source"] = [], []
    risky = data.worst.by_risk
    for col in ("mt", "current", "source"):
        risky[col] = seg_col(risky["segment_id"], col) if len(risky) else []


def _span(text: str, start: SupportsInt | None, end: SupportsInt | None) -> str:
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return ""
    return text[int(start):int(end)]


def _json_row(row: dict) -> dict:
    out = {}
    for key, value in row.items():
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and math.isnan(value):
            value = None
        out[key] = value
    return out
