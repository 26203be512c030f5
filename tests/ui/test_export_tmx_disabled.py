"""The Export page switches TMX off, with the reason, for an article without source."""

from __future__ import annotations

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import open_store
from review.services import Workbench


def test_tmx_is_disabled_for_a_sourceless_article(make_app, app_db: str) -> None:
    """In the UI, disable TMX for such articles and say why."""
    at = make_app().run()
    bench = Workbench(open_store(app_db))
    article = next(a for a in bench.reading.summaries(SYSTEM_ACTOR)
                   if a.title.startswith("Playing"))
    at.switch_page("review/ui/pages/export.py").run()
    at.selectbox(key="export_article").set_value(article.id).run()
    at.radio(key="export_format").set_value("tmx").run()
    assert not at.exception, at.exception
    assert not at.error
    assert any("no source text" in i.value for i in at.info)
    [button] = [b for b in at.get("download_button") if b.key == "export_download"]
    assert button.proto.disabled
