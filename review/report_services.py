"""Reports across articles: the MQM report, per-segment risk, and the leads' dashboards.

The store's rows are read once per data version into :class:`review.dashboard.Frames` (ids,
labels and numbers) and aggregated with pandas; texts are read only for what needs them
(metric scores, examples, the worst segments). Sufficient statistics of every scored text
pair are kept per process, keyed by the texts, so a dashboard after an edit rescores only
the pairs that changed.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review import dashboard as dash
from review import mqm
from review.digests import pair_digest
from review.errors import InputError
from review.metrics import BootstrapResult, get_metric
from review.models import Article, AuditEvent, Candidate, Flag, Revision, Segment, SegmentScore
from review.permissions import Actor, can, require
from review.service_base import ServiceBase
from review.vocab import (
    CONTENT_KINDS,
    FINISHED_STATUSES,
    MQM_GROUPINGS,
    MT_VS_CORRECTED_LABEL,
    MT_VS_RETRANSLATION_LABEL,
    base_lang,
)

DECISION_ACTIONS = ("flag_confirmed", "flag_dismissed")
CHUNK = 500


# ----------------------------------------------------------------------------- caches

class PairStatsCache:
    """Sacrebleu sufficient statistics per (metric, language, hypothesis, reference).

    Corpus scores are sums of these, so any subset of segments is scored without running
    sacrebleu again; only new text pairs are computed. Bounded: the oldest entries go first.
    """

    def __init__(self, limit: int = 2_000_000) -> None:
        self.limit = limit
        self._data: OrderedDict[tuple, tuple[float, ...]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(metric: str, lang: str, hyp: str, ref: str) -> tuple:
        digest = hashlib.blake2b(digest_size=16)
        digest.update(hyp.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
        digest.update(ref.encode("utf-8", "surrogatepass"))
        return metric, lang, digest.digest()

    def stats(self, metric: str, hyps: Sequence[str], refs: Sequence[str],
              lang: str) -> np.ndarray:
        """One row of statistics per pair (shape: pairs × statistics)."""
        lang = base_lang(lang)
        keys = [self._key(metric, lang, h, r) for h, r in zip(hyps, refs)]
        with self._lock:
            found = [self._data.get(k) for k in keys]
        missing: dict[tuple, int] = {}  # each distinct missing pair computed once
        for i, row in enumerate(found):
            if row is None:
                missing.setdefault(keys[i], i)
        if missing:
            first = list(missing.values())
            computed = get_metric(metric).stats([hyps[i] for i in first],
                                                [refs[i] for i in first], lang)
            with self._lock:
                for i, row in zip(first, computed):
                    self._data[keys[i]] = tuple(float(v) for v in row)
                found = [row if row is not None else self._data[k]
                         for row, k in zip(found, keys)]
                while len(self._data) > self.limit:
                    self._data.popitem(last=False)
        if not found:
            return np.zeros((0, 0))
        return np.asarray(found, dtype=float)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


PAIR_STATS = PairStatsCache()


class _WordCounts:
    """Words of each stored translation, counted once per process (texts never change under
    an id: a new candidate gets a new row, and a segment's MT is fixed at import)."""

    def __init__(self) -> None:
        self._segments: dict[tuple, int] = {}
        self._candidates: dict[tuple, int] = {}
        self._lock = threading.Lock()

    def segments(self, session: Session, keys: list[tuple]) -> list[int]:
        return self._counts(session, keys, self._segments, Segment.id, Segment.mt)

    def candidates(self, session: Session, keys: list[tuple]) -> list[int]:
        return self._counts(session, keys, self._candidates, Candidate.id, Candidate.text)

    def _counts(self, session: Session, keys: list[tuple], cache: dict,
                id_col, text_col) -> list[int]:  # noqa: ANN001
        with self._lock:
            missing = [k for k in keys if k not in cache]
        if missing:
            wanted = {k[0]: k for k in missing}
            if len(missing) > 5_000:
                texts = session.execute(select(id_col, text_col)).all()
            else:
                texts = []
                ids = list(wanted)
                for lo in range(0, len(ids), CHUNK):
                    texts.extend(session.execute(select(id_col, text_col).where(
                        id_col.in_(ids[lo:lo + CHUNK]))).all())
            counted = {wanted[i]: mqm.count_words(t) for i, t in texts if i in wanted}
            with self._lock:
                cache.update(counted)
                for k in missing:
                    cache.setdefault(k, 0)
        with self._lock:
            return [cache[k] for k in keys]


WORDS = _WordCounts()


# ----------------------------------------------------------------------------- results

@dataclass(frozen=True)
class SystemComparison:
    """Two systems on the segments both have: paired bootstrap of MQM and of one metric."""

    system_a: str
    system_b: str
    mqm: dash.MeanComparison
    metric_name: str
    metric: BootstrapResult | None
    against: str  # "reference" or "corrected"


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


class ReportServices(ServiceBase):
    """Reports across articles: MQM, risk ranking, dashboards."""

    _frames_lock = threading.Lock()

    # ------------------------------------------------------------------ versions and frames
    def dashboard_version(self, actor: Actor) -> str:
        """A cheap token that changes whenever anything the dashboards show changes."""
        require(actor, "dashboard.view")
        return self._version()

    def _version(self) -> str:
        with self.store.read() as session:
            parts = [
                session.execute(select(func.count(), func.max(Article.id))).one(),
                session.execute(select(func.count(), func.max(Segment.updated_at),
                                       func.sum(Segment.version), func.sum(Segment.risk))).one(),
                session.execute(select(func.count(), func.max(Candidate.id))).one(),
                session.execute(select(func.count(), func.max(Flag.id),
                                       func.max(Flag.updated_at))).one(),
                session.execute(select(func.count(), func.max(Revision.id))).one(),
                session.execute(select(func.count(), func.max(AuditEvent.id))).one(),
            ]
        return "|".join(str(tuple(p)) for p in parts)

    def _frames(self) -> tuple[str, dash.Frames]:
        """The store's rows as DataFrames, reloaded only when the data version changed."""
        version, data = self._data()
        return version, data.frames

    def _data(self) -> tuple[str, _Version]:
        version = self._version()
        cache: OrderedDict = self.__dict__.setdefault("_frames_cache", OrderedDict())
        with self._frames_lock:
            data = cache.get(version)
        if data is None:
            with self.store.read() as session:
                data = _Version(_load_frames(session))
            with self._frames_lock:
                cache[version] = data
                while len(cache) > 2:
                    cache.popitem(last=False)
        return version, data

    def _all_texts(self, data: _Version) -> _Texts:
        with data.lock:
            if data.texts is None:
                data.texts = self._texts(data.frames)
            return data.texts

    # ------------------------------------------------------------------ dashboards
    def dashboard_data(self, actor: Actor, filters: dash.DashboardFilters | None = None, *,
                       weights: mqm.MQMWeights | None = None, freq: str = "W",
                       with_metrics: bool = True, with_ter: bool = False
                       ) -> dash.DashboardData:
        """Every dashboard view for ``filters`` (leads and admins).

        ``with_metrics``: chrF and BLEU per system and of the MT against the corrected text
        and the retranslation; ``with_ter`` adds TER there (sacrebleu's TER takes tens of
        milliseconds per long segment, so it is asked for explicitly). HTER of finished
        segments is always computed: it only concerns edited segments.
        """
        require(actor, "dashboard.view")
        if freq not in ("D", "W"):
            raise InputError(f"unknown period {freq!r}; use D (days) or W (weeks)")
        filters = filters or dash.DashboardFilters()
        weights = weights or mqm.WMT_WEIGHTS
        _, version = self._data()
        view = dash.apply_filters(version.frames, filters)
        texts = self._all_texts(version).subset(view)
        metrics = ("chrf", "bleu", "ter") if with_ter else ("chrf", "bleu")
        scores = _text_scores(self, version, view, filters, metrics if with_metrics else ())
        data = dash.build_dashboard(version.frames, filters, scores, weights, freq,
                                    filtered=view)
        _attach_texts(data, texts)
        return data

    def compare_systems(self, actor: Actor, filters: dash.DashboardFilters | None,
                        system_a: str, system_b: str, metric: str = "chrf",
                        weights: mqm.MQMWeights | None = None) -> SystemComparison:
        """Paired bootstrap between two systems on the segments both were rated on (MQM)
        and both translated (``metric`` against the reference, else the corrected text)."""
        require(actor, "dashboard.view")
        if system_a == system_b:
            raise InputError("choose two different systems to compare")
        get_metric(metric)
        filters = filters or dash.DashboardFilters()
        _, version = self._data()
        view = dash.apply_filters(version.frames, filters)
        rows = dash.mqm_rows(view, dash.DashboardFilters(
            date_from=filters.date_from, date_to=filters.date_to, reviewers=filters.reviewers),
            weights or mqm.WMT_WEIGHTS)
        units = dash.unit_scores(rows)
        wide = units.pivot_table(index="segment_id", columns="system", values="score")
        if system_a in wide.columns and system_b in wide.columns:
            both = wide[[system_a, system_b]].dropna()
            mqm_result = dash.paired_bootstrap_means(both[system_a].to_numpy(),
                                                     both[system_b].to_numpy())
        else:
            mqm_result = dash.paired_bootstrap_means(np.zeros(0), np.zeros(0))
        texts = self._all_texts(version).subset(view)
        against = "reference" if (texts.candidates["kind"] == "reference").any() else "corrected"
        hyps = _system_pairs(view, texts, against)
        a = hyps[hyps["system"] == system_a].set_index("segment_id")
        b = hyps[hyps["system"] == system_b].set_index("segment_id")
        common = a.index.intersection(b.index)
        result = None
        if len(common):
            from review.metrics import paired_bootstrap

            lang = _main_language(texts.lang, a.loc[common, "article_id"])
            result = paired_bootstrap(list(a.loc[common, "hyp"]), list(b.loc[common, "hyp"]),
                                      list(a.loc[common, "ref"]), lang, metric)
        return SystemComparison(system_a, system_b, mqm_result, metric, result, against)

    def _texts(self, frames: dash.Frames) -> _Texts:
        """The texts of the articles in ``frames`` (all of them when unfiltered)."""
        with self.store.read() as session:
            seg_query = select(Segment.id, Segment.article_id, Segment.kind, Segment.status,
                               Segment.mt, Segment.current, Segment.source)
            cand_query = (select(Candidate.id, Candidate.segment_id, Candidate.system,
                                 Candidate.kind, Candidate.text)
                          .join(Segment, Segment.id == Candidate.segment_id))
            article_ids = [int(i) for i in frames.articles["id"]]
            if len(article_ids) <= CHUNK:
                seg_query = seg_query.where(Segment.article_id.in_(article_ids))
                cand_query = cand_query.where(Segment.article_id.in_(article_ids))
            segs = _select_frame(session, seg_query, ["id", "article_id", "kind", "status",
                                                      "mt", "current", "source"])
            cands = _select_frame(session, cand_query,
                                  ["id", "segment_id", "system", "kind", "text"])
        for frame, cols in ((segs, ("mt", "current", "source")), (cands, ("text",))):
            for col in cols:  # plain Python strings: texts are iterated, never grouped
                frame[col] = pd.Series(frame[col].to_numpy(dtype=object), dtype=object)
        segs = segs[segs["id"].isin(frames.segments["id"])].reset_index(drop=True)
        cands = cands[cands["segment_id"].isin(frames.segments["id"])].reset_index(drop=True)
        lang = dict(zip(frames.articles["id"].astype(int), frames.articles["target_lang"]))
        return _Texts(segs, cands, lang)

    def _revision_texts(self, ids: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        with self.store.read() as session:
            for lo in range(0, len(ids), CHUNK):
                out.update(session.execute(select(Revision.id, Revision.text).where(
                    Revision.id.in_(ids[lo:lo + CHUNK]))).all())
        return out

    # ------------------------------------------------------------------ MQM report
    def mqm_report(self, actor: Actor, by: str = "system", per_words: bool = False,
                   article_ids: Iterable[int] | None = None,
                   weights: mqm.MQMWeights | None = None) -> dict:
        """MQM scores (WMT weighting) grouped by system, document, rater, category or
        severity: ``{"by", "weights", "rows": [{by: value, "mqm", "segments", ...}]}``.

        ``per_words`` adds ``words`` and ``per_1000_words`` to system and document rows.
        Category and severity rows give each group's share of the overall score.
        """
        require(actor, "dashboard.view")
        if by not in MQM_GROUPINGS:
            raise InputError(f"cannot report MQM by {by!r}; use one of {', '.join(MQM_GROUPINGS)}")
        weights = weights or mqm.WMT_WEIGHTS
        filters = dash.DashboardFilters(
            article_ids=tuple(int(i) for i in article_ids) if article_ids is not None else ())
        _, frames = self._frames()
        view = dash.apply_filters(frames, filters)
        if article_ids is not None and not filters.article_ids:
            view = dash.apply_filters(frames, dash.DashboardFilters(article_ids=(-1,)))
        rows = dash.mqm_rows(view, filters, weights)
        out = {"by": by, "weights": weights.describe(), "rows": []}
        if rows.empty:
            return out
        table = mqm.scores_by(rows[mqm.REQUIRED_COLUMNS + ["words"]], by, weights)
        table = table.rename(columns={"score": "mqm"})
        if by in ("category", "severity"):
            errs = rows[rows["is_error"]]
            table["segments"] = errs.drop_duplicates(dash.UNIT_KEYS + [by]).groupby(by) \
                .size().reindex(table[by]).fillna(0).astype(int).to_numpy()
        if per_words and by in ("system", "document"):
            words = mqm.per_thousand_words(rows[mqm.REQUIRED_COLUMNS + ["words"]], weights, by)
            table = table.merge(words[[by, "words", "per_1000_words"]], on=by, how="left")
        out["rows"] = [_json_row(r) for r in table.to_dict("records")]
        return out

    # ------------------------------------------------------------------ risk
    def risk_ranking(self, actor: Actor, article_id: int) -> list[dict]:
        """Per-segment risk (0..1, review first what is high) from the automatic checks'
        open and confirmed suggestions, chrF of the MT against a retranslation, embedding
        similarity when the optional model is installed, and length anomaly (see
        review.risk). The risk is stored on the segments; rows come back riskiest first,
        with their components, for the segments the actor may read."""
        with self.store.read() as session:
            article = self._require_article(session, actor, article_id)
            allowed = (None if can(actor, "article.read_all")
                       else self._assigned_positions(session, actor, article_id))
            segments = list(session.scalars(select(Segment).where(
                Segment.article_id == article_id).order_by(Segment.position)))
            seg_ids = [s.id for s in segments]
            cands = session.execute(
                select(Candidate.segment_id, Candidate.id, Candidate.system, Candidate.kind,
                       Candidate.text)
                .join(Segment, Segment.id == Candidate.segment_id)
                .where(Segment.article_id == article_id).order_by(Candidate.id)).all()
            suggestions = session.execute(
                select(Flag.segment_id, Flag.check_name, Flag.category, Flag.severity,
                       Flag.start, Flag.end, Flag.note)
                .join(Segment, Segment.id == Flag.segment_id)
                .where(Segment.article_id == article_id, Flag.origin == "check",
                       Flag.state.in_(("open", "confirmed")))).all()
            stored = session.execute(
                select(SegmentScore.segment_id, SegmentScore.comparison, SegmentScore.value,
                       SegmentScore.text_hash)
                .join(Segment, Segment.id == SegmentScore.segment_id)
                .where(Segment.article_id == article_id, SegmentScore.metric == "chrf",
                       SegmentScore.comparison.like("mt_vs_candidate:%"))).all()
            info = ArticleInfo(article.mt_system, article.source_lang, article.target_lang)
        inputs = risk_inputs(segments, cands, suggestions, stored, info)
        values = inputs.scores()
        self._store_risk(seg_ids, values, inputs.new_scores, info.target_lang)
        out = []
        for seg, value, parts in zip(segments, values, inputs.components()):
            if allowed is not None and not any(
                    (lo is None or seg.position >= lo) and (hi is None or seg.position <= hi)
                    for lo, hi in allowed):
                continue
            out.append({"segment_id": seg.id, "position": seg.position, "kind": seg.kind,
                        "risk": round(float(value), 6), **parts})
        out.sort(key=lambda r: (-r["risk"], r["position"]))
        return out

    def _store_risk(self, seg_ids: list[int], values: list[float],
                    new_scores: list[tuple[int, str, float, str, str]], lang: str) -> None:
        from sqlalchemy import delete, insert, update


        with self.store.write() as session:
            for seg_id, value in zip(seg_ids, values):
                session.execute(update(Segment).where(Segment.id == seg_id)
                                .values(risk=float(value))
                                .execution_options(synchronize_session=False))
            if new_scores:
                signature = get_metric("chrf").segment_signature(lang)
                for seg_id, comparison, *_ in new_scores:
                    session.execute(delete(SegmentScore).where(
                        SegmentScore.segment_id == seg_id, SegmentScore.comparison == comparison,
                        SegmentScore.metric == "chrf"))
                session.execute(insert(SegmentScore), [
                    dict(segment_id=seg_id, comparison=comparison, metric="chrf", value=value,
                         signature=signature, text_hash=pair_digest(hyp, ref))
                    for seg_id, comparison, value, hyp, ref in new_scores])


# ----------------------------------------------------------------------------- risk inputs

@dataclass(frozen=True)
class ArticleInfo:
    mt_system: str
    source_lang: str
    target_lang: str


@dataclass
class RiskInputs:
    """What review.risk weighs for each segment of one article."""

    contexts: list
    suggestions: list[list]
    agreement: list[float | None]  # chrF of the MT against the retranslation
    partners: list[str | None]  # the system it was compared with
    similarity: list[float | None] | None
    new_scores: list[tuple[int, str, float, str, str]]  # chrF computed now, to store

    def scores(self) -> list[float]:
        from review import risk as risk_model

        return risk_model.risk_scores(self.contexts, self.suggestions, self.agreement,
                                      self.similarity)

    def components(self) -> list[dict]:
        from review import risk as risk_model

        out = []
        for i, (ctx, sugg) in enumerate(zip(self.contexts, self.suggestions)):
            out.append({
                "checks": round(risk_model.check_signal(sugg), 6),
                "suggestions": len(sugg),
                "agreement_chrf": self.agreement[i],
                "compared_with": self.partners[i],
                "similarity": None if self.similarity is None else self.similarity[i],
                "length": risk_model.length_signal(ctx),
            })
        return out


def _retranslation_of(cands: Sequence, mt_system: str) -> dict[int, tuple[str, str]]:
    """Per segment, the candidate the MT is compared with: the newest model retranslation,
    else the first imported translation by another system (never a reference)."""
    model: dict[int, tuple[str, str]] = {}
    other: dict[int, tuple[str, str]] = {}
    for seg_id, _cid, system, kind, text in cands:
        if kind == "model":
            model[seg_id] = (system, text)
        elif kind == "import" and system != mt_system:
            other.setdefault(seg_id, (system, text))
    return {**other, **model}


def risk_inputs(segments: Sequence[Segment], cands: Sequence, suggestions: Sequence,
                stored: Sequence, info: ArticleInfo) -> RiskInputs:
    """The risk model's inputs, reusing stored chrF scores whose texts have not changed."""
    from review.checks import CheckContext, Suggestion, article_stats

    others: dict[int, dict[str, str]] = {}
    for seg_id, _cid, system, _kind, text in cands:
        if system != info.mt_system:
            others.setdefault(seg_id, {})[system] = text
    contexts = [CheckContext(mt=seg.current, source=seg.source,
                             candidates=others.get(seg.id, {}), kind=seg.kind,
                             source_lang=info.source_lang, target_lang=info.target_lang)
                for seg in segments]
    stats = article_stats(contexts)
    for ctx in contexts:
        ctx.article = stats

    found = {(seg_id, comparison): (value, digest)
             for seg_id, comparison, value, digest in stored}
    by_segment: dict[int, list] = {}
    for seg_id, check, category, severity, start, end, note in suggestions:
        by_segment.setdefault(seg_id, []).append(Suggestion(
            check=check, category=category, severity=severity, start=start, end=end,
            explanation=note))
    partner = _retranslation_of(cands, info.mt_system)
    agreement: list[float | None] = [None] * len(segments)
    partners: list[str | None] = [None] * len(segments)
    missing: list[tuple[int, int, str, str, str]] = []
    for i, seg in enumerate(segments):
        if seg.id not in partner or seg.kind not in CONTENT_KINDS:
            continue
        system, text = partner[seg.id]
        partners[i] = system
        comparison = f"mt_vs_candidate:{system}"
        hit = found.get((seg.id, comparison))
        if hit is not None and hit[1] == pair_digest(seg.mt, text):
            agreement[i] = float(hit[0])
        else:
            missing.append((i, seg.id, comparison, seg.mt, text))
    new_scores = []
    if missing:
        values = get_metric("chrf").segment([m[3] for m in missing], [m[4] for m in missing],
                                            info.target_lang)
        for (i, seg_id, comparison, hyp, ref), value in zip(missing, values):
            agreement[i] = float(value)
            new_scores.append((seg_id, comparison, float(value), hyp, ref))

    similarity = None
    pairs = [(i, seg.mt, partner[seg.id][1]) for i, seg in enumerate(segments)
             if partners[i] is not None]
    if pairs and base_lang(info.target_lang) == "en":
        from review.metrics import similarity as embedding_similarity

        values = embedding_similarity([p[1] for p in pairs], [p[2] for p in pairs])
        if values is not None:
            similarity = [None] * len(segments)
            for (i, _, _), value in zip(pairs, values):
                similarity[i] = value
    return RiskInputs(contexts, [by_segment.get(seg.id, []) for seg in segments], agreement,
                      partners, similarity, new_scores)


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


def _load_frames(session: Session) -> dash.Frames:
    articles = _select_frame(session, select(
        Article.id, Article.title, Article.source_lang, Article.target_lang, Article.mt_system,
        Article.batch, Article.created_at),
        ["id", "title", "source_lang", "target_lang", "mt_system", "batch", "created_at"])
    articles["pair"] = [dash.language_pair(s, t) for s, t in
                        zip(articles["source_lang"], articles["target_lang"])]
    created = dict(zip(articles["id"], articles["created_at"]))
    segments = _select_frame(session, select(
        Segment.id, Segment.article_id, Segment.position, Segment.kind, Segment.status,
        Segment.risk, Segment.updated_at, Segment.updated_by),
        ["id", "article_id", "position", "kind", "status", "risk", "updated_at", "updated_by"])
    segments["words"] = WORDS.segments(session, [
        (i, a, str(created.get(a))) for i, a in zip(segments["id"], segments["article_id"])])
    candidates = _select_frame(session, select(
        Candidate.id, Candidate.segment_id, Candidate.system, Candidate.kind,
        Candidate.created_at), ["id", "segment_id", "system", "kind", "created"])
    candidates["words"] = WORDS.candidates(session, [
        (i, s, str(c)) for i, s, c in zip(candidates["id"], candidates["segment_id"],
                                          candidates["created"])])
    flags = _select_frame(session, select(
        Flag.id, Flag.segment_id, Flag.candidate_id, Flag.span_in, Flag.start, Flag.end,
        Flag.category, Flag.severity, Flag.author, Flag.origin, Flag.check_name, Flag.state,
        Flag.created_at), dash.FLAG_COLUMNS)
    revisions = _select_frame(session, select(
        Revision.id, Revision.segment_id, Revision.version, Revision.action, Revision.author,
        Revision.seconds_spent, Revision.created_at), dash.REVISION_COLUMNS)
    events = session.execute(select(
        AuditEvent.actor, AuditEvent.action, AuditEvent.segment_id, AuditEvent.detail,
        AuditEvent.at).where(AuditEvent.action.in_(DECISION_ACTIONS))).all()
    decisions = pd.DataFrame(
        [(a, act, seg, (d or {}).get("flag_id"), (d or {}).get("check") or "", at)
         for a, act, seg, d, at in events], columns=dash.DECISION_COLUMNS)
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
                       columns=[label, *dash.METRIC_NAMES, "segments"])
    out[list(dash.METRIC_NAMES)] = out[list(dash.METRIC_NAMES)].astype(float)
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
    partner = _retranslation_of(
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


def _text_scores(services: ReportServices, version: _Version, view: dash.Frames,
                 filters: dash.DashboardFilters, metrics: Sequence[str]) -> dash.TextScores:
    scores = dash.TextScores()
    texts = services._all_texts(version)
    in_view = view.segments["id"]
    finished = _finished_ids(view, filters)

    edited, edited_stats = version.pair_stats("edited", lambda: _finished_pairs(texts, True),
                                              "ter")
    with version.lock:
        memo = version.pairs["edited"][1]
        if "ter_values" not in memo:
            memo["ter_values"] = np.asarray(_segment_values("ter", edited, edited_stats))
        hter_of = pd.Series(memo["ter_values"], index=edited["segment_id"].to_numpy(),
                            dtype=float)
    scores.hter = pd.DataFrame({"segment_id": finished.astype(float).to_numpy(),
                                "hter": hter_of.reindex(finished).fillna(0.0).to_numpy()})

    revs = view.revisions[view.revisions["action"].isin(["edit", "restore"])]
    if len(revs):
        last = revs.sort_values(["version", "id"]).drop_duplicates(["author", "segment_id"],
                                                                  keep="last")
        rev_text = services._revision_texts([int(i) for i in last["id"]])
        seg = texts.segments.set_index("id")
        last = last[last["segment_id"].isin(seg.index)]
        mts = list(seg["mt"].reindex(last["segment_id"]))
        langs = [texts.lang.get(int(a), "") for a in seg["article_id"].reindex(
            last["segment_id"])]
        scores.revision_hter = pd.DataFrame({
            "author": last["author"].to_numpy(),
            "segment_id": last["segment_id"].astype(float).to_numpy(),
            "hter": _segment_ter(mts, [rev_text.get(int(i), "") for i in last["id"]], langs)})
    if not metrics:
        return scores

    corrected = _summed_scores(version, "finished", lambda: _finished_pairs(texts),
                               lambda p: p["segment_id"].isin(finished), metrics)
    retranslated = _summed_scores(version, "retranslation",
                                  lambda: _retranslation_pairs(version.frames, texts),
                                  lambda p: p["segment_id"].isin(in_view), metrics)
    corpus = pd.concat([corrected.assign(comparison=MT_VS_CORRECTED_LABEL),
                        retranslated.assign(comparison=MT_VS_RETRANSLATION_LABEL)])
    scores.corpus = corpus[["comparison", *dash.METRIC_NAMES, "segments", "signature"]] \
        .reset_index(drop=True)

    view_texts = texts.subset(view)
    against = ("reference" if (view_texts.candidates["kind"] == "reference").any()
               else "corrected")

    def select(pairs: pd.DataFrame) -> pd.Series:
        keep = pairs["segment_id"].isin(in_view)
        return keep & pairs["system"].isin(filters.systems) if filters.systems else keep

    systems = _summed_scores(version, f"systems:{against}",
                             lambda: _system_pairs(version.frames, texts, against), select,
                             metrics, by="system")
    scores.systems = systems.assign(against=against)[
        ["system", *dash.METRIC_NAMES, "segments", "against"]]
    return scores


def _segment_values(name: str, pairs: pd.DataFrame, stats: np.ndarray) -> list[float]:
    """Segment scores from statistics rows (each under its pair's language)."""
    out = [0.0] * len(pairs)
    metric = get_metric(name)
    for lang, idx in pairs.groupby("lang", sort=False).indices.items():
        values, _ = metric.score_stats([list(stats[i]) for i in idx], str(lang))
        for i, value in zip(idx, values):
            out[i] = float(value)
    return out


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


def _span(text: str, start: object, end: object) -> str:
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
