"""A fingerprint of an imported article's content, to notice the same file imported twice.

Importing a file again used to create a second copy of every article, which double-counts
raters on the dashboard. The digest covers what the article says (languages, every
segment's texts, candidates and flags), not its title or file name, so a renamed copy is
still recognised while a second rater's annotations of the same texts are not mistaken
for it. It is built segment by segment, because imports stream and learn an article's
languages only at its end.
"""

from __future__ import annotations

import hashlib

from review.formats.base import DocArticle, DocSegment

_SEP = "\x1f"


class ContentDigest:
    """SHA-256 over the segments as they come, finished with the article's languages."""

    def __init__(self) -> None:
        self._segments = hashlib.sha256()

    def add(self, seg: DocSegment) -> None:
        # fields joined by separators no text holds after the readers' checks; repr() only
        # for the rare parts that are not plain strings
        parts = [seg.kind, seg.source, seg.mt, _opt(seg.corrected), _opt(seg.reference)]
        if seg.candidates:
            parts.append("c" + repr(sorted(seg.candidates.items())))
        if seg.flags:
            parts.append("f" + repr(sorted(
                (f.target, f.category, f.severity, f.start if f.start is not None else -1,
                 f.end if f.end is not None else -1, f.author, f.note) for f in seg.flags)))
        self._segments.update(_SEP.join(parts).encode("utf-8", "replace"))
        self._segments.update(b"\x1e")

    def hexdigest(self, source_lang: str, target_lang: str) -> str:
        whole = hashlib.sha256(f"{source_lang}{_SEP}{target_lang}\n".encode())
        whole.update(self._segments.hexdigest().encode())
        return whole.hexdigest()


def _opt(text: str | None) -> str:
    return "\x00" if text is None else text  # None and "" differ; no stored text holds NUL


def content_digest(doc: DocArticle) -> str:
    """The digest of an article held in memory."""
    digest = ContentDigest()
    for seg in doc.segments:
        digest.add(seg)
    return digest.hexdigest(doc.source_lang, doc.target_lang)
