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
from sqlalchemy.orm import Session

from review import limits
from review.content_digest import ContentDigest
from review.errors import InputError
from review.formats.base import WARNINGS_KEY, DocArticle, DocSegment, duplicate_id_message
from review.formats.originals import Original, compress
from review.import_checks import DuplicateImport, segment_texts, where
from review.langid import SAMPLE_CHARS, guess_language
from review.langtags import normalise_tag
from review.models import Article, Candidate, Flag, OriginalFile, Revision, Segment, utcnow
from review.permissions import Actor
from review.services.base import audit
from review.store import Store
from review.vocab import (
    FLAG_ORIGINS,
    RESIDUE_KINDS,
    SEGMENT_KINDS,
    SEGMENT_STATUSES,
    STAGED_STATUS,
)

BATCH_SEGMENTS = 2_000
"""Segments per write transaction: short enough that reviewers' saves never wait long."""

BATCH_CHARS = 4_000_000
"""...or this many characters of text, whichever comes first (segments may be long)."""

RESIDUE_LISTED = 200
"""Residue segments the import report lists per article (the rest are only counted)."""

SAMPLE_PER_ARTICLE = SAMPLE_CHARS // 10
"""Source characters kept per article to guess its language when no source language is
given: a script shows in a couple of thousand characters, and a file of thousands of short
articles must not keep a sample of each one's whole text."""

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
        self.original: Original | None = None
        """The file read, kept (compressed) with the articles for exports into it."""

    # ------------------------------------------------------------------ streaming in
    def add(self, header: DocArticle, seg: DocSegment) -> None:
        staged = self.articles.get(id(header))
        if staged is None:
            staged = self.articles[id(header)] = StagedArticle(header)
        position = staged.segments + 1
        _validate(seg, position, header, self.what)
        chars = sum(len(t) for t in segment_texts(seg) if t)
        self._segments += 1
        self._chars += chars
        self._pending_chars += chars
        limits.check_import_size(self._segments, self._chars, self.what)
        staged.segments = position
        staged.digest.add(seg)
        if seg.source and not header.source_lang and staged.sample_chars < SAMPLE_PER_ARTICLE:
            staged.sample.append(seg.source)
            staged.sample_chars += len(seg.source)
        if seg.kind in RESIDUE_KINDS:
            staged.counts["residue"] += 1
            if len(staged.residue) < RESIDUE_LISTED:
                staged.residue.append({"position": position, "kind": seg.kind,
                                       "text": seg.mt})
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
            _insert_segments(session, self.actor, pending)
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
        with self.store.read() as session:
            for article in staged:
                _refuse_repeated_ids(session, article, self.what)
            if not again:
                _refuse_imported_before(session, staged, finals)
        with self.store.write() as session:
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
    segment_ids = select(Segment.id).where(Segment.article_id.in_(ids))
    for table in (Flag, Revision, Candidate):
        session.execute(delete(table).where(table.segment_id.in_(segment_ids)))
    session.execute(delete(Segment).where(Segment.article_id.in_(ids)))
    session.execute(delete(Article).where(Article.id.in_(ids)))


def _validate(seg: DocSegment, position: int, header: DocArticle, what: str) -> None:
    if seg.kind not in SEGMENT_KINDS:
        raise InputError(f"{what}, {where(seg, position)}: unknown kind {seg.kind!r}")
    if any("\x00" in text for text in (seg.mt, seg.source, seg.corrected or "")):
        raise InputError(f"{what}, {where(seg, position)} holds a NUL character")
    # NULs in other fields are named by the store's own check (review.validation)
    reason = limits.first_too_long(segment_texts(seg))
    if reason:
        raise InputError(f"{header.origin or header.title or what}, {where(seg, position)}: "
                         f"{reason}; {limits.ADVICE}.")


def _complete_header(article: StagedArticle) -> list[str]:
    """Languages normalised (or guessed from the sources), the reader's warnings taken out."""
    doc = article.header
    doc.source_lang = normalise_tag(doc.source_lang, "source language")
    doc.target_lang = normalise_tag(doc.target_lang, "target language") or "en"
    meta = dict(doc.meta or {})
    notes = [f"{doc.title}: {w}" for w in meta.pop(WARNINGS_KEY, [])]
    doc.meta = meta
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
    found = session.execute(
        select(Article.id, Article.title, Article.created_at, Article.content_digest)
        .where(Article.content_digest.in_(list(by_digest)),
               Article.status != STAGED_STATUS).order_by(Article.id)).first()
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


def _insert_segments(session: Session, actor: Actor,
                     pending: list[tuple[StagedArticle, DocSegment]]) -> None:
    """Segments, their candidates, flags and first revisions, as plain Core inserts."""
    now = utcnow()
    in_batch = Counter(id(s) for s, _ in pending)
    first = {id(s): s.segments - in_batch[id(s)] for s, _ in pending}
    seg_rows = []
    for staged, seg in pending:
        position = first[id(staged)]
        first[id(staged)] += 1
        current = seg.corrected if seg.corrected is not None else seg.mt
        status = seg.status if seg.status in SEGMENT_STATUSES else (
            "fixed" if current != seg.mt else "todo")
        seg_rows.append(dict(
            article_id=staged.id, position=position, paragraph=seg.paragraph, kind=seg.kind,
            source=seg.source, mt=seg.mt, current=current, status=status,
            external_id=seg.external_id, meta=_segment_meta(seg), version=1, updated_at=now,
            updated_by=actor.name))
    # plain executemany (RETURNING would cost one statement per row on SQLite); the ids
    # come back from the (article, position) index, which no other writer can touch here
    session.execute(Segment.__table__.insert(), seg_rows)
    segment_ids = _ids_by_position(session, seg_rows)
    cand_rows = []
    for seg_id, (_, seg) in zip(segment_ids, pending):
        for system, text in seg.candidates.items():
            kind = "reference" if _is_reference(system) else "import"
            cand_rows.append(dict(segment_id=seg_id, system=system, kind=kind, text=text,
                                  meta={}, created_at=now))
        if seg.reference is not None and not any(_is_reference(s) for s in seg.candidates):
            cand_rows.append(dict(segment_id=seg_id, system="reference", kind="reference",
                                  text=seg.reference, meta={}, created_at=now))
    candidate_ids: dict[tuple[int, str], int] = {}
    if cand_rows:
        session.execute(Candidate.__table__.insert(), cand_rows)
        if any(f.target not in ("", "mt") for _, seg in pending for f in seg.flags):
            candidate_ids = {(seg_id, system): cid for cid, seg_id, system in session.execute(
                select(Candidate.id, Candidate.segment_id, Candidate.system)
                .where(Candidate.segment_id.in_(segment_ids)))}
    flag_rows, revision_rows = [], []
    for seg_id, (staged, seg), row in zip(segment_ids, pending, seg_rows):
        for flag in seg.flags:
            candidate_id = None
            if flag.target not in ("", "mt"):
                candidate_id = candidate_ids.get((seg_id, flag.target))
                if candidate_id is None and flag.target != staged.header.mt_system:
                    raise InputError(
                        f"segment {row['position'] + 1}: a flag names system "
                        f"{flag.target!r}, which has no translation in the file")
            flag_rows.append(dict(
                segment_id=seg_id, candidate_id=candidate_id, span_in=flag.span_in,
                start=flag.start, end=flag.end, category=flag.category,
                severity=flag.severity, note=flag.note, author=flag.author or actor.name,
                origin=flag.origin if flag.origin in FLAG_ORIGINS else "import",
                check_name="", state=flag.state or "open", created_at=now, updated_at=now))
        if row["current"] != row["mt"]:
            revision_rows.append(dict(segment_id=seg_id, version=1, text=row["current"],
                                      action="import", author=actor.name, seconds_spent=0.0,
                                      created_at=now))
        staged.counts["segments"] += 1
        staged.counts["candidates"] += len(seg.candidates) + (
            1 if seg.reference is not None and not any(_is_reference(s)
                                                       for s in seg.candidates) else 0)
        staged.counts["flags"] += len(seg.flags)
    if flag_rows:
        session.execute(Flag.__table__.insert(), flag_rows)
    if revision_rows:
        session.execute(Revision.__table__.insert(), revision_rows)


def _ids_by_position(session: Session, seg_rows: list[dict]) -> list[int]:
    """The ids of just-inserted segments, in the order of ``seg_rows``."""
    spans: dict[int, list[int]] = {}
    for row in seg_rows:
        low_high = spans.setdefault(row["article_id"], [row["position"], row["position"]])
        low_high[0] = min(low_high[0], row["position"])
        low_high[1] = max(low_high[1], row["position"])
    ids: dict[tuple[int, int], int] = {}
    for article_id, (low, high) in spans.items():
        for seg_id, position in session.execute(
                select(Segment.id, Segment.position).where(
                    Segment.article_id == article_id, Segment.position.between(low, high))):
            ids[(article_id, position)] = seg_id
    return [ids[(row["article_id"], row["position"])] for row in seg_rows]


def _segment_meta(seg: DocSegment) -> dict:
    meta = dict(seg.meta)
    if seg.notes:
        meta["notes"] = list(seg.notes)
    return meta


def _is_reference(system: str) -> bool:
    lowered = system.lower()
    return lowered == "reference" or lowered.startswith("ref")
