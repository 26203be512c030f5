"""Export in a browser: the download button hands over a file holding the reviewer's edit."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from tests.e2e.harness import Plan
from tests.e2e.helpers import TIMEOUT_MS, Page, expect, open_page, rerun, widget
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


def test_an_unfinished_article_is_named_and_several_go_in_one_zip(
        page: Page, plan: Plan, tmp_path: Path) -> None:
    open_workspace(page)
    open_page(page, "Export")
    expect(page.get_by_role("alert").filter(has_text="Still under review")).to_be_visible(
        timeout=TIMEOUT_MS)
    page.get_by_text("Several articles in one zip").click()
    box = widget(page, "stMultiSelect", "Articles")
    for article_id in (plan.wuzhen_id, plan.hostile_id):
        field = box.locator("input")
        field.scroll_into_view_if_needed()
        field.click()
        field.press_sequentially(str(article_id))
        with rerun(page):
            page.locator("[role=option]").filter(
                has_text=re.compile(rf"^\s*{article_id} · ")).first.click()
        page.keyboard.press("Escape")
    button = page.get_by_role("button", name=re.compile(r"^Download 2-articles-.*\.zip$"))
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    with rerun(page), page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = archive.namelist()
    assert len(names) == len(set(names)) == 2
