"""The Review page's "worst first" order ranks segments by review risk on demand."""

from __future__ import annotations

from review.permissions import SYSTEM_ACTOR
from review.services import Workbench
from review.store import open_store


def test_risk_order_computes_and_sorts(make_app, app_db: str) -> None:
    at = make_app().run()
    bench = Workbench(open_store(app_db))
    article = next(a for a in bench.summaries(SYSTEM_ACTOR) if a.title.startswith("Playing"))
    at.selectbox(key="review_article").set_value(article.id).run()
    at.selectbox(key="review_order").set_value("Risk (worst first)").run()
    assert not at.exception, at.exception
    rows = bench.article(SYSTEM_ACTOR, article.id).rows
    risks = [r.risk for r in rows if r.kind in ("title", "body")]
    assert all(r is not None for r in risks)
    ordered = at.selectbox(key="review_segment").options
    worst = max(rows, key=lambda r: (r.risk or 0.0, -r.position))
    assert worst.kind in ("title", "body")
    assert ordered[0].startswith(f"{worst.position + 1} ·")
    # residue and captions come after every title and body segment
    kind_at = {f"{r.position + 1} ·": r.kind for r in rows}
    kinds = [kind_at[next(k for k in kind_at if o.startswith(k))] for o in ordered]
    content = [i for i, k in enumerate(kinds) if k in ("title", "body")]
    assert content == list(range(len(content)))
    # no retranslation yet: the page says what the order rests on
    assert any("ranked by: checks, length" in c.value for c in at.caption)
