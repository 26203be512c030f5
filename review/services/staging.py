"""Writing a stream of segments into the store in batches, hidden until the end.

An import is all or nothing, but holding a million-segment file in memory (or in one long
write transaction that blocks every reviewer's save) is not an option. So the importer
writes each batch of segments in its own short transaction under articles whose status is
``STAGED_STATUS``: every page, dashboard and list leaves such articles out. When the stream
ends and every whole-file rule holds (ids unique, content not imported before), one short
transaction completes the articles' headers and makes them visible. On any error the staged
rows are deleted; rows a killed process left behind are deleted by the next import.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from review.accounts.permissions import Actor
from review.core import limits
from review.core.errors import InputError
from review.core.vocab import (
    RESIDUE_KINDS,
    SEGMENT_KINDS,
    STAGED_STATUS,
)
from review.db.batching import chunks, in_batches
from review.db.models import Article, Candidate, Flag, OriginalFile, Revision, Segment, utcnow
from review.db.store import Store
from review.formats.base import WARNINGS_KEY, DocArticle, DocSegment, duplicate_id_message
from review.formats.originals import Original, compress
from review.formats.spancheck import first_bad_span
from review.lang.detect import SAMPLE_CHARS, guess_language
from review.lang.tags import normalise_tag
from review.services.base import audit
from review.services.importing.fingerprint import ContentDigest
from review.services.importing.segment_names import DuplicateImport, segment_texts, where
from review.services.staged_rows import insert_segments

BATCH_SEGMENTS = 2_000
"""Segments per write transaction: short enough that reviewers' saves never wait long."""

BATCH_CHARS = 4_000_000
"""...or this many characters of text, whichever comes first (segments may be long)."""

RESIDUE_LISTED = 200
"""Residue segments the import report lists per article (the rest are only counted)."""

RESIDUE_TOTAL = 1_000
"""...and the whole import's report at most this many (a file may hold 10,000 articles)."""

RESIDUE_TEXT_CHARS = 200
"""Characters of a residue segment's text its line in the report shows."""

NOTES_LISTED = 100
"""Notes the import report lists (one per article, for a language guessed, at most)."""

SAMPLE_PER_ARTICLE = SAMPLE_CHARS // 10
"""Source characters kept per article to guess its language when no source language is
given: a script shows in a couple of thousand characters, and a file of thousands of short
articles must not keep a sample of each one's whole text."""

PUBLISH_LOCK = 727275
"""PostgreSQL advisory lock held while an import checks its content and publishes."""

STALE_AFTER = timedelta(hours=1)
"""A staged article not written to for this long belongs to an import that died."""


@dataclass
class StagedArticle:
    """What the importer keeps per article while its segments stream past."""

    header: DocArticle
    id: int | None = None
    segments: int = 0
    digest: ContentDigest = field(default_factory=ContentDigest)
    sample: list[str] = field(default_factory=list)
    sample_chars: int = 0
    residue: list[dict] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    dropped: int = 0
    """Metadata values past the limits (``review.core.limits``) left out of this article."""
    dropped_first: str = ""


class StagedImport:
    """Feed it ``add(header, segment)``; then ``finish()`` or, on failure, ``discard()``."""

    def __init__(self, store: Store, actor: Actor, batch: str, what: str) -> None:
        self.store = store
        self.actor = actor
        self.batch = batch
        self.what = what
        self.articles: dict[int, StagedArticle] = {}
        self._pending: list[tuple[StagedArticle, DocSegment]] = []
        self._pending_chars = 0
        self._segments = 0
        self._chars = 0
        self._residue_listed = 0
        self.original: Original | None = None
        """The file read, kept (compressed) with the articles for exports into it."""

    # ------------------------------------------------------------------ streaming in
    def add(self, header: DocArticle, seg: DocSegment) -> None:
        staged = self.articles.get(id(header))
        if staged is None:
            limits.check_article_count(len(self.articles) + 1, self.what)
            staged = self.articles[id(header)] = StagedArticle(header)
        position = staged.segments + 1
        _validate(seg, position, header, self.what)
        chars = sum(len(t) for t in segment_texts(seg) if t) + _bound_extras(seg, staged,
                                                                            position)
        self._segments += 1
        self._chars += chars
        self._pending_chars += chars
        limits.check_import_size(self._segments, self._chars, self.what)
        staged.segments = position
        staged.digest.add(seg)
        if seg.source and not header.source_lang and staged.sample_chars < SAMPLE_PER_ARTICLE:
            taken = seg.source[:SAMPLE_PER_ARTICLE - staged.sample_chars]  # not the whole text
            staged.sample.append(taken)
            staged.sample_chars += len(taken)
        if seg.kind in RESIDUE_KINDS:
            staged.counts["residue"] += 1
            if len(staged.residue) < RESIDUE_LISTED and self._residue_listed < RESIDUE_TOTAL:
                self._residue_listed += 1
                staged.residue.append({"position": position, "kind": seg.kind,
                                       "text": seg.mt[:RESIDUE_TEXT_CHARS]})
        self._pending.append((staged, seg))
        if len(self._pending) >= BATCH_SEGMENTS or self._pending_chars >= BATCH_CHARS:
            self.flush()

    def flush(self) -> None:
        """Write the pending segments in one short transaction."""
        if not self._pending:
            return
        pending, self._pending, self._pending_chars = self._pending, [], 0
        with self.store.write() as session:
            for staged in {id(s): s for s, _ in pending}.values():
                if staged.id is None:
                    staged.id = _new_staged_article(session, self.actor, staged.header,
                                                    self.batch)
            insert_segments(session, self.actor, pending)
            # still alive; by batch, not by a list of ids: a statement whose text grows with
            # the articles would be prepared anew (and cached natively) at every flush
            session.execute(update(Article).where(Article.batch == self.batch,
                                                  Article.status == STAGED_STATUS)
                            .values(created_at=utcnow()))

    @property
    def segment_count(self) -> int:
        return self._segments

    @property
    def char_count(self) -> int:
        return self._chars

    # ------------------------------------------------------------------ ending
    def finish(self, *, again: bool) -> tuple[list[StagedArticle], list[str]]:
        """Check the whole-file rules, then make the articles visible. Returns them in
        order of first appearance, and the notes for the import report."""
        self.flush()
        staged = list(self.articles.values())
        notes: list[str] = []
        finals = []
        for article in staged:
            notes += _complete_header(article)
            finals.append(article.digest.hexdigest(article.header.source_lang,
                                                   article.header.target_lang))
        if len(notes) > NOTES_LISTED:  # one per article at most, but articles are many
            notes = notes[:NOTES_LISTED] + [f"... and {len(notes) - NOTES_LISTED:,} more "
                                            "notes like these"]
        with self.store.read() as session:
            for article in staged:
                _refuse_repeated_ids(session, article, self.what)
        with self.store.write() as session:
            # checked inside the write that publishes: two imports of one file at once
            # must not both find nothing (SQLite's writers queue at BEGIN IMMEDIATE; on
            # PostgreSQL the publishing imports queue on one advisory lock)
            if not self.store.is_sqlite:
                session.execute(sql_text("SELECT pg_advisory_xact_lock(:key)"),
                                {"key": PUBLISH_LOCK})
            if not again:
                _refuse_imported_before(session, staged, finals)
            for article, digest in zip(staged, finals):
                head = article.header
                session.execute(update(Article).where(Article.id == article.id).values(
                    title=head.title.strip() or "Untitled", source_lang=head.source_lang,
                    target_lang=head.target_lang or "en", origin=head.origin,
                    publisher=head.publisher, mt_system=head.mt_system, meta=head.meta,
                    content_digest=digest, status="new", created_at=utcnow()))
                audit(session, self.actor, "import", article_id=article.id,
                      title=head.title.strip() or "Untitled",
                      segments=article.counts["segments"], batch=self.batch)
            if self.original is not None:
                session.add(OriginalFile(
                    batch=self.batch, name=self.original.name, kind=self.original.kind,
                    size=len(self.original.data), data=compress(self.original.data)))
        return staged, notes

    def discard(self) -> None:
        """Delete everything this import staged."""
        self._pending, self._pending_chars = [], 0
        ids = [s.id for s in self.articles.values() if s.id is not None]
        if ids:
            with self.store.write() as session:
                _delete_articles(session, ids)


def discard_stale_stages(store: Store, older_than: timedelta = STALE_AFTER) -> int:
    """Delete the staged articles of imports that died; how many there were."""
    cutoff = utcnow() - older_than
    with store.write() as session:
        ids = list(session.scalars(select(Article.id).where(
            Article.status == STAGED_STATUS, Article.created_at < cutoff)))
        if ids:
            _delete_articles(session, ids)
        session.execute(delete(OriginalFile).where(  # the originals of deleted articles
            OriginalFile.batch.not_in(select(Article.batch))))
    return len(ids)


def _delete_articles(session: Session, ids: list[int]) -> None:
    for batch in chunks(ids):
        segment_ids = select(Segment.id).where(Segment.article_id.in_(batch))
        for table in (Flag, Revision, Candidate):
            session.execute(delete(table).where(table.segment_id.in_(segment_ids)))
        session.execute(delete(Segment).where(Segment.article_id.in_(batch)))
        session.execute(delete(Article).where(Article.id.in_(batch)))


def _validate(seg: DocSegment, position: int, header: DocArticle, what: str) -> None:
    if seg.kind not in SEGMENT_KINDS:
        raise InputError(f"{what}, {where(seg, position)}: unknown kind {seg.kind!r}")
    if any("\x00" in text for text in (seg.mt, seg.source, seg.corrected or "")):
        raise InputError(f"{what}, {where(seg, position)} holds a NUL character")
    # NULs in other fields are named by the store's own check (review.db.validation)
    reason = limits.first_too_long(segment_texts(seg))
    if reason:
        raise InputError(f"{header.origin or header.title or what}, {where(seg, position)}: "
                         f"{reason}; {limits.ADVICE}.")
    bad_span = first_bad_span(seg, header.mt_system)
    if bad_span:
        raise InputError(f"{header.origin or header.title or what}, {where(seg, position)}: "
                         f"{bad_span}.")


def _bound_extras(seg: DocSegment, staged: StagedArticle, position: int) -> int:
    """Keep a segment's metadata, notes and flag notes within ``review.core.limits``, dropping
    what is past them (counted for the report); returns the characters kept."""
    named = sum(map(len, seg.candidates)) + len(seg.external_id)
    if not seg.meta and not seg.notes and not seg.flags:  # most segments: nothing to bound
        return named
    dropped: list[str] = []
    for flag in seg.flags:
        if len(flag.note) > limits.MAX_META_VALUE_CHARS:
            flag.note = ""
            dropped.append("a flag's note")
    notes = [note for note in seg.notes if len(note) <= limits.MAX_META_VALUE_CHARS]
    dropped += ["a note"] * (len(seg.notes) - len(notes))
    size = sum(len(note) for note in notes)
    while notes and size > limits.MAX_SEGMENT_META_CHARS:
        size -= len(notes.pop())
        dropped.append("a note")
    seg.notes = notes
    seg.meta, lost, meta_size = limits.bound_meta(seg.meta or {},
                                                  limits.MAX_SEGMENT_META_CHARS - size)
    dropped += lost
    if dropped:
        staged.dropped += len(dropped)
        staged.dropped_first = staged.dropped_first or f"{dropped[0]} at {where(seg, position)}"
    return size + meta_size + sum(len(f.note) + len(f.category) for f in seg.flags) + named


def _complete_header(article: StagedArticle) -> list[str]:
    """Languages normalised (or guessed from the sources), the reader's warnings taken out."""
    doc = article.header
    doc.source_lang = normalise_tag(doc.source_lang, "source language")
    doc.target_lang = normalise_tag(doc.target_lang, "target language") or "en"
    meta = dict(doc.meta or {})
    notes = [f"{doc.title}: {w}" for w in meta.pop(WARNINGS_KEY, [])]
    doc.meta, dropped, _ = limits.bound_meta(meta, limits.MAX_ARTICLE_META_CHARS)
    if dropped:
        notes.append(f"{doc.title}: the article's metadata {', '.join(dropped[:5])} "
                     f"({len(dropped):,} value(s)) went past the "
                     f"{limits.MAX_ARTICLE_META_CHARS:,}-character limit and was dropped")
    if article.dropped:
        notes.append(f"{doc.title}: {article.dropped:,} metadata value(s) of segments were "
                     f"too big to keep and were dropped (a value may hold "
                     f"{limits.MAX_META_VALUE_CHARS:,} characters, a segment's metadata "
                     f"{limits.MAX_SEGMENT_META_CHARS:,}); the first: {article.dropped_first}")
    if not doc.source_lang:
        guess = guess_language(article.sample)
        if guess is not None:
            doc.source_lang = guess.code
            doc.meta = {**doc.meta, "source_lang_assumed": guess.explain()}
            notes.append(f"{doc.title}: source language {guess.explain()}; pass "
                         "--source-lang to set another")
    article.sample = []
    return notes


def _refuse_repeated_ids(session: Session, article: StagedArticle, what: str) -> None:
    row = session.execute(
        select(Segment.external_id, func.min(Segment.position), func.max(Segment.position))
        .where(Segment.article_id == article.id, Segment.external_id != "")
        .group_by(Segment.external_id).having(func.count() > 1)
        .order_by(func.min(Segment.position)).limit(1)).first()
    if row is not None:
        external_id, first, last = row
        raise InputError(duplicate_id_message(article.header.origin or what, external_id,
                                              first + 1, last + 1))


def _refuse_imported_before(session: Session, staged: list[StagedArticle],
                            digests: list[str]) -> None:
    by_digest = {digest: article for article, digest in zip(staged, digests)}
    found = min(in_batches(session, lambda batch: select(
        Article.id, Article.title, Article.created_at, Article.content_digest)
        .where(Article.content_digest.in_(batch), Article.status != STAGED_STATUS)
        .order_by(Article.id).limit(1), list(by_digest)), default=None)
    if found is None:
        return
    article_id, title, created_at, digest = found
    doc = by_digest[digest].header
    raise DuplicateImport(
        f"{doc.title!r} has the same content as article {article_id} ({title!r}, imported "
        f"{created_at:%Y-%m-%d %H:%M}); nothing was imported. Import it again with --again "
        "(on the Library page: tick 'Import again anyway') to keep a second copy.")


def _new_staged_article(session: Session, actor: Actor, doc: DocArticle, batch: str) -> int:
    article = Article(title=doc.title.strip() or "Untitled", source_lang="", target_lang="",
                      origin=doc.origin, publisher=doc.publisher, mt_system=doc.mt_system,
                      batch=batch, meta={}, created_by=actor.name, content_digest="",
                      status=STAGED_STATUS)
    session.add(article)
    session.flush()
    return article.id
