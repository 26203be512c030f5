"""A fingerprint of an imported article's content, to notice the same file imported twice.

Importing a file again used to create a second copy of every article, which double-counts
raters on the dashboard. The digest covers what the article says (languages, every
segment's texts, candidates and flags), not its title or file name, so a renamed copy is
still recognised while a second rater's annotations of the same texts are not mistaken
for it.
"""

from __future__ import annotations

import hashlib
import json

from review.formats.base import DocArticle

_SEP = "\x1f"


def content_digest(doc: DocArticle) -> str:
    """SHA-256 (hex) of the article's languages and segments."""
    digest = hashlib.sha256()
    digest.update(f"{doc.source_lang}{_SEP}{doc.target_lang}\n".encode())
    for seg in doc.segments:
        flags = sorted((f.target, f.category, f.severity, f.start if f.start is not None else -1,
                        f.end if f.end is not None else -1, f.author, f.note)
                       for f in seg.flags)
        record = [seg.kind, seg.source, seg.mt, seg.corrected, seg.reference,
                  sorted(seg.candidates.items()), flags]
        digest.update(json.dumps(record, ensure_ascii=False, default=str).encode("utf-8",
                                                                                  "replace"))
        digest.update(b"\n")
    return digest.hexdigest()
