"""AppTest of the Dashboard page: with the samples, with no data, with filters that select
nothing, the jump to the Review page, and a reviewer kept out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.db.models import Assignment, User
from review.db.store import Store, open_store
from review.seed import seed_samples
from review.services import Workbench

REPO = Path(__file__).resolve().parents[2]
PAGE = "review/ui/pages/dashboard.py"


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples loaded once; each test works on its own copy."""
    path = tmp_path_factory.mktemp("dashboard") / "seeded.db"
    store = Store(f"sqlite:///{path}")
    store.migrate()
    assert seed_samples(Workbench(store)) >= 2
    store.dispose()
    return path


@pytest.fixture
def seeded(seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "app.db"
    shutil.copy(seeded_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("REVIEW_DATABASE_URL", url)
    monkeypatch.setenv("REVIEW_SEED", "1")
    monkeypatch.chdir(REPO)
    return url


def _app() -> AppTest:
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def test_dashboard_with_the_samples(seeded: str) -> None:
    at = _app().run()
    assert not at.exception, at.exception
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == ["Overview", "Errors", "Systems", "Reviewers",
                                          "Trends", "Worst segments"]
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Articles"]) >= 2
    assert metrics["MQM per segment"] != "—"
    # the WMT sample has three raters per segment
    assert metrics["Krippendorff's α (interval)"] != "—"
    assert metrics["Span F1"] != "—"
    texts = _texts(at)
    for empty in ("No errors flagged", "No system has been rated", "Nobody has reviewed",
                  "No segment has more than one rater", "No rated segment with errors"):
        assert empty not in texts
    assert "p = " in texts  # the two systems preselected are compared
    assert len(at.get("vega_lite_chart")) >= 6
    assert len(at.dataframe) >= 10
    assert len(at.get("download_button")) >= 2 * len(at.get("vega_lite_chart"))

    bench = Workbench(open_store(seeded))
    example = bench.reports.dashboard_data(SYSTEM_ACTOR).errors.examples.iloc[0]
    at.selectbox(key="dashboard_example_category").set_value(example["category"]).run()
    at.button(key=f"dashboard_example_{int(example['flag_id'])}").click().run()
    assert not at.exception, at.exception
    assert at.session_state["article_id"] == int(example["article_id"])
    assert at.session_state["segment_id"] == int(example["segment_id"])
    assert at.title[0].value == "Review"


def test_filters_including_ones_that_select_nothing(seeded: str) -> None:
    at = _app().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    systems = at.multiselect(key="dashboard_systems").options
    at.multiselect(key="dashboard_systems").set_value(systems[:2])
    at.radio(key="dashboard_freq").set_value("Day")
    at.checkbox(key="dashboard_ter").check().run()
    assert not at.exception, at.exception
    assert {m.label for m in at.metric} >= {"MQM per segment", "Mean HTER"}

    bench = Workbench(open_store(seeded))
    wuzhen = next(a.id for a in bench.reading.summaries(SYSTEM_ACTOR) if not a.systems)
    raters = at.multiselect(key="dashboard_reviewers").options
    at.multiselect(key="dashboard_systems").set_value([])
    at.multiselect(key="dashboard_articles").set_value([wuzhen])
    at.multiselect(key="dashboard_reviewers").set_value([raters[0]]).run()
    assert not at.exception, at.exception
    assert "Nothing matches these filters" in _texts(at)
    assert at.multiselect(key="dashboard_pairs").options == ["zh→en"]

    at.multiselect(key="dashboard_reviewers").set_value([])
    at.multiselect(key="dashboard_articles").set_value([]).run()
    assert "No risk computed yet" in _texts(at)
    at.button(key="dashboard_risk").click().run()
    assert not at.exception, at.exception
    assert "No risk computed yet" not in _texts(at)
    assert any(s.row.risk is not None for s in [bench.reading.segment(SYSTEM_ACTOR, r.id) for r in
                                                bench.reading.article(SYSTEM_ACTOR, wuzhen).rows])


def test_dashboard_without_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEW_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("REVIEW_SEED", "0")
    monkeypatch.chdir(REPO)
    at = _app().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert "No articles yet" in _texts(at)


def test_a_reviewer_cannot_open_the_dashboard(seeded: str) -> None:
    bench = Workbench(open_store(seeded))
    article_id = bench.reading.summaries(SYSTEM_ACTOR)[0].id
    with bench.store.write() as session:
        user = User(name="rita", role="reviewer")
        session.add(user)
        session.flush()
        session.add(Assignment(article_id=article_id, user_id=user.id))
        user_id = user.id
    rita = Actor("rita", "reviewer", user_id)
    at = _app()
    at.session_state["actor"] = rita
    at.run()
    assert not at.exception, at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)  # not in a reviewer's navigation
    page = AppTest.from_file(str(REPO / PAGE), default_timeout=60)  # and if opened anyway
    page.session_state["actor"] = rita
    page.run()
    assert not page.exception, page.exception
    assert any("leads and admins" in e.value for e in page.error)
    assert not page.metric and not page.dataframe and not page.tabs


def test_systems_tab_ranks_systems_by_esa_once_scores_exist(seeded: str) -> None:
    at = _app().run()
    at.switch_page(PAGE).run()
    assert not any("ESA ranking" in s.value for s in at.subheader)
    bench = Workbench(open_store(seeded))
    with bench.store.read() as session:
        from sqlalchemy import select

        from review.db.models import Segment

        picks = session.execute(select(Segment.id, Segment.article_id)
                                .where(Segment.mt != "", Segment.kind == "body")
                                .order_by(Segment.article_id, Segment.position)).all()
    firsts: dict[int, list[int]] = {}
    for seg_id, article_id in picks:
        firsts.setdefault(article_id, []).append(seg_id)
    for score, ids in zip((40, 90), firsts.values()):
        for seg_id in ids[:3]:
            bench.ratings.rate_segment(SYSTEM_ACTOR, seg_id, score)
    at = _app().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert any("ESA ranking" in s.value for s in at.subheader)
    [frame] = [d.value for d in at.dataframe if "95% low" in d.value.columns]
    assert list(frame["system"]) == ["GPT4-5shot", "MT"]
    assert list(frame["mean"]) == [90.0, 40.0]
