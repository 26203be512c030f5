"""The original file of an import, kept so that an export can write the review back into it.

An import of XLIFF (1.x, 2.0) or TMX keeps the file it read, compressed, when it is no
bigger than ``MAX_ORIGINAL_BYTES``; an export of one of its articles in the same format (and,
for XLIFF, the same version) then writes the reviewed targets, states and notes into that
file and leaves everything else as it was (``merge``): one XLIFF with all its ``<file>``
elements, a TMX with all its languages. A bigger file imports as before, without its
original (the import report says so), and exports are generated from the stored segments.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

from review.core.errors import InputError
from review.formats.base import MAX_IMPORT_BYTES, DocArticle, WriteOptions
from review.formats.tmx_merge import merge_tmx
from review.formats.xliff.merge import merge_xliff
from review.formats.xliff.reader import xliff_version
from review.formats.xmlsafe import iterparse_xml, local_name

MAX_ORIGINAL_BYTES = MAX_IMPORT_BYTES
"""The largest file whose original an import keeps (20 MB): the merge parses it whole."""

KEPT_FORMATS = frozenset({"xliff", "xliff2", "tmx"})
"""Formats (registry names) whose originals are kept: a file read as either XLIFF format
is the same file."""

_KINDS = {"xliff": "xliff-1.2", "xliff2": "xliff-2.0", "tmx": "tmx"}
"""Export format -> the kind of original it writes into."""


@dataclass
class Original:
    """A kept file: its name, what it is (``xliff-1.2``, ``xliff-2.0``, ``tmx``), its bytes."""

    name: str
    kind: str
    data: bytes


def kind_of(data: bytes) -> str | None:
    """What a file is, from its root element: ``xliff-1.2``, ``xliff-2.0``, ``tmx``, or
    ``None`` when it is none of them (or not XML the import would read)."""
    try:
        _, root = next(iterparse_xml(io.BytesIO(data), what="The file", tags=()))
    except (InputError, StopIteration):
        return None
    name = local_name(root)
    if name == "tmx":
        return "tmx"
    if name == "xliff":
        try:
            return "xliff-" + xliff_version(root, "The file")
        except InputError:
            return None
    return None


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 6)


def decompress(blob: bytes) -> bytes:
    """The stored bytes back, refusing anything that would grow past the size limit."""
    inflater = zlib.decompressobj()
    data = inflater.decompress(blob, MAX_ORIGINAL_BYTES + 1)
    if len(data) > MAX_ORIGINAL_BYTES or inflater.unconsumed_tail:
        raise InputError("the stored original file is bigger than the limit; it cannot be "
                         "used for the export")
    return data


def can_merge(original: Original | None, fmt: str) -> bool:
    """Whether an export in ``fmt`` writes into ``original``."""
    return original is not None and _KINDS.get(fmt) == original.kind


def merge(original: Original, fmt: str, articles: list[DocArticle],
          options: WriteOptions) -> bytes:
    """``original`` with the articles' review written into it (see ``can_merge``)."""
    what = f"The original file {original.name!r}"
    if original.kind == "tmx":
        return merge_tmx(original.data, articles, options, what)
    return merge_xliff(original.data, articles, options, what)
