"""The content digest: equal for the same content, different for different annotations."""

from __future__ import annotations

from review.formats.base import DocArticle, DocFlag, DocSegment
from review.services.importing.fingerprint import content_digest


def _doc(title: str = "A", flag_author: str = "rater1") -> DocArticle:
    seg = DocSegment(mt="Playing chess.", source="下棋。", candidates={"B": "Chess."},
                     flags=[DocFlag("Style/Awkward", "Minor", 0, 7, author=flag_author)])
    return DocArticle(title=title, source_lang="zh", segments=[seg])


def test_same_content_same_digest_whatever_the_title() -> None:
    assert content_digest(_doc("A")) == content_digest(_doc("B"))


def test_another_raters_flags_change_the_digest() -> None:
    assert content_digest(_doc(flag_author="rater1")) != content_digest(
        _doc(flag_author="rater2"))
