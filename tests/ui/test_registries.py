"""Adding a metric is one registration: the CLI, the dashboards and the Review page follow.

A throwaway metric (chrF over character 3-grams) is registered in one place and looked for in
the command line's ``score`` output, the Systems tab's metric list and the table of system
scores, and the Review page's segment scores.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sacrebleu.metrics import CHRF
from streamlit.testing.v1 import AppTest

from review.accounts.permissions import SYSTEM_ACTOR
from review.cli.main import main
from review.db.store import open_store
from review.metrics import Metric, register_metric, unregister_metric
from review.services import Workbench
from tests.ui.workspace_app import body_rows, open_wuzhen, send

REPO = Path(__file__).resolve().parents[2]
WUZHEN = REPO / "samples" / "wuzhen-digital-yrd-conference.en.txt"


@pytest.fixture
def throwaway_metric():  # noqa: ANN201
    metric = register_metric(Metric("chrf3", "chrF3", True,
                                    lambda lang, role: CHRF(char_order=3),
                                    description="chrF over character 3-grams"))
    yield metric
    unregister_metric("chrf3")


def test_the_cli_score_output_lists_it(throwaway_metric, tmp_path: Path,
                                       capsys: pytest.CaptureFixture) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["import", str(WUZHEN), "--db", db]) == 0
    capsys.readouterr()
    assert main(["score", "1", "--json", "--db", db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "chrf3" in data["corpus"]
    assert all("chrf3" in row for row in data["segments"])
    assert main(["score", "1", "--db", db]) == 0
    assert "chrF3" in capsys.readouterr().out


def test_the_dashboard_lists_it(throwaway_metric, app_db: str) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    at.switch_page("review/ui/pages/dashboard.py").run()
    assert not at.exception, at.exception
    metric_choice = at.selectbox(key="dashboard_sys_metric")
    assert "chrf3" in metric_choice.options or "chrF3" in metric_choice.options
    data = Workbench(open_store(app_db)).reports.dashboard_data(SYSTEM_ACTOR)
    assert "chrf3" in data.systems.table.columns


def test_the_review_page_shows_it(throwaway_metric, make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    send(at, {"type": "details", "segment_id": body_rows(bench, article_id)[0].id})
    assert any(m.label.startswith("chrF3") for m in at.metric), [m.label for m in at.metric]
