"""Dashboard page: quality at a glance for leads — overview, errors, systems, reviewers,
trends and the worst segments, all under one set of filters.

Numbers come from one service call, cached per data version and filters, so reruns are cheap
even with hundreds of thousands of flags. Every table downloads as CSV and every chart as PNG
or SVG; downloads are produced only when clicked (and cached).
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from review.dashboard import SMALL_SAMPLE, DashboardData, DashboardFilters
from review.errors import ReviewError
from review.permissions import Actor, can
from review.services import Workbench
from review.ui import state
from review.ui.resources import get_workbench
from review.ui.session import require_actor
from review.vocab import SEGMENT_STATUSES, SEVERITIES

KEY = "dashboard"
REVIEW_PAGE = "review/ui/pages/review.py"
FREQS = {"Week": "W", "Day": "D"}
METRIC_LABELS = {"chrf": "chrF", "bleu": "BLEU", "ter": "TER"}


# ----------------------------------------------------------------------------- caching

@st.cache_data(show_spinner="Computing the dashboards…", max_entries=16)
def load_dashboard(_bench: Workbench, actor: Actor, version: str, filters: DashboardFilters,
                   freq: str, with_ter: bool) -> DashboardData:
    """All views for the filters, recomputed only when the data version changes."""
    return _bench.dashboard_data(actor, filters, freq=freq, with_ter=with_ter)


@st.cache_data(show_spinner="Resampling…", max_entries=16)
def load_comparison(_bench: Workbench, actor: Actor, version: str, filters: DashboardFilters,
                    system_a: str, system_b: str, metric: str):  # noqa: ANN201
    return _bench.compare_systems(actor, filters, system_a, system_b, metric)


@st.cache_data(show_spinner=False, max_entries=64)
def chart_bytes(spec: str, fmt: str) -> bytes:
    """A chart rendered to PNG or SVG (vl-convert), once per chart and format."""
    import vl_convert

    if fmt == "png":
        return vl_convert.vegalite_to_png(vl_spec=spec, scale=2)
    return vl_convert.vegalite_to_svg(vl_spec=spec).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=64)
def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


# ----------------------------------------------------------------------------- renderers

def table(frame: pd.DataFrame, name: str, key: str, *, height: int | str = "auto",
          column_config: dict | None = None) -> None:
    """A table with its CSV download (the CSV is written when the button is clicked)."""
    if frame.empty:
        st.caption("Nothing to show for these filters.")
        return
    shown = frame.drop(columns=[c for c in METRIC_LABELS if c in frame.columns
                                and frame[c].isna().all()])
    st.dataframe(_display(shown), hide_index=True, width="stretch", height=height,
                 key=f"{KEY}_{key}_table", column_config=column_config)
    st.download_button("CSV", data=lambda: csv_bytes(frame), file_name=f"{name}.csv",
                       mime="text/csv", key=f"{KEY}_{key}_csv", on_click="ignore",
                       icon=":material/download:")


def chart(figure: alt.TopLevelMixin, name: str, key: str, height: int | None = None) -> None:
    """A chart with PNG and SVG downloads, rendered only when asked for."""
    st.altair_chart(figure, width="stretch", height=height or "content",
                    key=f"{KEY}_{key}_chart")
    spec = figure.to_json()
    cols = st.columns([1, 1, 8])
    cols[0].download_button("PNG", data=lambda: chart_bytes(spec, "png"),
                            file_name=f"{name}.png", mime="image/png", key=f"{KEY}_{key}_png",
                            on_click="ignore", icon=":material/image:")
    cols[1].download_button("SVG", data=lambda: chart_bytes(spec, "svg"),
                            file_name=f"{name}.svg", mime="image/svg+xml",
                            key=f"{KEY}_{key}_svg", on_click="ignore",
                            icon=":material/image:")


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    """Floats rounded for reading (downloads keep full precision)."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(3)
    return out


def _fmt(value: float, digits: int = 2) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:,.{digits}f}"


def open_segment(article_id: object, segment_id: object) -> None:
    """Jump to the Review page on one segment."""
    state.set_article_id(int(article_id))
    state.set_segment_id(int(segment_id))
    st.switch_page(REVIEW_PAGE)


# ----------------------------------------------------------------------------- filters

def filters_from_state() -> tuple[DashboardFilters, str, bool]:
    """The filters as the widgets left them on the previous run (defaults on the first)."""
    ss = st.session_state
    dates = tuple(ss.get(f"{KEY}_dates") or ())
    return DashboardFilters(
        date_from=dates[0] if len(dates) >= 1 else None,
        date_to=dates[1] if len(dates) >= 2 else (dates[0] if dates else None),
        article_ids=tuple(sorted(ss.get(f"{KEY}_articles") or ())),
        language_pairs=tuple(sorted(ss.get(f"{KEY}_pairs") or ())),
        systems=tuple(sorted(ss.get(f"{KEY}_systems") or ())),
        reviewers=tuple(sorted(ss.get(f"{KEY}_reviewers") or ())),
    ), FREQS.get(ss.get(f"{KEY}_freq", "Week"), "W"), bool(ss.get(f"{KEY}_ter", False))


def filter_widgets(data: DashboardData) -> None:
    """The filter widgets, in the sidebar; choices that no longer exist are dropped."""
    options = data.options
    choices = {"articles": list(options.articles), "pairs": options.language_pairs,
               "systems": options.systems, "reviewers": options.reviewers}
    stale = False
    for name, allowed in choices.items():
        key = f"{KEY}_{name}"
        current = st.session_state.get(key) or []
        kept = [v for v in current if v in allowed]
        if kept != current:
            st.session_state[key] = kept
            stale = True
    if stale:
        st.rerun()
    with st.sidebar:
        st.header("Filters")
        st.date_input("Dates (flags and edits made)", value=(), key=f"{KEY}_dates",
                      min_value=options.first_day, max_value=options.last_day,
                      help="Empty: all dates")
        st.multiselect("Articles", choices["articles"], key=f"{KEY}_articles",
                       format_func=lambda i: f"{i} · {options.articles.get(i, '')}",
                       placeholder="All articles")
        st.multiselect("Language pairs", choices["pairs"], key=f"{KEY}_pairs",
                       placeholder="All pairs")
        st.multiselect("Systems", choices["systems"], key=f"{KEY}_systems",
                       placeholder="All systems")
        st.multiselect("Reviewers and raters", choices["reviewers"], key=f"{KEY}_reviewers",
                       placeholder="Everybody")
        st.radio("Trends per", list(FREQS), key=f"{KEY}_freq", horizontal=True)
        st.checkbox("Also TER for systems and retranslations", key=f"{KEY}_ter",
                    help="TER takes long on long segments; chrF and BLEU are always shown")


# ----------------------------------------------------------------------------- tabs

def overview_tab(data: DashboardData) -> None:
    ov = data.overview
    mqm = ov.mqm
    cols = st.columns(6)
    cols[0].metric("Articles", f"{ov.articles:,}")
    cols[1].metric("Segments", f"{ov.segments:,}", help=f"{ov.residue_segments:,} web-residue "
                   "segments are left out")
    cols[2].metric("Words (MT)", f"{ov.words:,}")
    cols[3].metric("MQM per segment", _fmt(mqm.score),
                   help=f"95% bootstrap interval {_fmt(mqm.ci_low)}–{_fmt(mqm.ci_high)} over "
                   f"{mqm.segments:,} rated segments; lower is better. {data.weights}")
    cols[4].metric("MQM per 1,000 words", _fmt(mqm.per_1000_words, 1))
    cols[5].metric("Mean HTER", _fmt(ov.mean_hter, 1),
                   help=f"TER of the MT against the corrected text over {ov.hter_segments:,} "
                   "finished (fixed or approved) segments")
    if mqm.segments:
        st.caption(f"MQM {_fmt(mqm.score)} (95% CI {_fmt(mqm.ci_low)}–{_fmt(mqm.ci_high)}, "
                   f"{mqm.segments:,} rated segments, {mqm.errors:,} errors)")
    if mqm.small_sample:
        st.warning(f"Sample too small: {mqm.segments} rated segments (fewer than "
                   f"{SMALL_SAMPLE}); the MQM score and its interval say little yet.")
    st.subheader("Review progress")
    figure = alt.Chart(ov.progress).mark_bar().encode(
        x=alt.X("segments:Q", title="Segments (titles and body)"),
        y=alt.Y("status:N", sort=list(SEGMENT_STATUSES), title=None),
        color=alt.Color("status:N", scale=alt.Scale(domain=list(SEGMENT_STATUSES)),
                        legend=None),
        tooltip=["status:N", "segments:Q"]).properties(height=150)
    chart(figure, "review-progress", "progress", height=190)
    st.subheader("Automatic metrics")
    st.caption("The MT scored against the corrected text (finished segments) and against the "
               "retranslation (a model's, else another system's).")
    table(ov.metrics, "metrics", "metrics")


def errors_tab(data: DashboardData) -> None:
    errors = data.errors
    if errors.matrix.empty:
        st.info("No errors flagged for these filters.")
        return
    measure = st.radio("Show", ["points", "count"], horizontal=True, key=f"{KEY}_heat_measure",
                       format_func=lambda m: "Weighted points" if m == "points" else "Count")
    rows = int(errors.matrix["category"].nunique())
    base = alt.Chart(errors.matrix).encode(
        x=alt.X("severity:N", title="Severity", sort=list(SEVERITIES),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("category:N", title=None, axis=alt.Axis(labelLimit=320)))
    heat = base.mark_rect().encode(
        color=alt.Color(f"{measure}:Q", title=measure.capitalize()),
        tooltip=["category:N", "severity:N", "count:Q", alt.Tooltip("points:Q", format=".1f")])
    labels = base.mark_text(baseline="middle").encode(text=alt.Text(f"{measure}:Q",
                                                                    format=",.4~g"))
    chart((heat + labels).properties(height=22 * rows), "errors-category-severity", "heatmap",
          height=22 * rows + 60)
    table(errors.matrix, "errors-by-category-severity", "matrix")

    st.subheader("Top categories")
    top = errors.top.head(15)
    bars = alt.Chart(top).mark_bar().encode(
        x=alt.X("points:Q", title="Weighted points"),
        y=alt.Y("category:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
        tooltip=["category:N", "count:Q", alt.Tooltip("points:Q", format=".1f"),
                 alt.Tooltip("share:Q", format=".0%")]).properties(height=22 * len(top))
    chart(bars, "top-categories", "top", height=22 * len(top) + 60)
    table(errors.top, "top-categories", "top")

    st.subheader("Examples")
    categories = list(errors.top["category"])
    category = st.selectbox("Category", categories, key=f"{KEY}_example_category")
    examples = errors.examples[errors.examples["category"] == category]
    for row in examples.itertuples():
        with st.container(border=True):
            cols = st.columns([6, 1])
            span = f" — “{row.span}”" if row.span else ""
            cols[0].markdown(f"**{row.severity}** · {row.system} · {row.rater}{span}")
            cols[0].text(row.text)
            if cols[1].button("Open", key=f"{KEY}_example_{int(row.flag_id)}",
                              help="Open this segment on the Review page"):
                open_segment(row.article_id, row.segment_id)


def systems_tab(bench: Workbench, actor: Actor, version: str, data: DashboardData,
                filters: DashboardFilters) -> None:
    systems = data.systems
    if systems.table.empty:
        st.info("No system has been rated for these filters.")
        return
    against = "the reference" if systems.reference == "reference" else "the corrected text"
    rated = systems.table.dropna(subset=["mqm"])
    if len(rated):
        base = alt.Chart(rated).encode(y=alt.Y("system:N", sort=alt.EncodingSortField(
            "mqm", order="ascending"), title=None))
        bars = base.mark_bar().encode(x=alt.X("mqm:Q", title="MQM per segment (lower is "
                                                              "better)"),
                                      tooltip=["system:N", alt.Tooltip("mqm:Q", format=".3f"),
                                               "segments:Q"])
        whiskers = base.mark_rule().encode(x="ci_low:Q", x2="ci_high:Q")
        chart(bars + whiskers, "mqm-per-system", "systems")
    st.caption(f"Metrics score each system against {against}; the whiskers are 95% bootstrap "
               "intervals. TER: tick “Also TER” in the sidebar.")
    table(systems.table, "systems", "systems")

    st.subheader("Is the difference significant?")
    names = list(systems.table["system"])
    cols = st.columns(3)
    first = cols[0].selectbox("System A", names, key=f"{KEY}_sys_a")
    second = cols[1].selectbox("System B", names, index=min(1, len(names) - 1),
                               key=f"{KEY}_sys_b")
    metric = cols[2].selectbox("Metric", list(METRIC_LABELS), format_func=METRIC_LABELS.get,
                               key=f"{KEY}_sys_metric")
    if first == second:
        st.caption("Choose two different systems.")
    else:
        try:
            result = load_comparison(bench, actor, version, filters, first, second, metric)
        except ReviewError as exc:
            st.error(str(exc))
        else:
            _comparison(result)

    st.subheader("Wins, ties and losses (per segment MQM)")
    wtl = systems.win_tie_loss
    if not wtl.empty:
        grid = wtl.assign(cell=wtl["wins"].astype(str) + " / " + wtl["ties"].astype(str)
                          + " / " + wtl["losses"].astype(str))
        st.caption("Row system against column system: wins / ties / losses, on the segments "
                   "both were rated on.")
        matrix = grid.pivot(index="system_a", columns="system_b", values="cell").fillna("")
        table(matrix.reset_index().rename(columns={"system_a": "system"}),
              "win-tie-loss-matrix", "wtl_grid")
    table(wtl, "win-tie-loss", "wtl")

    st.subheader("Do the metrics rank systems like MQM?")
    st.caption("Kendall's tau between the MQM ranking and each metric's ranking "
               f"(metrics against {against}; +1: same order, −1: reversed).")
    table(systems.rank_agreement, "rank-agreement", "rank")


def _comparison(result) -> None:  # noqa: ANN001 - SystemComparison
    m = result.mqm
    if m.n == 0:
        st.info("The two systems share no rated segment.")
    else:
        verdict = ("significant" if m.p_value < 0.05 else "not significant")
        st.markdown(
            f"**MQM** over {m.n:,} shared segments: {result.system_a} {_fmt(m.a_score, 3)}, "
            f"{result.system_b} {_fmt(m.b_score, 3)}; B − A = {_fmt(m.delta, 3)} "
            f"(95% CI {_fmt(m.ci_low, 3)} to {_fmt(m.ci_high, 3)}), p = {m.p_value:.3f} — "
            f"{verdict} at 5%.")
    r = result.metric
    if r is not None:
        label = METRIC_LABELS.get(result.metric_name, result.metric_name)
        verdict = "significant" if r.p_value < 0.05 else "not significant"
        st.markdown(
            f"**{label}** against the {result.against} over {r.n:,} segments: "
            f"{_fmt(r.a_score)} vs {_fmt(r.b_score)}; B − A = {_fmt(r.delta)} "
            f"(95% CI {_fmt(r.ci_low)} to {_fmt(r.ci_high)}), p = {r.p_value:.3f} — {verdict}.")
    st.caption("Paired bootstrap resampling over segments (1,000 resamples).")


def reviewers_tab(data: DashboardData) -> None:
    rv = data.reviewers
    if rv.table.empty:
        st.info("Nobody has reviewed or rated anything for these filters.")
    else:
        table(rv.table, "reviewers", "reviewers")
    if not rv.flags.empty:
        bars = alt.Chart(rv.flags).mark_bar().encode(
            x=alt.X("sum(count):Q", title="Errors flagged"),
            y=alt.Y("reviewer:N", title=None),
            color=alt.Color("category:N", title="Category"),
            tooltip=["reviewer:N", "category:N", "severity:N", "count:Q"])
        chart(bars, "flags-per-reviewer", "flags")
        table(rv.flags, "flags-per-reviewer", "flags")
    st.subheader("Automatic checks")
    st.caption("How reviewers decided the checks' suggestions (precision: confirmed out of "
               "decided).")
    table(rv.checks, "automatic-checks", "checks")

    st.subheader("Agreement between raters")
    ag = rv.agreement
    if ag.segments == 0:
        st.info("No segment has more than one rater under these filters.")
        return
    cols = st.columns(3)
    cols[0].metric("Krippendorff's α (interval)", _fmt(ag.alpha, 3),
                   help="On each rater's MQM points per segment; 1 is perfect agreement")
    cols[1].metric("Span F1", _fmt(ag.span_f1, 3),
                   help="Character overlap of the error spans of two raters on the same text")
    cols[2].metric("Segments with 2+ raters", f"{ag.segments:,}", help=f"{ag.raters} raters")
    st.caption("Per pair of raters: Kendall's tau of their MQM points on the segments both "
               "rated, and the overlap of their error spans.")
    table(ag.pairs, "rater-agreement", "agreement")


def trends_tab(data: DashboardData) -> None:
    tr = data.trends
    unit = "week" if tr.freq == "W" else "day"
    if tr.by_period.empty:
        st.info("Nothing happened in this period.")
    else:
        mqm_line = alt.Chart(tr.by_period.dropna(subset=["mqm"])).mark_line(point=True).encode(
            x=alt.X("period:T", title=unit.capitalize()),
            y=alt.Y("mqm:Q", title="MQM per segment"),
            tooltip=["period:T", alt.Tooltip("mqm:Q", format=".3f"), "segments_rated:Q"])
        chart(mqm_line, f"mqm-per-{unit}", "trend_mqm")
        activity = alt.Chart(tr.by_period).transform_fold(
            ["errors", "edits"], as_=["what", "n"]).mark_bar().encode(
            x=alt.X("period:T", title=unit.capitalize()), y=alt.Y("n:Q", title="Count"),
            color=alt.Color("what:N", title=None), xOffset="what:N",
            tooltip=["period:T", "what:N", "n:Q"])
        chart(activity, f"activity-per-{unit}", "trend_activity")
        table(tr.by_period, f"trends-per-{unit}", "periods")
    st.subheader("Per import batch")
    if not tr.by_batch.empty:
        bars = alt.Chart(tr.by_batch.dropna(subset=["mqm"])).mark_bar().encode(
            x=alt.X("batch:N", sort=None, title="Batch"), y=alt.Y("mqm:Q", title="MQM"),
            tooltip=["batch:N", "imported:T", "articles:Q", alt.Tooltip("mqm:Q", format=".3f")])
        chart(bars, "mqm-per-batch", "batches")
    table(tr.by_batch, "batches", "batches")


def worst_tab(bench: Workbench, actor: Actor, data: DashboardData,
              filters: DashboardFilters) -> None:
    worst = data.worst
    st.subheader("Most MQM points")
    if worst.by_mqm.empty:
        st.caption("No rated segment with errors.")
    else:
        _worst_list(worst.by_mqm, "mqm", lambda r: f"{r.system} · MQM {_fmt(r.score)} · "
                    f"{r.flags}", "text")
        table(worst.by_mqm, "worst-by-mqm", "worst_mqm", height=300)
    st.subheader("Highest risk")
    ids = [i for i in data.options.articles if not filters.article_ids
           or i in filters.article_ids]
    if st.button("Compute the review priority", key=f"{KEY}_risk", disabled=not ids,
                 help="Risk of every segment of the articles in the filters, from the "
                 "automatic checks and the agreement with retranslations"):
        bar = st.progress(0.0, text="Computing the risk…")
        try:
            for done, article_id in enumerate(ids, start=1):
                bench.risk_ranking(actor, article_id)
                bar.progress(done / len(ids), text=f"{done} of {len(ids)} articles")
        except ReviewError as exc:
            st.error(str(exc))
        else:
            st.rerun()
    if worst.by_risk.empty:
        st.caption("No risk computed yet: use the button above, or "
                   "`python -m review score ARTICLE_ID`.")
    else:
        _worst_list(worst.by_risk, "risk", lambda r: f"risk {_fmt(r.risk)} · {r.status}"
                    + (f" · {r.flags}" if r.flags else ""), "mt")
        table(worst.by_risk, "worst-by-risk", "worst_risk", height=300)


def _worst_list(frame: pd.DataFrame, key: str, label, text_col: str,  # noqa: ANN001
                shown: int = 5) -> None:
    for i, row in enumerate(frame.head(shown).itertuples()):
        with st.container(border=True):
            cols = st.columns([6, 1])
            cols[0].markdown(f"**#{int(row.position) + 1}** in article {int(row.article_id)} · "
                             f"{label(row)}")
            cols[0].text(getattr(row, text_col))
            if cols[1].button("Open", key=f"{KEY}_worst_{key}_{i}",
                              help="Open this segment on the Review page"):
                open_segment(row.article_id, row.segment_id)


# ----------------------------------------------------------------------------- page

bench = get_workbench()
actor = require_actor(bench)
st.title("Dashboard")
if not can(actor, "dashboard.view"):
    st.error("The dashboards are for leads and admins; ask one of them for the numbers.")
    st.stop()

filters, freq, with_ter = filters_from_state()
try:
    version = bench.dashboard_version(actor)
    data = load_dashboard(bench, actor, version, filters, freq, with_ter)
except ReviewError as exc:
    st.error(str(exc))
    st.stop()
filter_widgets(data)

if not data.options.articles:
    st.info("No articles yet: import some on the Library page.")
    st.stop()
if data.empty:
    st.info("Nothing matches these filters; widen them in the sidebar."
            if filters != DashboardFilters() else
            "Nothing has been rated, flagged or edited yet.")

tabs = st.tabs(["Overview", "Errors", "Systems", "Reviewers", "Trends", "Worst segments"])
with tabs[0]:
    overview_tab(data)
with tabs[1]:
    errors_tab(data)
with tabs[2]:
    systems_tab(bench, actor, version, data, filters)
with tabs[3]:
    reviewers_tab(data)
with tabs[4]:
    trends_tab(data)
with tabs[5]:
    worst_tab(bench, actor, data, filters)
