"""An approval covers the text it saw: editing an approved segment asks for approval again."""

from __future__ import annotations

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.formats.base import ReadOptions
from review.services import Workbench


def _first_body(bench: Workbench, wuzhen_bytes: bytes):  # noqa: ANN202 - SegmentRow
    report = bench.imports.import_file(ADMIN, wuzhen_bytes, "wuzhen.en.txt", None,
                               ReadOptions(target_lang="en"))
    return next(r for r in bench.reading.article(ADMIN, report.articles[0].id).rows
                if r.kind == "body")


def test_editing_an_approved_segment_returns_it_to_needs_approval(
        bench: Workbench, wuzhen_bytes: bytes) -> None:
    row = _first_body(bench, wuzhen_bytes)
    approved = bench.editing.set_status(ADMIN, row.id, "approved", row.version).row
    assert approved.status == "approved"
    edited = bench.editing.save_segment(ADMIN, row.id, row.mt + " Changed.", approved.version).row
    assert edited.status == "fixed"
    trail = bench.library.audit_trail(ADMIN, segment_id=row.id)
    reopened = next(e for e in trail if e.action == "unapprove")
    assert "needs approval again" in str(reopened.detail)


def test_saving_the_same_text_keeps_the_approval(bench: Workbench,
                                                 wuzhen_bytes: bytes) -> None:
    row = _first_body(bench, wuzhen_bytes)
    approved = bench.editing.set_status(ADMIN, row.id, "approved", row.version).row
    again = bench.editing.save_segment(ADMIN, row.id, approved.current, approved.version).row
    assert again.status == "approved"
    assert "unapprove" not in [e.action for e in bench.library.audit_trail(ADMIN,
                                                                           segment_id=row.id)]
