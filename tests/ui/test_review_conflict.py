"""Two people edit one segment: the later save is refused and shows the other version."""

from __future__ import annotations

from review.permissions import SYSTEM_ACTOR, Actor
from review.services import Workbench
from review.store import open_store


def open_segment(make_app, app_db: str):  # noqa: ANN001, ANN201
    at = make_app().run()
    bench = Workbench(open_store(app_db))
    article = next(a for a in bench.summaries(SYSTEM_ACTOR) if a.title.startswith("Playing"))
    at.selectbox(key="review_article").set_value(article.id).run()
    row = next(r for r in bench.article(SYSTEM_ACTOR, article.id).rows if r.kind == "body")
    at.selectbox(key="review_segment").set_value(row.id).run()
    return at, bench, row


def test_lost_race_shows_theirs_and_keep_mine_lands(make_app, app_db: str) -> None:
    at, bench, row = open_segment(make_app, app_db)
    other = Actor("olga", "lead")
    bench.save_segment(other, row.id, "Olga's version.", row.version)

    at.text_area(key=f"review_text_{row.id}").set_value("My version.").run()
    at.button(key="review_save").click().run()
    assert not at.exception, at.exception
    assert any("olga saved segment" in e.value for e in at.error)
    assert any("Olga's version." in c.value for c in at.code)
    assert bench.segment(SYSTEM_ACTOR, row.id).row.current == "Olga's version."
    assert at.text_area(key=f"review_text_{row.id}").value == "My version."  # nothing lost

    at.button(key="review_save").click().run()  # keep mine, having seen theirs
    assert not at.exception, at.exception
    detail = bench.segment(SYSTEM_ACTOR, row.id)
    assert detail.row.current == "My version."
    assert [r.text for r in detail.revisions][:2] == ["My version.", "Olga's version."]


def test_take_theirs_drops_my_draft(make_app, app_db: str) -> None:
    at, bench, row = open_segment(make_app, app_db)
    bench.save_segment(Actor("olga", "lead"), row.id, "Olga's version.", row.version)
    at.text_area(key=f"review_text_{row.id}").set_value("My version.").run()
    at.button(key="review_save").click().run()
    at.button(key="review_take_theirs").click().run()
    assert not at.exception, at.exception
    assert at.text_area(key=f"review_text_{row.id}").value == "Olga's version."
    assert bench.segment(SYSTEM_ACTOR, row.id).row.current == "Olga's version."



def edit_grid(at, bench: Workbench, segment_id: int, text: str) -> None:  # noqa: ANN001
    """Send a grid edit the way the browser does (AppTest cannot type into the grid)."""
    article_id = bench.segment(SYSTEM_ACTOR, segment_id).article_id
    index = [r.id for r in bench.article(SYSTEM_ACTOR, article_id).rows].index(segment_id)
    at.session_state[f"review_grid_{article_id}_0"] = {
        "edited_rows": {index: {"Corrected": text}}, "added_rows": [], "deleted_rows": []}
    at.run()


def test_grid_edit_saves(make_app, app_db: str) -> None:
    at, bench, row = open_segment(make_app, app_db)
    edit_grid(at, bench, row.id, "Grid edit.")
    assert not at.exception, at.exception
    assert bench.segment(SYSTEM_ACTOR, row.id).row.current == "Grid edit."


def test_grid_edit_after_someone_else_saved_is_refused(make_app, app_db: str) -> None:
    at, bench, row = open_segment(make_app, app_db)
    bench.save_segment(Actor("olga", "lead"), row.id, "Olga's version.", row.version)
    edit_grid(at, bench, row.id, "Grid edit.")
    assert not at.exception, at.exception
    assert any("olga saved segment" in e.value for e in at.error)
    assert bench.segment(SYSTEM_ACTOR, row.id).row.current == "Olga's version."
