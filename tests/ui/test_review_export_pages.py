"""AppTest flows of the Review and Export pages on the seeded sample database."""

from __future__ import annotations

from review.accounts.permissions import SYSTEM_ACTOR
from tests.ui.workspace_app import body_rows, open_wuzhen, send


def test_review_page_fix_flag_scores_and_export(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    body = body_rows(bench, article_id)
    before = bench.scoring.score_article(SYSTEM_ACTOR, article_id).corpus["chrf"].value
    target = body[0]
    ack = send(at, {"type": "save", "segment_id": target.id, "text": "A fixed first sentence.",
                    "version": target.version})
    assert ack["ok"], ack
    assert bench.reading.segment(SYSTEM_ACTOR, target.id).row.current == "A fixed first sentence."
    assert bench.scoring.score_article(SYSTEM_ACTOR, article_id).corpus["chrf"].value < before
    send(at, {"type": "details", "segment_id": target.id})
    assert any(m.label.startswith("chrF") for m in at.metric)

    other = body[1]
    word = other.mt.split()[0]
    ack = send(at, {"type": "flag_add", "segment_id": other.id, "on": "target", "start": 0,
                    "end": len(word), "category": "Style/Awkward", "severity": "Major",
                    "note": "reads badly"})
    assert ack["ok"], ack
    flags = bench.reading.segment(SYSTEM_ACTOR, other.id).flags
    assert any(f.category == "Style/Awkward" and f.severity == "Major" and f.note == "reads badly"
               for f in flags)

    at.switch_page("review/ui/pages/export.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="export_article").set_value(article_id).run()
    assert "A fixed first sentence." in at.code[0].value
    at.radio(key="export_format").set_value("csv").run()
    assert not at.exception
    assert "A fixed first sentence." in at.code[0].value


def test_library_page_lists_samples(make_app) -> None:
    at = make_app().run()
    at.switch_page("review/ui/pages/library.py").run()
    assert not at.exception, at.exception
    assert len(at.dataframe) >= 1
