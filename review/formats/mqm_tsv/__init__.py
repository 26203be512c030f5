"""MQM annotation files as WMT publishes them and Marot opens them (``mqm-tsv``).

Two variants, told apart by the header (tab-separated, no quoting: the texts hold quotes):

- plain: ``system doc doc_id seg_id rater source target category severity [comment]``
  (WMT 2021 TED); ``doc_id`` numbers the segment inside its document, ``seg_id`` globally;
- side by side: ``system doc docSegId globalSegId rater source target category severity
  metadata`` (WMT 2023); ``metadata`` is JSON, and a header field starting with ``#`` is a
  comment, not a column.

One row is one error (or a ``No-error`` row: the rater found nothing) by one rater on one
system's translation of one segment; the error span is marked with ``<v>…</v>`` in the source
or the target. A ``.tar.gz``/``.tgz`` holding one ``.tsv`` (or a gzipped ``.tsv``) is read
directly.

Import gives one article per ``doc`` (in file order) and one segment per ``doc_id`` (ordered by
number), with every system's translation as a candidate, the primary system's (the first
non-reference system in sorted order; references are systems named ``ref``, ``refA``,
``ref.A``, ``ref-B``…) as ``mt``, the first reference as ``reference``, and one flag per row:
author = rater, target = system name, span in characters of the unmarked text.
``No-error`` rows become flags with category and severity ``No-error`` (the segment counts as
rated), and other rows keep category and severity verbatim (including WMT 2023's
``HOTW-test`` attention checks, which scoring should skip). Raters' marked texts sometimes
differ from the others' by surrounding whitespace; the most common text wins and spans are
moved onto it.

Export writes the plain variant: every open or confirmed flag (dismissed flags and unconfirmed
suggestions of automatic checks are left out) as a row, and a ``No-error`` row by the last
editor for a fixed or approved segment without flags; segments nobody rated are left out.
Tabs and line breaks in texts become spaces (one for one, so spans stay right); a literal
``<v>`` in a text would be read back as a span marker; a flag without a span reads back as
one on the target (nothing in the row says otherwise).

Import streams in bounded memory: a segment's rows lie anywhere in the file, so the reader
spools the parsed rows to a temporary SQLite file and yields the segments from it one by one
(the file's errors all come before the first segment; the spool is deleted however the stream
ends).

Modules: :mod:`spans` (the ``<v>`` span markers and reference systems, both directions),
:mod:`reader`, :mod:`writer`, and :mod:`codec` (the format object the registry holds).
"""

from __future__ import annotations

from review.formats.mqm_tsv.codec import (
    FORMAT,
    MqmTsvFormat,
)
from review.formats.mqm_tsv.spans import (
    PLAIN_COLUMNS,
    is_reference,
    mark,
    unmark,
)

__all__ = [
    "FORMAT",
    "MqmTsvFormat",
    "PLAIN_COLUMNS",
    "is_reference",
    "mark",
    "unmark",
]
