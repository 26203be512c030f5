"""AppTest flows of the Review and Export pages on the seeded sample database."""

from __future__ import annotations

from review.permissions import SYSTEM_ACTOR
from review.services import Workbench
from review.store import open_store


def wuzhen_first_body(url: str):  # noqa: ANN201
    bench = Workbench(open_store(url))
    article = next(a for a in bench.summaries(SYSTEM_ACTOR) if a.title.startswith("Playing"))
    rows = bench.article(SYSTEM_ACTOR, article.id).rows
    return bench, article.id, [r for r in rows if r.kind == "body"]


def test_review_page_fix_flag_and_scores(make_app, app_db: str) -> None:
    at = make_app().run()
    assert not at.exception, at.exception
    bench, article_id, body = wuzhen_first_body(app_db)
    at.selectbox(key="review_article").set_value(article_id).run()
    target = body[0]
    at.selectbox(key="review_segment").set_value(target.id).run()
    assert not at.exception
    before = bench.score_article(SYSTEM_ACTOR, article_id).corpus["chrf"].value

    at.text_area(key=f"review_text_{target.id}").set_value("A fixed first sentence.").run()
    at.button(key="review_save").click().run()
    assert not at.exception, at.exception
    assert any("Saved segment" in s.value for s in at.success)
    assert bench.segment(SYSTEM_ACTOR, target.id).row.current == "A fixed first sentence."
    after = bench.score_article(SYSTEM_ACTOR, article_id).corpus["chrf"].value
    assert after < before
    assert any(m.label.startswith("chrF") for m in at.metric)

    other = body[1]
    at.selectbox(key="review_segment").set_value(other.id).run()
    at.selectbox(key="review_flag_category").set_value("Style/Awkward")  # inside a form:
    at.selectbox(key="review_flag_severity").set_value("Major")  # sent on submit
    words = other.mt.split()[0]
    at.text_input(key="review_flag_span").input(words)
    at.text_input(key="review_flag_note").input("reads badly")
    at.button(key="FormSubmitter:review_flag_form-Add flag").click().run()
    assert not at.exception, at.exception
    flags = bench.segment(SYSTEM_ACTOR, other.id).flags
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
