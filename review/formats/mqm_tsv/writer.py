"""The rows an export writes for one segment: every counted flag, or a
``No-error`` row by the last editor for a finished segment without flags.
"""

from __future__ import annotations

from collections.abc import Iterator

from review.core.vocab import NO_ERROR
from review.formats.base import DocArticle, DocSegment
from review.formats.mqm_tsv.spans import _BREAKS, mark


def _export_rows(article: DocArticle, segment: DocSegment) -> Iterator[tuple[str, ...]]:
    """``(system, rater, source, target, category, severity, comment)`` per exported flag."""
    default_system = article.mt_system or "MT"
    wrote = False
    for flag in segment.flags:
        if flag.state == "dismissed" or (flag.origin == "check" and flag.state != "confirmed"):
            continue
        system = default_system if flag.target == "mt" else flag.target
        text = _system_text(article, segment, flag.target)
        source, target = segment.source, text
        if flag.span_in == "source":
            source = mark(source, flag.start, flag.end)
        elif flag.span_in == "target":
            target = mark(target, flag.start, flag.end)
        # a span in the reviewer's corrected text has no place in the MT: left unmarked
        wrote = True
        yield (system, flag.author, source, target, flag.category, flag.severity, flag.note)
    if not wrote and segment.status in ("fixed", "approved"):
        yield (default_system, segment.changed_by or "reviewer", segment.source, segment.mt,
               NO_ERROR, NO_ERROR, "")


def _system_text(article: DocArticle, segment: DocSegment, target: str) -> str:
    if target == "mt":
        return segment.mt
    if target in segment.candidates:
        return segment.candidates[target]
    return segment.mt if target == article.mt_system else ""


def _clean(text: str) -> str:
    return (text or "").translate(_BREAKS)
