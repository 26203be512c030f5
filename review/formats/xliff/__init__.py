"""XLIFF 1.2 and 2.0: bilingual files from CAT tools, read either way, written either way.

Reading detects the version from the namespace (1.0/1.1 files read like 1.2). One article per
``<file>`` (title = its ``original`` attribute); one segment per 1.2 ``<trans-unit>`` or 2.0
``<segment>`` (id ``UNIT/SEGMENT`` when a unit has several; export puts them back in one unit,
whose notes, a unit-level thing in 2.0, come back on its first segment), with its notes, its
state mapped to a review status, its kind from a ``restype`` of ``x-KIND`` (1.2) or a ``type``
of ``mtr:KIND`` (2.0), and paragraphs from ``<group>``s. Reading streams: each unit's
segments are handed on as soon as the unit ends and the unit is freed, so the file's size does
not decide the memory; a ``<file>`` without units gives no article, and ids being unique within
a file is the importer's check.

Inline tags (1.2 ``g x bx ex ph bpt ept it mrk``; 2.0 ``pc ph sc ec sm em mrk cp``) become
visible placeholders in the review text: ``{1}…{/1}`` for a tag around text, ``{2/}`` for a
standalone code, numbered in order of appearance in the source, the same number in source and
target for the same tag id. The tags themselves are kept in ``DocSegment.meta["xliff"]`` and
written back on export. Should a segment's own text contain something that reads as a
placeholder, that segment uses ``⟦1⟧…⟦/1⟧`` instead.

Export writes the corrected text (else the MT) as the target. A corrected text must keep its
placeholders balanced and carry the same ones as the source (or as the imported target);
otherwise export stops with a message naming the segment. Exporting to the other XLIFF
version keeps tag positions and ids but not tool-specific codes. Statuses become states —
1.2: fixed ``translated``, approved ``final``, flagged ``needs-review-translation``, to do
``needs-review-translation`` with ``state-qualifier="mt-suggestion"``; 2.0: to do ``initial``,
flagged ``translated`` (``subState="mtr:flagged"``), fixed ``reviewed``, approved ``final``.
Each flag becomes a ``<note>`` reading ``MQM flag: {json}`` (in 2.0 also
``category="mqm-flag"``), which this reader turns back into the flag: exact offsets survive,
which ITS ``<mrk>`` markup cannot promise for overlapping spans of several reviewers, so none
is written. Characters XML cannot hold are dropped (``xmlsafe.xml_text``).

One module per job: :mod:`names` (namespaces and note markers), :mod:`inline` (tags <->
placeholders), :mod:`reader`, :mod:`writer`, and :mod:`codec` (the format object the
registry holds).
"""

from __future__ import annotations

from review.formats.xliff.codec import (
    FORMAT,
    XLIFF12_FORMAT,
    XLIFF20_FORMAT,
    XliffFormat,
)
from review.formats.xliff.names import (
    FLAG_CATEGORY,
    FLAG_PREFIX,
    NS12,
    NS20,
    XML_LANG,
)

__all__ = [
    "FLAG_CATEGORY",
    "FLAG_PREFIX",
    "FORMAT",
    "NS12",
    "NS20",
    "XLIFF12_FORMAT",
    "XLIFF20_FORMAT",
    "XML_LANG",
    "XliffFormat",
]
