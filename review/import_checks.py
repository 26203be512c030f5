"""Checks on documents about to be imported, shared by every format and entry point.

Each reader names the line of a problem where it can; this is the last gate before the
store, for what a reader could not know: segment lengths in any text of a segment, language
tags from the file, the source language when nothing gave it, and the content digest that
recognises a file imported before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from review import limits
from review.content_digest import content_digest
from review.errors import InputError
from review.formats.base import WARNINGS_KEY, DocArticle, DocSegment
from review.langid import guess_language
from review.langtags import normalise_tag
from review.models import Article


@dataclass
class Prepared:
    """What the gate learnt about one document: its digest and any assumption made."""

    digest: str
    notes: list[str] = field(default_factory=list)


def segment_texts(seg: DocSegment) -> list[str | None]:
    return [seg.source, seg.mt, seg.corrected, seg.reference, *seg.candidates.values()]


def where(seg: DocSegment, position: int) -> str:
    """How a message names a segment: its line when the reader recorded one."""
    line = seg.meta.get("line") if isinstance(seg.meta, dict) else None
    label = f"line {line}" if line else f"segment {position}"
    return f"{label} (id {seg.external_id})" if seg.external_id and not line else label


def check_sizes(docs: list[DocArticle]) -> None:
    """The whole import within ``MAX_IMPORT_SEGMENTS`` and ``MAX_IMPORT_CHARS``."""
    segments = sum(len(doc.segments) for doc in docs)
    chars = sum(len(text) for doc in docs for seg in doc.segments
                for text in segment_texts(seg) if text)
    what = (docs[0].origin or docs[0].title or "the file") if docs else "the file"
    limits.check_import_size(segments, chars, what)


def check_lengths(doc: DocArticle) -> None:
    for position, seg in enumerate(doc.segments, start=1):
        reason = limits.first_too_long(segment_texts(seg))
        if reason:
            raise InputError(f"{doc.origin or doc.title or 'the file'}, {where(seg, position)}: "
                             f"{reason}; {limits.ADVICE}.")


def prepare(doc: DocArticle) -> Prepared:
    """Validate and complete ``doc`` in place; the digest and notes for the import report."""
    check_lengths(doc)
    doc.source_lang = normalise_tag(doc.source_lang, "source language")
    doc.target_lang = normalise_tag(doc.target_lang, "target language") or "en"
    meta = dict(doc.meta or {})
    notes = [f"{doc.title}: {w}" for w in meta.pop(WARNINGS_KEY, [])]
    doc.meta = meta
    if not doc.source_lang:
        guess = guess_language(seg.source for seg in doc.segments if seg.source)
        if guess is not None:
            doc.source_lang = guess.code
            doc.meta = {**(doc.meta or {}), "source_lang_assumed": guess.explain()}
            notes.append(f"{doc.title}: source language {guess.explain()}; pass "
                         "--source-lang to set another")
    return Prepared(content_digest(doc), notes)


class DuplicateImport(InputError):
    """The file's content is already stored; importing it again needs saying so."""


def refuse_duplicates(session: Session, articles: list[DocArticle],
                      gates: list[Prepared]) -> None:
    """Refuse documents whose content digest matches an article already stored."""
    by_digest = {gate.digest: doc for doc, gate in zip(articles, gates)}
    found = session.execute(
        select(Article.id, Article.title, Article.created_at, Article.content_digest)
        .where(Article.content_digest.in_(list(by_digest))).order_by(Article.id)).first()
    if found is None:
        return
    article_id, title, created_at, digest = found
    doc = by_digest[digest]
    raise DuplicateImport(
        f"{doc.title!r} has the same content as article {article_id} ({title!r}, imported "
        f"{created_at:%Y-%m-%d %H:%M}); nothing was imported. Import it again with --again "
        "(on the Library page: tick 'Import again anyway') to keep a second copy.")
