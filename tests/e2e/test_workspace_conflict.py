"""Two reviewers in two browsers on one segment: nobody's save lands on a text they never saw."""

from __future__ import annotations

from review.accounts.permissions import SYSTEM_ACTOR
from tests.e2e.conftest import new_page
from tests.e2e.harness import Plan, Server, Watch
from tests.e2e.helpers import TIMEOUT_MS, expect
from tests.e2e.workspace_flows import (
    card,
    editor,
    go_to,
    message,
    open_workspace,
    settle,
    stored,
    workbench,
)


def test_take_theirs_then_edit_keeps_both_versions_in_order(
        browser, app_server: Server, plan: Plan) -> None:  # noqa: ANN001
    seg = plan.at(26)
    watch_a, watch_b = Watch(), Watch()
    context_a, anna = new_page(browser, app_server, watch_a)
    context_b, ben = new_page(browser, app_server, watch_b)
    try:
        for page in (anna, ben):
            open_workspace(page)
            go_to(page, seg)
            page.keyboard.press("Enter")
        editor(anna).fill("Anna's version of the sentence.")
        editor(ben).fill("Ben's version of the sentence.")
        anna.keyboard.press("Control+Enter")
        settle(anna)
        expect(message(anna)).to_have_text(f"Saved segment {seg.number}.")

        ben.keyboard.press("Control+Enter")
        settle(ben)
        dialog = ben.get_by_role("alertdialog", name="Save conflict")
        expect(dialog).to_be_visible(timeout=TIMEOUT_MS)
        expect(dialog.locator(".rw-theirs")).to_contain_text("Anna's version of the sentence.")
        expect(dialog.locator(".rw-mine")).to_contain_text("Ben's version of the sentence.")
        assert stored(app_server, seg.segment_id).row.current == "Anna's version of the sentence."

        dialog.get_by_role("button", name="Put their text in the editor").click()
        expect(editor(ben)).to_have_value("Anna's version of the sentence.")
        editor(ben).fill("Anna's version of the sentence, checked by Ben.")
        ben.keyboard.press("Control+Enter")
        settle(ben)
        expect(message(ben)).to_have_text(f"Saved segment {seg.number}.")
        expect(card(ben, seg).locator(".rw-line-fix .rw-text, .rw-text[data-field=corrected]")
               ).to_contain_text("checked by Ben")

        history = [r.text for r in stored(app_server, seg.segment_id).revisions]
        assert history[:2] == ["Anna's version of the sentence, checked by Ben.",
                               "Anna's version of the sentence."]
        assert "Ben's version of the sentence." not in history
        bench = workbench(app_server)
        try:
            actions = [e.action for e in bench.library.audit_trail(SYSTEM_ACTOR,
                                                           segment_id=seg.segment_id)]
        finally:
            bench.store.dispose()
        assert actions[:4] == ["edit", "conflict_resolved", "conflict", "edit"]
        assert not watch_a.dialogs and not watch_b.dialogs
    finally:
        context_a.close()
        context_b.close()
