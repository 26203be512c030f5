"""Library imports select the new article; names from files never render as markdown."""

from __future__ import annotations

import json

from sqlalchemy import update

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.models import Article
from review.db.store import open_store
from review.formats.base import ReadOptions
from review.services import Workbench

HOSTILE = "![x](http://evil.test/x.png) :red[ALERT] [link](http://evil.test)"


def _bench(url: str) -> Workbench:
    return Workbench(open_store(url))


def test_the_picker_selects_the_imported_article(make_app, empty_app_db: str) -> None:
    """The picker stayed on the old article after an import."""
    bench = _bench(empty_app_db)
    for title in ("First", "Second"):
        bench.imports.import_file(SYSTEM_ACTOR, f"One sentence of {title}.\n".encode(), "a.txt",
                          "text", ReadOptions(title=title))
    at = make_app().run()
    at.switch_page("review/ui/pages/library.py").run()
    at.selectbox(key="library_article").set_value(1).run()
    assert at.selectbox(key="library_article").value == 1
    at.file_uploader(key="library_upload").set_value(
        ("third.txt", b"A third article.\n", "text/plain")).run()
    at.button(key="library_import").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="library_article").value == 3


def test_system_names_and_language_codes_stay_literal(make_app, empty_app_db: str) -> None:
    """Images, links and :red[...] rendered from imported names."""
    bench = _bench(empty_app_db)
    data = json.dumps({"mt": "A sentence.", "candidates": {HOSTILE: "Another sentence."}})
    report = bench.imports.import_file(SYSTEM_ACTOR, data.encode(), "a.jsonl", "jsonl")
    with bench.store.write() as session:  # as an older version could have stored them
        session.execute(update(Article).values(source_lang="[zh](http://evil.test)",
                                               target_lang=":red[en]", mt_system=HOSTILE))
    at = make_app().run()
    at.selectbox(key="review_article").set_value(report.articles[0].id).run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    shown = " ".join(captions)
    assert "evil\\.test" in shown  # the names are there ...
    for raw in ("![x](", "[link](", ":red[", "[zh]("):
        assert raw not in shown  # ... but never as markdown
    assert "\\!\\[x\\]\\(http\\:" in shown


def test_importing_the_same_file_again_asks_first(make_app, empty_app_db: str) -> None:
    """Re-imports duplicated articles silently."""
    at = make_app().run()
    at.switch_page("review/ui/pages/library.py").run()
    upload = ("same.txt", b"The same article.\n", "text/plain")
    for _ in range(2):
        at.file_uploader(key="library_upload").set_value(upload).run()
        at.button(key="library_import").click().run()
    assert not at.exception, at.exception
    assert any("same content as article 1" in e.value for e in at.error)
    assert len(_bench(empty_app_db).reading.summaries(SYSTEM_ACTOR)) == 1
    at.checkbox(key="library_again").check().run()
    at.file_uploader(key="library_upload").set_value(upload).run()
    at.button(key="library_import").click().run()
    assert len(_bench(empty_app_db).reading.summaries(SYSTEM_ACTOR)) == 2
