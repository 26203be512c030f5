"""An article's MQM is one figure: the Dashboard, ``report mqm``, the verdicts (Library,
Quality and Export pages), the second pass and the CLI all show the same number for the same
annotations, on a scripted week of work over the samples."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.cli import main as cli
from review.dashboard import DashboardFilters
from review.db.store import Store
from review.seed import seed_samples
from review.services import Workbench
from tests.e2e.quality_story import PASSWORDS, Story, build_story


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Workbench, Actor, Story, int]:
    url = f"sqlite:///{tmp_path_factory.mktemp('week') / 'week.db'}"
    store = Store(url)
    store.migrate()
    seed_samples(Workbench(store))
    store.dispose()
    story = build_story(url)
    bench = Workbench(Store(url))
    lead = bench.logins.login("lena", PASSWORDS["lena"])
    wuzhen = next(a.id for a in bench.reading.summaries(lead) if "Wuzhen" in a.title)
    return url, bench, lead, story, wuzhen


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-9)


def test_every_place_gives_an_article_the_same_mqm(week, capsys: pytest.CaptureFixture) -> None:
    url, bench, lead, story, wuzhen = week
    articles = [wuzhen, *story.wmt]
    figures = bench.reports.article_mqm(lead, articles, "all")
    assert cli.main(["report", "mqm", "--by", "document", "--json", "--db", url]) == 0
    cli_rows = json.loads(capsys.readouterr().out)["rows"]
    titles = {a.id: a.title for a in bench.reading.summaries(lead)}
    bench.verdicts.set_quality_profile(lead, "Everyone's flags", 20.0, annotations="all",
                                       default=False)
    verdicts = {v.article_id: v for v in
                bench.verdicts.verdicts(lead, articles, "Everyone's flags")}
    for article_id in articles:
        figure = figures[article_id]
        assert figure.rated, article_id
        dashboard = bench.reports.dashboard_data(
            lead, DashboardFilters(article_ids=(article_id,)), with_metrics=False).overview.mqm
        assert _same(dashboard.score, figure.per_segment)
        assert _same(dashboard.per_1000_words, figure.per_1000_words)
        [report] = bench.reports.mqm_report(lead, "document", per_words=True,
                                            article_ids=[article_id])["rows"]
        assert _same(report["mqm"], figure.per_segment)
        assert _same(report["per_1000_words"], figure.per_1000_words)
        [line] = [r for r in cli_rows if r["document"] == titles[article_id]]
        assert _same(line["mqm"], figure.per_segment)
        assert _same(verdicts[article_id].per_1000, figure.per_1000_words)


def test_the_wuzhen_article_reads_the_same_on_second_pass_verdict_and_dashboard(week) -> None:
    """It read 1.04 per segment on the Dashboard, 0.35 on Second pass and 10.9 per 1,000
    words on its verdict: three denominators for one set of flags."""
    _, bench, lead, _, wuzhen = week
    team = bench.reports.article_mqm(lead, [wuzhen], "team")[wuzhen]
    everyone = bench.reports.article_mqm(lead, [wuzhen], "all")[wuzhen]
    assert (team.points, team.segments, team.words) == (
        everyone.points, everyone.segments, everyone.words)  # no imported raters there
    passes = bench.second_pass.pass_scores(lead, wuzhen)
    assert _same(passes.final_mqm, team.per_segment)
    assert _same(passes.final_per_1000, team.per_1000_words)
    [verdict] = bench.verdicts.verdicts(lead, [wuzhen])
    assert verdict.profile == "House standard"
    assert _same(verdict.per_1000, team.per_1000_words)
    dashboard = bench.reports.dashboard_data(
        lead, DashboardFilters(article_ids=(wuzhen,)), with_metrics=False).overview.mqm
    assert _same(dashboard.score, passes.final_mqm)
    first = bench.reports.article_mqm(lead, [wuzhen], "team", first_pass=True)[wuzhen]
    assert _same(passes.r1_mqm, first.per_segment)
    assert first.points != team.points  # the second pass changed and added flags


def test_imported_expert_mqm_is_not_a_team_review(week) -> None:
    """Two WMT articles with expert MQM of 1.10 and 0.65 per segment were given "pass" at
    0.0 points per 1,000 words: nobody on the team had reviewed them."""
    _, bench, lead, story, _ = week
    untouched = story.wmt[2:]  # Omar's, overdue: he has not started
    experts = bench.reports.article_mqm(lead, untouched, "experts")
    assert all(experts[a].rated and experts[a].points > 0 for a in untouched)
    for v in bench.verdicts.verdicts(lead, untouched):  # the house profile: the team's flags
        assert v.passed is None and v.label == "not reviewed", v
        assert "nobody on the team" in v.reason
    bench.verdicts.set_quality_profile(lead, "Experts count", 1000.0, annotations="all",
                                       default=False)
    judged = bench.verdicts.verdicts(lead, untouched, "Experts count")
    assert [v.label for v in judged] == ["pass"] * len(untouched)
    assert all(v.per_1000 > 0 for v in judged)


def test_a_reviewers_done_counts_what_that_reviewer_did(bench: Workbench,
                                                        wuzhen_bytes: bytes) -> None:
    """A second reviewer on the same article showed 20 segments done while having approved
    nothing: done counted the article's state, not the person."""
    lead = Actor("lena", "lead", bench.accounts.add_user(
        SYSTEM_ACTOR, "lena", "lead", "lead-pass-1").id)
    for name in ("rita", "omar"):
        bench.accounts.add_user(SYSTEM_ACTOR, name, "reviewer", f"{name}-pass-1")
    article = bench.imports.import_file(lead, wuzhen_bytes, "wuzhen.en.txt",
                                        "text").articles[0].id
    bench.team.bulk_assign(lead, [article], ["rita", "omar"])
    rita = bench.logins.login("rita", "rita-pass-1")
    rows = [r for r in bench.reading.article(rita, article).rows if r.kind in ("title", "body")]
    for row in rows[:5]:
        bench.editing.set_status(rita, row.id, "approved", row.version)
    progress = {p.name: p for p in bench.team.reviewer_progress(lead)}
    assert (progress["rita"].done, progress["omar"].done) == (5, 0)
    overview = bench.overview.team_overview(lead).team.set_index("Reviewer")
    assert overview.loc["rita", "Done"] == 5 and overview.loc["omar", "Done"] == 0


def test_systems_are_compared_only_on_the_segments_they_share(week) -> None:
    """With every article selected, the Wuzhen article's unnamed MT (12 segments, none
    shared with the WMT systems) was ranked among them and everything fell into one
    cluster."""
    _, bench, lead, story, wuzhen = week
    everything = bench.reports.system_clusters(lead, samples=200)
    wmt_only = bench.reports.system_clusters(
        lead, DashboardFilters(article_ids=story.wmt), samples=200)
    mt = everything[everything["system"] == "MT"].iloc[0]
    assert mt["cluster"] is None or math.isnan(mt["cluster"])
    assert "shares no segment" in mt["note"]
    ranked = everything[everything["cluster"].notna()].reset_index(drop=True)
    assert list(ranked["system"]) == list(wmt_only[wmt_only["cluster"].notna()]["system"])
    assert list(ranked["cluster"]) == list(wmt_only[wmt_only["cluster"].notna()]["cluster"])
    assert everything.attrs["shared_segments"] == wmt_only.attrs["shared_segments"] > 0


def test_the_mqm_rules_live_in_one_module() -> None:
    """Which annotations count and how an article's figure is formed are written once."""
    root = Path(__file__).resolve().parents[2] / "review"
    owners = [p.relative_to(root).as_posix() for p in root.rglob("*.py")
              if "def article_mqm(" in p.read_text()]
    assert sorted(owners) == ["dashboard/article_mqm.py", "services/dashboards.py"]
