"""Attaching a source on the Review page: align, correct one pairing, store."""

from __future__ import annotations

from review.accounts.permissions import SYSTEM_ACTOR
from tests.ui.workspace_app import open_wuzhen, workspace_data


def test_align_fix_and_store_the_source(make_app, app_db: str) -> None:
    at, bench, article_id = open_wuzhen(make_app, app_db)
    rows = bench.reading.article(SYSTEM_ACTOR, article_id).rows
    content = [r for r in rows if r.kind in ("title", "body")]
    source = "\n".join(f"第{i}句{'字' * (len(r.mt) // 3)}。" for i, r in enumerate(content))
    at.text_area(key=f"review_source_text_{article_id}").set_value(source).run()
    at.button(key="review_source_align").click().run()
    assert not at.exception, at.exception
    target = content[2]
    index = [r.id for r in rows].index(target.id)
    at.session_state[f"review_source_grid_{article_id}"] = {
        "edited_rows": {index: {"Source": "改正的句子。"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="review_source_save").click().run()
    assert not at.exception, at.exception
    assert any("Stored the source of" in s.value for s in at.success)
    assert bench.reading.segment(SYSTEM_ACTOR, target.id).row.source == "改正的句子。"
    sent = next(r for r in workspace_data(at)["rows"] if r["id"] == target.id)
    assert sent["source"] == "改正的句子。"


def test_align_without_text_says_what_to_do(make_app, app_db: str) -> None:
    at, _, _ = open_wuzhen(make_app, app_db)
    at.button(key="review_source_align").click().run()
    assert any("paste or upload" in e.value for e in at.error)
