"""QA checks through the store: what a reviewer sees suggested on the Wuzhen article."""

from __future__ import annotations

import pytest

from review.accounts.permissions import SYSTEM_ACTOR as ADMIN
from review.checks import defaults as check_defaults
from review.checks.defaults import defaults
from review.formats.base import ReadOptions
from review.services import Workbench
from tests.factories import import_wuzhen


def suggestions_by_text(bench: Workbench, data: bytes) -> dict[str, list[tuple[str, str]]]:
    article_id = import_wuzhen(bench, ADMIN, data=data)
    out: dict[str, list[tuple[str, str]]] = {}
    for row in bench.reading.article(ADMIN, article_id).rows:
        flags = bench.reading.segment(ADMIN, row.id).flags
        out[row.mt] = [(f.check_name, f.span_text(row.mt)) for f in flags if f.origin == "check"]
    return out


def test_wuzhen_suggestions(bench: Workbench, wuzhen_bytes: bytes) -> None:
    found = suggestions_by_text(bench, wuzhen_bytes)
    title = ("Playing a game of chess together, the Digital Yangtze River Delta Development "
             "Conference was held in Wuzhen, Zhejiang")
    assert found[title] == []
    # the caption glued to "...Development Conference." in the scraped text
    assert ("glued", "Photo") in found["Photo by reporter Ye Binde"]
    tense = next(text for text in found if text.startswith("In 2022, the scale"))
    # the tense check is on: below the base rate on expert data, but not significantly
    assert ("tense", "will") in found[tense]
    # "... will account for 1% of the country's total. The ratios are about 3/5 and 1/3"
    assert ("numbers", "1%") in found[tense]
    for residue in ("Share so more people can see it", "The article is in Chinese",
                    "(Editors: Ye Binde, Wang Liwei)", "Breaking news"):
        assert found[residue] == [("residue", residue)]
    assert any(text.startswith("Tags:") and flags == [("residue", text)]
               for text, flags in found.items())


def test_numbers_contradiction_has_the_calibrated_severity(bench: Workbench,
                                                           wuzhen_bytes: bytes) -> None:
    article_id = bench.imports.import_file(ADMIN, wuzhen_bytes, "w.txt", None,
                                   ReadOptions(target_lang="en")).articles[0].id
    row = next(r for r in bench.reading.article(ADMIN, article_id).rows
               if r.mt.startswith("In 2022, the scale"))
    flag = next(f for f in bench.reading.segment(ADMIN, row.id).flags if f.check_name == "numbers")
    assert flag.span_text(row.mt) == "1%"
    assert flag.severity == defaults()["numbers"]["severity"] == "Major"
    assert flag.category == defaults()["numbers"]["category"]


@pytest.fixture
def every_check_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check_defaults, "defaults", lambda path=None: {})


@pytest.mark.usefixtures("every_check_on")
def test_edit_reruns_checks_and_keeps_decisions(bench: Workbench, wuzhen_bytes: bytes) -> None:
    article_id = bench.imports.import_file(ADMIN, wuzhen_bytes, "w.txt", None,
                                   ReadOptions(target_lang="en")).articles[0].id
    row = next(r for r in bench.reading.article(ADMIN, article_id).rows
               if r.mt.startswith("In 2022, the scale"))
    tense = next(f for f in bench.reading.segment(ADMIN, row.id).flags if f.check_name == "tense")
    bench.flags.set_flag_state(ADMIN, tense.id, "dismissed")
    detail = bench.reading.segment(ADMIN, row.id)
    fixed = row.mt.replace("will account", "accounted").replace(" the 1%", " 1%")
    detail = bench.editing.save_segment(ADMIN, row.id, fixed, detail.row.version)
    checks = [(f.check_name, f.state) for f in detail.flags if f.origin == "check"]
    assert ("tense", "dismissed") in checks  # the reviewer's decision stays
    assert ("tense", "open") not in checks   # and the fixed text raises no new one
