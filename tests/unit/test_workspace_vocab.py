"""The workspace's JavaScript holds no copy of the domain's words: severities, categories,
statuses, kinds and the keymap come from Python, so a value added in review/core/vocab.py shows
up in the flag box without touching the component."""

from __future__ import annotations

import re
from pathlib import Path

from review.core import vocab

ASSETS = Path(__file__).resolve().parents[2] / "review" / "ui" / "components" / "workspace"
WORDS = {*vocab.SEVERITIES, *vocab.MQM_CATEGORIES, *vocab.RESIDUE_KINDS, "todo", "flagged",
         "approved", "next segment", "previous segment"}


def string_literals(js: str) -> set[str]:
    return {a or b for a, b in re.findall(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'', js)}


def test_no_domain_word_is_spelled_out_in_the_javascript() -> None:
    found = {}
    for path in sorted(ASSETS.glob("*.js")):
        copies = string_literals(path.read_text(encoding="utf-8")) & WORDS
        if copies:
            found[path.name] = sorted(copies)
    assert found == {}, f"take these from the vocabulary sent by Python: {found}"


def test_the_literal_finder_sees_a_copy() -> None:
    assert "Major" in string_literals('const SEVERITY_KEYS = { M: "Major" };')
