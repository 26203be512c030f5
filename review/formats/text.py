"""Plain text: one scraped article in, the corrected article out.

Import decodes whatever encoding the file arrived in and segments it (``review.segment``);
export writes UTF-8 with the title, a blank line, then the paragraphs, each rebuilt from its
sentences with the separators recorded at import, so an unedited article comes back as its
body text. Several articles in one export are separated by two blank lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from review.core import limits
from review.core.errors import InputError
from review.formats.base import (
    MAX_IMPORT_BYTES,
    DocArticle,
    ReadOptions,
    SegmentStream,
    WriteOptions,
    collect,
)
from review.formats.encoding import check_size, decode_text
from review.formats.rebuild import rebuild_text
from review.formats.scraped import segment_article


class TextFormat:
    """The ``text`` format (``.txt``)."""

    name = "text"
    label = "Text"
    description = "a plain article, paragraphs kept (the corrected text on export)"
    extensions: tuple[str, ...] = (".txt",)
    can_read = True
    can_write = True
    mime = "text/plain"

    def stream(self, stream: BinaryIO, options: ReadOptions) -> SegmentStream:
        """The article's segments one by one (see ``SegmentStream``).

        Sentence splitting and title detection need the whole text, so the file (at most
        ``MAX_IMPORT_BYTES``) is read and segmented in memory first; the pairs then hand the
        segments over one at a time, with the article as a header without segments.
        """
        article = self._article(stream, options)
        segments, article.segments = article.segments, []
        for segment in segments:
            yield article, segment

    def read(self, stream: BinaryIO, options: ReadOptions) -> Iterator[DocArticle]:
        """The article with its segments."""
        yield from collect(self.stream(stream, options))

    def _article(self, stream: BinaryIO, options: ReadOptions) -> DocArticle:
        data = stream.read(MAX_IMPORT_BYTES + 1)
        what = options.origin or "The text file"
        check_size(len(data), MAX_IMPORT_BYTES, what)
        text = decode_text(data, options.encoding, what=what)
        del data
        line = limits.long_line(text)
        if line is not None:
            raise InputError(f"{what}, line {line}: the line is longer than "
                             f"{limits.MAX_LINE_CHARS:,} characters; {limits.ADVICE}.")
        article = segment_article(
            text,
            source_lang=options.source_lang,
            target_lang=options.target_lang or "en",
            title=options.title,
            what=what,
        )
        article.origin = options.origin
        for segment in article.segments:
            reason = limits.too_long(segment.mt)
            if reason:
                line = limits.line_of(text, segment.mt)
                raise InputError(f"{what}, line {line}: {reason}; {limits.ADVICE}.")
        return article

    def write(self, articles: list[DocArticle], stream: BinaryIO, options: WriteOptions) -> None:
        texts = [article_text(article, include_residue=options.include_residue)
                 for article in articles]
        stream.write("\n\n".join(texts).encode("utf-8"))


def article_text(article: DocArticle, *, include_residue: bool = False) -> str:
    """The export text of one article; the title line comes first even if no segment holds it."""
    body = rebuild_text(article, include_residue=include_residue)
    has_title = any(seg.kind == "title" for seg in article.segments)
    if has_title or not article.title.strip():
        return body
    heading = " ".join(article.title.split())
    return f"{heading}\n\n{body}" if body else f"{heading}\n"


FORMAT = TextFormat()
