"""Presence on the Review page: the segment's details say who else has it open."""

from __future__ import annotations

from review.accounts.permissions import SYSTEM_ACTOR
from tests.ui.workspace_app import body_rows, open_wuzhen, send


def test_details_say_who_else_is_editing(make_app, app_db: str) -> None:  # noqa: ANN001
    at, bench, article_id = open_wuzhen(make_app, app_db)
    row = body_rows(bench, article_id)[0]
    send(at, {"type": "details", "segment_id": row.id})
    assert not [i for i in at.info if "editing this segment" in i.value]
    bench.team.heartbeat(SYSTEM_ACTOR, row.id)  # somebody else opens it
    send(at, {"type": "details", "segment_id": row.id})
    assert any("pipeline is editing this segment too." in i.value for i in at.info)
