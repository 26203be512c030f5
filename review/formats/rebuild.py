"""Segments -> text again: a paragraph exactly as it was (or with the corrections),
and a whole article with or without its residue, for exports.
"""

from __future__ import annotations

from collections.abc import Iterable

from review.core.vocab import RESIDUE_KINDS
from review.formats.base import DocArticle, DocSegment
from review.segment.sentences import CJK_CHAR


def segment_text(seg: DocSegment, *, use_corrected: bool = True) -> str:
    """The text a segment stands for now: the correction when there is one."""
    if use_corrected and seg.corrected is not None:
        return seg.corrected
    return seg.mt


def _default_sep(before: str, after: str) -> str:
    if not before or not after:
        return ""
    if CJK_CHAR.match(before[-1]) or before[-1] in "。！？｡．”」』）" or CJK_CHAR.match(after[0]):
        return ""
    return " "


def join_paragraph(segments: Iterable[DocSegment], *, use_corrected: bool = True) -> str:
    """One paragraph's text from its segments, using each one's recorded separator.

    Segments from formats that record no separator are joined with a space, or with nothing
    between CJK sentences.
    """
    out = ""
    for seg in segments:
        text = segment_text(seg, use_corrected=use_corrected)
        sep = seg.meta.get("sep") if seg.meta else None
        if not isinstance(sep, str):
            sep = _default_sep(out, text)
        out += (sep if out else "") + text
    return out


def paragraphs_of(segments: Iterable[DocSegment]) -> list[list[DocSegment]]:
    """Consecutive runs of segments sharing a paragraph number."""
    groups: list[list[DocSegment]] = []
    for seg in segments:
        if groups and groups[-1][-1].paragraph == seg.paragraph:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    return groups


def rebuild_text(article: DocArticle, *, include_residue: bool = True,
                 use_corrected: bool = True) -> str:
    """The article as plain text: paragraphs separated by a blank line, ending in a newline."""
    kept = [seg for seg in article.segments
            if include_residue or seg.kind not in RESIDUE_KINDS]
    paragraphs = [join_paragraph(group, use_corrected=use_corrected)
                  for group in paragraphs_of(kept)]
    paragraphs = [p for p in paragraphs if p.strip()]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""
