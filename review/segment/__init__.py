"""Scraped article text -> paragraphs -> sentences, with web residue told apart from the body.

Reviewers should spend their time on the translation, not on "Share so more people can see
it" or a photo credit glued to the end of a sentence, so every segment gets a kind
(``title``, ``body``, ``caption``, ``boilerplate``, ``metadata``) and residue can be hidden,
skipped by checks and left out of exports.

Paragraphs: scraped pages put one paragraph per line, so every non-empty line is a paragraph
(a blank line is not required between them). Hard-wrapped prose therefore becomes one
paragraph per line; unwrap such text before importing it.

Every split is lossless: each segment keeps the separator that preceded it inside its
paragraph (``meta["sep"]``), so ``join_paragraph`` gives the paragraph back exactly.

Modules: :mod:`languages` (language markers in the text), :mod:`residue` (the rules that tell
residue apart) and :mod:`sentences` (paragraph -> sentences). Turning a whole article into
segments and back is the text format's work (``review.formats.scraped`` and
``review.formats.rebuild``).
"""

from __future__ import annotations

from review.lang.markers import (
    LANGUAGE_NAMES,
    detect_language_marker,
)
from review.segment.residue import (
    RESIDUE_RULES,
    ResidueRule,
    classify_line,
    residue_rule,
)
from review.segment.sentences import (
    split_sentences,
)

__all__ = [
    "LANGUAGE_NAMES",
    "RESIDUE_RULES",
    "ResidueRule",
    "classify_line",
    "detect_language_marker",
    "residue_rule",
    "split_sentences",
]
