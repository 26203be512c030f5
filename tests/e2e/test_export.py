"""Export in a browser: the download button hands over a file holding the reviewer's edit."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import Plan
from tests.e2e.helpers import TIMEOUT_MS, Page, expect, open_page, rerun
from tests.e2e.workspace_flows import open_workspace, save_text

TEXT_FORMAT = "Text (.txt): a plain article, paragraphs kept (the corrected text on export)"


def test_export_downloads_the_edit(page: Page, plan: Plan, tmp_path: Path) -> None:
    seg = plan.segments["export"]
    open_workspace(page)
    edited = f"{seg.text} Exported after review."
    save_text(page, seg, edited)

    open_page(page, "Export")
    fmt = page.get_by_role("radio", name=TEXT_FORMAT, exact=True)
    if not fmt.is_checked():
        with rerun(page):
            page.locator("[data-testid=stRadio] label").filter(has_text=TEXT_FORMAT).click()
    expect(fmt).to_be_checked()
    expect(page.locator("[data-testid=stCode]")).to_contain_text("Exported after review.",
                                                                  timeout=TIMEOUT_MS)
    button = page.get_by_role("button", name="Download ")
    name = button.inner_text().strip().removeprefix("Download ")
    with rerun(page), page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == name
    assert name.endswith(".txt")
    saved = tmp_path / name
    download.save_as(saved)
    content = saved.read_text(encoding="utf-8")
    assert edited in content
    assert seg.text + "\n" not in content  # the uncorrected sentence is gone


def test_an_unfinished_article_is_named_before_it_is_exported(page: Page, plan: Plan) -> None:
    open_workspace(page)
    open_page(page, "Export")
    expect(page.get_by_role("alert").filter(has_text="Still under review")).to_be_visible(
        timeout=TIMEOUT_MS)
    with rerun(page):
        page.locator("[data-testid=stCheckbox] label").filter(
            has_text="Approved segments only").click()
    expect(page.get_by_role("checkbox", name="Approved segments only")).to_be_checked()
    expect(page.get_by_role("alert").filter(has_text="Still under review")).to_have_count(
        0, timeout=TIMEOUT_MS)
    expect(page.get_by_text("Several articles in one zip")).to_be_visible()
