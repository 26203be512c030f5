"""Scraped article text -> segments with kinds: the title, body sentences and
residue lines, so reviewers see the translation and residue can be hidden.
"""

from __future__ import annotations

from review.core.errors import InputError
from review.core.vocab import RESIDUE_KINDS
from review.formats.base import DocArticle, DocSegment
from review.lang.markers import detect_language_marker
from review.segment.residue import classify_line
from review.segment.sentences import split_sentences

ONLY_RESIDUE = (
    "{what} contains only web residue (share links, tags, captions); nothing to review. "
    "Check that the file holds the article text."
)


def segment_article(
    text: str,
    *,
    source_lang: str | None = None,
    target_lang: str = "en",
    title: str | None = None,
    what: str = "The text",
) -> DocArticle:
    """Cut a target-language article into kinded segments; see the module docstring.

    The first non-residue line is the title segment. With an explicit ``title`` the first
    line is the title segment only if it says the same thing; otherwise the text is taken to
    have no title line and all of it is body.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paragraphs = [line for line in lines if line]
    if not paragraphs:
        raise InputError(f"{what} is empty; nothing to review.")
    marker = next((code for p in paragraphs if (code := detect_language_marker(p))), None)
    segments: list[DocSegment] = []
    title_seen = False
    for index, paragraph in enumerate(paragraphs):
        kind = classify_line(paragraph)
        if not title_seen and kind == "body":
            title_seen = True
            if (_same_title(title, paragraph) if title is not None
                    else _looks_like_title(paragraph, target_lang)):
                segments.append(DocSegment(mt=paragraph, kind="title", paragraph=index,
                                           meta={"sep": ""}))
                continue
        if kind != "body" and not _caption_after_body(kind, paragraph, target_lang):
            segments.append(DocSegment(mt=paragraph, kind=kind, paragraph=index,
                                       meta={"sep": ""}))
            continue
        for sep, sentence in split_sentences(paragraph, target_lang):
            segments.append(DocSegment(mt=sentence, kind=classify_line(sentence),
                                       paragraph=index, meta={"sep": sep}))
    if all(seg.kind in RESIDUE_KINDS for seg in segments):
        raise InputError(ONLY_RESIDUE.format(what=what))
    for position, seg in enumerate(segments):
        seg.position = position
    heading = title if title is not None else _shorten(next(
        seg.mt for seg in segments if seg.kind not in RESIDUE_KINDS))
    return DocArticle(
        title=heading.strip(),
        source_lang=source_lang or marker or "",
        target_lang=target_lang,
        segments=segments,
    )


TITLE_MAX_CHARS = 300
"""A first line longer than this (or than half of it with several sentences) is body text."""


def _looks_like_title(line: str, lang: str) -> bool:
    """Headlines are one short line; a text without one starts straight with a paragraph."""
    if len(line) > TITLE_MAX_CHARS:
        return False
    return len(line) <= TITLE_MAX_CHARS // 2 or len(split_sentences(line, lang)) == 1


def _shorten(text: str, limit: int = 120) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + "…"


def _caption_after_body(kind: str, paragraph: str, lang: str) -> bool:
    """A caption pattern matched a line that opens with a body sentence: split that line."""
    if kind != "caption":
        return False
    pairs = split_sentences(paragraph, lang)
    return len(pairs) > 1 and classify_line(pairs[0][1]) == "body"


def _same_title(given: str, line: str) -> bool:
    return " ".join(given.split()).casefold() == " ".join(line.split()).casefold()
