"""Reports across articles: the MQM report, per-segment risk, and the leads' dashboards.

The store's rows are read once per data version into :class:`review.dashboard.Frames` (ids,
labels and numbers) and aggregated with pandas; texts are read only for what needs them
(metric scores, examples, the worst segments). Sufficient statistics of every scored text
pair are kept per process, keyed by the texts, so a dashboard after an edit rescores only
the pairs that changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select

from review import dashboard as dash
from review.accounts.permissions import Actor, require
from review.core import mqm
from review.core.errors import InputError
from review.core.vocab import (
    MQM_GROUPINGS,
    MT_VS_CORRECTED_LABEL,
    MT_VS_RETRANSLATION_LABEL,
)
from review.dashboard.article_mqm import ArticleMQM, article_mqm, first_pass_frames
from review.db import data_version
from review.db.models import (
    Candidate,
    Flag,
    FlagReview,
    Revision,
    Segment,
)
from review.metrics import BootstrapResult, dashboard_metrics, get_metric, segment_metrics
from review.quality.clusters import significance_clusters
from review.services.base import Service
from review.services.pair_stats import CHUNK
from review.services.report_data import (
    _attach_texts,
    _finished_ids,
    _finished_pairs,
    _json_row,
    _load_frames,
    _main_language,
    _retranslation_pairs,
    _segment_ter,
    _select_frame,
    _summed_scores,
    _system_pairs,
    _Texts,
    _Version,
)

# ----------------------------------------------------------------------------- results

NOT_MT_NAMES = frozenset({"corrected", "corrected text", MT_VS_CORRECTED_LABEL.lower()})
"""System names that stand for the reviewers' corrected text rather than a system's MT."""


@dataclass(frozen=True)
class SystemComparison:
    """Two systems on the segments both have: paired bootstrap of MQM and of one metric."""

    system_a: str
    system_b: str
    mqm: dash.MeanComparison
    metric_name: str
    metric: BootstrapResult | None
    against: str  # "reference" or "corrected"




SLICE_UP_TO = 200
"""Articles whose rows are read on their own for their MQM; more read the library's."""


class ReportServices(Service):
    """Reports across articles: MQM, risk ranking, dashboards."""

    _frames_lock = threading.Lock()

    # ------------------------------------------------------------------ versions and frames
    def dashboard_version(self, actor: Actor) -> str:
        """A cheap token that changes whenever anything the dashboards show changes."""
        require(actor, "dashboard.view")
        return self._version()

    def _version(self) -> str:
        """The library's write counter: one indexed read, whatever the library's size."""
        with self.store.read() as session:
            return f"v{data_version.current(session)}"

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

    def _frames_of(self, article_ids: list[int]) -> dash.Frames:
        """Frames holding at least ``article_ids``' rows: the library's when this data
        version's are loaded already, else only those articles' (a page asking for a few
        articles' MQM never loads the whole library)."""
        version = self._version()
        cache: OrderedDict = self.__dict__.setdefault("_frames_cache", OrderedDict())
        with self._frames_lock:
            data = cache.get(version)
        if data is not None or len(article_ids) > SLICE_UP_TO:
            return self._data()[1].frames
        with self.store.read() as session:
            return _load_frames(session, article_ids)

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
        metrics = dashboard_metrics(with_optional=with_ter)
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
    def article_mqm(self, actor: Actor, article_ids: Iterable[int], annotations: str = "all",
                    *, first_pass: bool = False) -> dict[int, ArticleMQM]:
        """Each readable article's MQM (``review.dashboard.article_mqm``): the one figure
        the dashboards, ``report mqm``, the verdicts and the second pass all show.
        ``first_pass``: as the first reviewer left it, before the second pass's decisions."""
        require(actor, "article.read")
        with self.store.read() as session:
            ids = self.access.readable_articles(session, actor, list(article_ids))
            reviews = pd.DataFrame(session.execute(
                select(FlagReview.flag_id, FlagReview.decision, FlagReview.before)
                .join(Flag, Flag.id == FlagReview.flag_id)
                .join(Segment, Segment.id == Flag.segment_id)
                .where(Segment.article_id.in_(ids)).order_by(FlagReview.id)).all(),
                columns=["flag_id", "decision", "before"]) if first_pass else None
        frames = self._frames_of(ids)
        if reviews is not None:
            frames = first_pass_frames(frames, reviews)
        return article_mqm(frames, ids, annotations)

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
        out: dict[str, object] = {"by": by, "weights": weights.describe(), "rows": []}
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

    def system_clusters(self, actor: Actor, filters: dash.DashboardFilters | None = None,
                        samples: int = 1000) -> pd.DataFrame:
        """system, mqm, segments, rank_low, rank_high, cluster, note; references and the
        corrected text are listed with a note, never ranked."""
        require(actor, "dashboard.view")
        filters = filters or dash.DashboardFilters()
        _, version = self._data()
        view = dash.apply_filters(version.frames, filters)
        units = dash.unit_scores(dash.mqm_rows(view, filters, mqm.WMT_WEIGHTS))
        cands = view.candidates
        not_mt = set(cands.loc[cands["kind"] == "reference", "system"].astype(str))
        not_mt |= {s for s in units["system"].astype(str).unique()
                   if s.strip().lower() in NOT_MT_NAMES}
        return significance_clusters(units[["system", "segment_id", "score"]], not_mt=not_mt,
                                     samples=samples)


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
    scores.corpus = corpus[["comparison", *segment_metrics(), "segments", "signature"]] \
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
        ["system", *segment_metrics(), "segments", "against"]]
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
