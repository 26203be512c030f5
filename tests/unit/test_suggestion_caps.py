"""Automatic suggestions are capped per check and per segment."""

from __future__ import annotations

from collections import Counter

from review.accounts.permissions import SYSTEM_ACTOR
from review.checks.caps import PER_CHECK, PER_SEGMENT
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench


def test_a_line_of_doubled_words_makes_a_bounded_number_of_suggestions(
        bench: Workbench) -> None:
    """Doubled words made 524,288 flags on one 5 MB line."""
    doubled = " ".join(["the the", "is is", "a a"] * 150)
    messy = "  ".join(["word ,word"] * 200)
    doc = DocArticle(title="Doubled", segments=[DocSegment(mt=doubled), DocSegment(mt=messy)])
    report = bench.imports.import_articles(SYSTEM_ACTOR, [doc])
    assert report.suggested_flags <= 2 * PER_SEGMENT
    article = bench.reading.article(SYSTEM_ACTOR, report.articles[0].id)
    for row in article.rows:
        flags = bench.reading.segment(SYSTEM_ACTOR, row.id).flags
        by_check = Counter(f.check_name for f in flags if f.origin == "check")
        assert sum(by_check.values()) <= PER_SEGMENT
        assert all(n <= PER_CHECK for n in by_check.values()), by_check
    first = bench.reading.segment(SYSTEM_ACTOR, article.rows[0].id).flags
    assert Counter(f.check_name for f in first)["doubled_words"] == PER_CHECK
