"""review.dashboard: statistics against published values, aggregations against hand-worked rows."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review import dashboard as dash
from review.dashboard import DashboardFilters

NAN = math.nan


# ----------------------------------------------------------------------------- statistics

@pytest.mark.parametrize("x, y, expected", [
    # scipy.stats.kendalltau documentation example (tau-b)
    ([12, 2, 1, 12, 2], [1, 4, 7, 1, 0], -0.47140452079103173),
    # one discordant pair of six: (5 - 1) / 6
    ([1, 2, 3, 4], [1, 3, 2, 4], 4 / 6),
    # a tie on each side: 4 / sqrt(5 * 5)
    ([1, 1, 2, 3], [1, 2, 2, 3], 0.8),
    ([1, 2, 3], [3, 2, 1], -1.0),
    ([0.1, 0.2, 0.3], [10, 20, 30], 1.0),
])
def test_kendall_tau_known_values(x: list, y: list, expected: float) -> None:
    assert dash.kendall_tau(x, y) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("x, y", [([1, 1, 1], [1, 2, 3]), ([1], [2]), ([], [])])
def test_kendall_tau_undefined_is_nan(x: list, y: list) -> None:
    assert math.isnan(dash.kendall_tau(x, y))


def _brute_tau(x: list[float], y: list[float]) -> float:
    s = sum(np.sign(x[i] - x[j]) * np.sign(y[i] - y[j])
            for i, j in combinations(range(len(x)), 2))
    n0 = len(x) * (len(x) - 1) / 2
    n1 = sum(c * (c - 1) / 2 for c in pd.Series(x).value_counts())
    n2 = sum(c * (c - 1) / 2 for c in pd.Series(y).value_counts())
    denom = math.sqrt((n0 - n1) * (n0 - n2))
    return s / denom if denom else NAN


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=2, max_size=40))
def test_kendall_tau_matches_pairwise_definition(pairs: list[tuple[int, int]]) -> None:
    x = [float(a) for a, _ in pairs]
    y = [float(b) for _, b in pairs]
    expected = _brute_tau(x, y)
    got = dash.kendall_tau(x, y)
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


def test_kendall_tau_continuous_path_matches_table_path() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=2100)
    y = x + rng.normal(size=2100)
    tau = dash.kendall_tau(x, y)  # 2100² distinct pairs: pairwise path
    assert tau == pytest.approx(dash.kendall_tau(np.round(x, 1), np.round(y, 1)), abs=0.02)
    assert tau == pytest.approx(_brute_tau(list(x[:300]), list(y[:300])), abs=0.1)
    assert dash.kendall_tau(x[:300], y[:300]) == pytest.approx(
        _brute_tau(list(x[:300]), list(y[:300])))


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", reliability data with
# missing values: 4 observers, 12 units; interval alpha = 0.849.
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
])


def test_krippendorff_alpha_interval_textbook_value() -> None:
    assert round(dash.krippendorff_alpha_interval(KRIPPENDORFF_2011), 3) == 0.849


def test_krippendorff_alpha_long_form_equals_matrix() -> None:
    rows = [{"unit": u, "rater": r, "value": KRIPPENDORFF_2011[r, u]}
            for r in range(4) for u in range(12)]
    long = pd.DataFrame(rows)
    assert dash.krippendorff_alpha_interval(long) == pytest.approx(
        dash.krippendorff_alpha_interval(KRIPPENDORFF_2011))


@pytest.mark.parametrize("matrix, expected", [
    ([[1, 2, 3], [1, 2, 3]], 1.0),
    ([[2, 2, 2], [2, 2, 2]], NAN),  # no variation: undefined
    ([[1, NAN], [NAN, 2]], NAN),  # nothing pairable
    # two raters, two units: D_o = (2*1 + 2*1) / 4 = 1; D_e = 2 (4*18 - 8²) / (4*3) = 4/3
    ([[1, 2], [2, 3]], 0.25),
])
def test_krippendorff_alpha_small_cases(matrix: list, expected: float) -> None:
    got = dash.krippendorff_alpha_interval(np.array(matrix, dtype=float))
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


def test_bootstrap_interval_brackets_the_mean_and_is_seeded() -> None:
    values = np.array([0, 0, 1, 5, 0.1, 25, 0, 1, 1, 2] * 5, dtype=float)
    low, high = dash.bootstrap_mean_ci(values)
    assert low < values.mean() < high
    assert dash.bootstrap_mean_ci(values) == (low, high)
    assert dash.bootstrap_mean_ci(np.full(40, 3.0)) == (3.0, 3.0)
    assert all(math.isnan(v) for v in dash.bootstrap_mean_ci(np.zeros(0)))


def test_paired_bootstrap_of_means() -> None:
    a = np.array([1.0, 0, 5, 1, 0, 2] * 10)
    same = dash.paired_bootstrap_means(a, a)
    assert same.delta == 0 and same.p_value > 0.5 and same.n == 60
    worse = dash.paired_bootstrap_means(a, a + 3)
    assert worse.delta == pytest.approx(3.0)
    assert worse.p_value < 0.01
    assert worse.ci_low == pytest.approx(3.0) and worse.ci_high == pytest.approx(3.0)
    assert dash.paired_bootstrap_means(np.zeros(0), np.zeros(0)).n == 0


# ----------------------------------------------------------------------------- fixtures

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
T1 = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # the same week
T2 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # the next week


def _flag(fid: int, seg: int, category: str, severity: str, author: str, *,
          origin: str = "reviewer", state: str = "confirmed", at: datetime = T0,
          candidate: int | None = None, start: int | None = None, end: int | None = None,
          check: str = "") -> dict:
    return dict(id=fid, segment_id=seg, candidate_id=candidate, span_in="target", start=start,
                end=end, category=category, severity=severity, author=author, origin=origin,
                check_name=check, state=state, created_at=at)


@pytest.fixture
def frames() -> dash.Frames:
    """One article without a named MT system (flags land on "MT"), reviewed by ann and bob;
    a second article from another batch and language pair with an imported system."""
    articles = [
        dict(id=1, title="News", source_lang="zh", target_lang="en", mt_system="",
             batch="b1", created_at=T0),
        dict(id=2, title="Talk", source_lang="en", target_lang="de", mt_system="sysX",
             batch="b2", created_at=T2),
    ]
    segments = [
        dict(id=10, article_id=1, position=0, kind="title", status="approved", risk=0.2,
             words=4, updated_at=T1, updated_by="ann"),
        dict(id=11, article_id=1, position=1, kind="body", status="fixed", risk=0.9, words=10,
             updated_at=T1, updated_by="ann"),
        dict(id=12, article_id=1, position=2, kind="body", status="todo", risk=None, words=6,
             updated_at=T0, updated_by=""),
        dict(id=13, article_id=1, position=3, kind="boilerplate", status="todo", risk=None,
             words=3, updated_at=T0, updated_by=""),
        dict(id=20, article_id=2, position=0, kind="body", status="todo", risk=0.5, words=5,
             updated_at=T2, updated_by=""),
    ]
    candidates = [dict(id=100, segment_id=20, system="sysX", kind="import", words=5),
                  dict(id=101, segment_id=20, system="sysY", kind="import", words=8)]
    flags = [
        _flag(1, 11, "Accuracy/Mistranslation", "Major", "ann", start=0, end=4),
        _flag(2, 11, "Fluency/Punctuation", "Minor", "ann", at=T1),
        _flag(3, 11, "Fluency/Grammar", "Minor", "check:grammar", origin="check",
              state="open", check="grammar"),
        _flag(4, 11, "Style/Awkward", "Minor", "check:style", origin="check",
              state="dismissed", check="style"),
        _flag(5, 12, "Fluency/Spelling", "Minor", "check:spell", origin="check",
              state="confirmed", check="spell"),
        _flag(6, 12, "Style/Awkward", "Major", "bob", state="dismissed"),
        _flag(7, 20, "Accuracy/Omission", "Major", "r1", origin="import", state="open",
              candidate=100, at=T2),
        _flag(8, 20, "No-error", "No-error", "r1", origin="import", state="open",
              candidate=101, at=T2),
    ]
    revisions = [
        dict(id=1, segment_id=11, version=2, action="edit", author="ann", seconds_spent=30.0,
             created_at=T0),
        dict(id=2, segment_id=11, version=3, action="edit", author="ann", seconds_spent=10.0,
             created_at=T1),
        dict(id=3, segment_id=12, version=2, action="edit", author="bob", seconds_spent=60.0,
             created_at=T2),
    ]
    decisions = [
        dict(actor="ann", action="flag_confirmed", segment_id=12, flag_id=5,
             check_name="spell", at=T1),
        dict(actor="ann", action="flag_dismissed", segment_id=11, flag_id=4,
             check_name="style", at=T1),
        dict(actor="bob", action="flag_confirmed", segment_id=11, flag_id=4,
             check_name="style", at=T0),
        dict(actor="bob", action="flag_dismissed", segment_id=11, flag_id=4,
             check_name="style", at=T1),
    ]
    return dash.frames_from_records(articles=articles, segments=segments,
                                    candidates=candidates, flags=flags, revisions=revisions,
                                    decisions=decisions)


# ----------------------------------------------------------------------------- MQM rows

def test_which_annotations_count(frames: dash.Frames) -> None:
    rows = dash.mqm_rows(frames)
    got = sorted((r.system, int(r.segment_id), r.rater, r.category, r.weight)
                 for r in rows.itertuples())
    assert got == [
        ("MT", 10, "ann", "No-error", 0.0),  # approved without flags: rated clean
        ("MT", 11, "ann", "Accuracy/Mistranslation", 5.0),
        ("MT", 11, "ann", "Fluency/Punctuation", 0.1),
        ("MT", 12, "check:spell", "Fluency/Spelling", 1.0),  # confirmed suggestion
        ("sysX", 20, "r1", "Accuracy/Omission", 5.0),
        ("sysY", 20, "r1", "No-error", 0.0),
    ]


def test_unit_scores_and_summary(frames: dash.Frames) -> None:
    units = dash.unit_scores(dash.mqm_rows(frames)).set_index(["system", "segment_id"])
    assert units["score"].to_dict() == pytest.approx({
        ("MT", 10.0): 0.0, ("MT", 11.0): 5.1, ("MT", 12.0): 1.0, ("sysX", 20.0): 5.0,
        ("sysY", 20.0): 0.0})
    summary = dash.mqm_summary(units.reset_index())
    assert summary.score == pytest.approx(11.1 / 5)
    # words: 4 + 10 + 6 (segments' MT) + 5 + 8 (candidates)
    assert summary.per_1000_words == pytest.approx(1000 * 11.1 / 33)
    assert summary.small_sample and summary.segments == 5 and summary.errors == 4


@pytest.mark.parametrize("filters, systems_segments", [
    (DashboardFilters(), {("MT", 10), ("MT", 11), ("MT", 12), ("sysX", 20), ("sysY", 20)}),
    (DashboardFilters(article_ids=(2,)), {("sysX", 20), ("sysY", 20)}),
    (DashboardFilters(language_pairs=("zh→en",)), {("MT", 10), ("MT", 11), ("MT", 12)}),
    (DashboardFilters(systems=("sysY",)), {("sysY", 20)}),
    (DashboardFilters(reviewers=("ann",)), {("MT", 10), ("MT", 11)}),
    (DashboardFilters(date_from=date(2026, 3, 3)), {("MT", 10), ("MT", 11), ("sysX", 20),
                                                    ("sysY", 20)}),
    (DashboardFilters(date_to=date(2026, 3, 2)), {("MT", 11), ("MT", 12)}),
    (DashboardFilters(article_ids=(99,)), set()),
])
def test_filters(frames: dash.Frames, filters: DashboardFilters,
                 systems_segments: set) -> None:
    rows = dash.mqm_rows(dash.apply_filters(frames, filters), filters)
    assert {(s, int(i)) for s, i in zip(rows["system"], rows["segment_id"])} == systems_segments


# ----------------------------------------------------------------------------- views

def test_errors_view(frames: dash.Frames) -> None:
    errors = dash.errors_view(dash.mqm_rows(frames))
    assert errors.top[["category", "count", "points"]].values.tolist() == [
        ["Accuracy/Mistranslation", 1, 5.0], ["Accuracy/Omission", 1, 5.0],
        ["Fluency/Spelling", 1, 1.0], ["Fluency/Punctuation", 1, 0.1]]
    assert errors.top["share"].sum() == pytest.approx(1.0)
    assert set(errors.examples["flag_id"]) == {1.0, 2.0, 5.0, 7.0}


def test_reviewers_view(frames: dash.Frames) -> None:
    text = dash.TextScores(revision_hter=pd.DataFrame(
        {"author": ["ann", "bob"], "segment_id": [11.0, 12.0], "hter": [20.0, 50.0]}))
    view = dash.reviewers_view(frames, dash.mqm_rows(frames), text)
    table = view.table.set_index("reviewer")
    assert list(table.index) == ["ann", "bob", "r1"]  # automatic checks are no reviewers
    assert table.loc["ann", ["segments_rated", "errors", "edits", "segments_edited"]] \
        .tolist() == [2, 2, 2, 1]
    assert table.loc["ann", "seconds_per_segment"] == 40.0
    assert table.loc["bob", "seconds_per_segment"] == 60.0
    assert table.loc["ann", "hter"] == 20.0
    # ann confirmed one suggestion and dismissed one; bob changed his mind: dismissed counts
    assert table.loc["ann", ["confirmed", "dismissed"]].tolist() == [1, 1]
    assert table.loc["bob", ["confirmed", "dismissed"]].tolist() == [0, 1]
    checks = view.checks.set_index("check_name")
    assert checks.loc["style", ["suggested", "dismissed"]].tolist() == [1, 1]
    assert checks.loc["spell", "precision"] == 1.0


def test_trends_by_week_and_day(frames: dash.Frames) -> None:
    rows = dash.mqm_rows(frames)
    units = dash.unit_scores(rows)
    weekly = dash.trends_view(frames, rows, units, "W").by_period
    assert [str(p.date()) for p in weekly["period"]] == ["2026-03-02", "2026-03-09"]
    assert weekly["errors"].tolist() == [3, 1]
    assert weekly["edits"].tolist() == [2, 1]
    daily = dash.trends_view(frames, rows, units, "D").by_period
    assert [str(p.date()) for p in daily["period"]] == ["2026-03-02", "2026-03-04",
                                                        "2026-03-10"]
    batches = dash.trends_view(frames, rows, units).by_batch.set_index("batch")
    assert batches.loc["b1", ["articles", "segments", "edits"]].tolist() == [1, 3, 3]
    assert batches.loc["b2", "mqm"] == pytest.approx(2.5)


def test_win_tie_loss_counts_float_ties_as_ties() -> None:
    units = pd.DataFrame({"system": ["A", "B", "A", "B", "A", "B"],
                          "segment_id": [1.0, 1.0, 2.0, 2.0, 3.0, 3.0],
                          "score": [0.1 + 0.2, 0.3, 0.0, 1.0, 5.0, 1.0]})
    table = dash.win_tie_loss(units).set_index(["system_a", "system_b"])
    assert table.loc[("A", "B"), ["wins", "ties", "losses", "segments"]].tolist() == [1, 1, 1, 3]


def test_span_agreement_hand_worked() -> None:
    def row(rater: str, seg: float, start: float, end: float) -> dict:
        return dict(system="S", segment_id=seg, rater=rater, span_in="target", start=start,
                    end=end, is_error=True)
    rows = pd.DataFrame([
        row("a", 1, 0, 4), row("a", 1, 2, 6),  # overlapping spans merge to 0-6
        row("b", 1, 4, 10),
        row("a", 2, 0, 3), row("b", 2, NAN, NAN),  # b rated segment 2, no span
    ])
    out = dash.span_agreement(rows).iloc[0]
    # overlap 2 (chars 4, 5); marked 6 + 6 (segment 1) + 3 + 0 (segment 2)
    assert (out["overlap"], out["marked"]) == (2.0, 15.0)
    assert out["span_f1"] == pytest.approx(4 / 15)


def test_worst_view_orders_by_points_and_risk(frames: dash.Frames) -> None:
    rows = dash.mqm_rows(frames)
    worst = dash.worst_view(frames, rows, dash.unit_scores(rows))
    assert worst.by_mqm[["system", "segment_id"]].values.tolist() == [
        ["MT", 11.0], ["sysX", 20.0], ["MT", 12.0]]
    assert worst.by_mqm.loc[0, "flags"] == ("Major Accuracy/Mistranslation; "
                                            "Minor Fluency/Punctuation")
    assert worst.by_risk["segment_id"].tolist() == [11, 20, 10]


def test_build_dashboard_on_nothing_and_on_everything(frames: dash.Frames) -> None:
    empty = dash.build_dashboard(dash.frames_from_records())
    assert empty.empty and empty.overview.articles == 0
    assert math.isnan(empty.overview.mqm.score)
    assert empty.reviewers.table.empty and empty.systems.table.empty
    none = dash.build_dashboard(frames, DashboardFilters(reviewers=("nobody",),
                                                         article_ids=(1,)))
    assert none.overview.mqm.segments == 0 and none.errors.matrix.empty
    full = dash.build_dashboard(frames)
    assert not full.empty
    assert full.overview.progress.set_index("status")["segments"].to_dict() == {
        "todo": 2, "flagged": 0, "fixed": 1, "approved": 1}
    assert (full.overview.segments, full.overview.residue_segments) == (4, 1)
    assert full.options.systems == ["MT", "sysX", "sysY"]
    assert full.options.reviewers == ["ann", "bob", "r1"]
    assert full.options.language_pairs == ["en→de", "zh→en"]
    for view in (full.overview, full.errors, full.systems, full.reviewers, full.trends,
                 full.worst):
        assert dash.frame_names(view)


def test_rank_agreement_orientation() -> None:
    table = pd.DataFrame({"system": ["A", "B", "C", "ref"], "mqm": [1.0, 2.0, 3.0, 0.5],
                          "chrf": [60.0, 50.0, 40.0, 100.0], "bleu": [10.0, 30.0, 20.0, 100.0],
                          "ter": [30.0, 40.0, 50.0, 0.0]})
    got = dash.rank_agreement(table, {"ref"}, "reference").set_index("metric")["tau"]
    assert got.to_dict() == pytest.approx({"chrf": 1.0, "bleu": -1 / 3, "ter": 1.0})


def test_both_resampling_paths_give_the_same_interval() -> None:
    """Few distinct values are resampled as multinomial counts, many by index: the same
    distribution, so the intervals agree up to resampling noise."""
    values = np.array([0.0, 1.0, 5.0, 0.1, 25.0] * 200)
    jittered = values + np.arange(len(values)) * 1e-9  # all distinct: drawn by index
    low, high = dash.bootstrap_mean_ci(values)
    low_j, high_j = dash.bootstrap_mean_ci(jittered)
    assert low == pytest.approx(low_j, abs=0.2) and high == pytest.approx(high_j, abs=0.2)
    assert low < values.mean() < high


def test_win_tie_loss_matrix_reads_row_against_column() -> None:
    wtl = pd.DataFrame({"system_a": ["A", "B"], "system_b": ["B", "A"], "wins": [2, 1],
                        "ties": [0, 0], "losses": [1, 2], "segments": [3, 3]})
    grid = dash.win_tie_loss_matrix(wtl).set_index("system")
    assert grid.loc["A", "B"] == "2 / 0 / 1"
    assert grid.loc["B", "A"] == "1 / 0 / 2"
    assert grid.loc["A", "A"] == ""


def test_filters_from_choices_and_articles_in_filters() -> None:
    day, later = date(2024, 5, 1), date(2024, 5, 9)
    one_day = dash.filters_from_choices([day], [3, 1], ["zh→en"], [], ())
    assert (one_day.date_from, one_day.date_to, one_day.article_ids) == (day, day, (1, 3))
    assert dash.filters_from_choices((day, later), [], [], [], []).date_to == later
    assert dash.filters_from_choices((), [], [], [], []) == DashboardFilters()
    options = dash.FilterOptions({1: "a", 2: "b", 3: "c"}, [], [], [], None, None)
    assert dash.articles_in_filters(options, DashboardFilters()) == [1, 2, 3]
    assert dash.articles_in_filters(options, DashboardFilters(article_ids=(3, 1))) == [1, 3]


def test_rank_articles_reports_progress_and_stops_at_an_error() -> None:
    seen: list[int] = []
    assert list(dash.rank_articles([4, 7], seen.append)) == [(1, 2), (2, 2)]
    assert seen == [4, 7]

    def fail(article_id: int) -> None:
        raise ValueError(article_id)

    with pytest.raises(ValueError):
        list(dash.rank_articles([4, 7], fail))
