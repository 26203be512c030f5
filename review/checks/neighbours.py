"""Checks that need the next sentence of the same paragraph, which the store
keeps as its own segment.
"""

from __future__ import annotations

import re

from review.checks.context import Suggestion
from review.checks.defaults import calibrated
from review.checks.number_spans import extract_numbers
from review.checks.numbers import _ratio_contradiction

_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)]*$")


def neighbour_suggestions(text: str, next_text: str, next_sep: str
                          ) -> tuple[list[Suggestion], list[Suggestion]]:
    """Checks that need the next sentence of the same paragraph, which the store keeps as
    its own segment: (suggestions for this segment, suggestions for the next one).

    - numbers: "... 1% of the total." followed by "The ratios are 3/5 and 1/3 respectively."
    - glued: the next sentence follows with no space ("Conference.Photo by reporter").
    """
    mine: list[Suggestion] = []
    theirs: list[Suggestion] = []
    if not text or not next_text:
        return mine, theirs
    joined = f"{text}{next_sep}{next_text}"
    nums = extract_numbers(joined)
    for s in _ratio_contradiction(joined, nums, set()):
        if s.start is not None and s.end is not None and s.end <= len(text):
            mine.append(calibrated(s))
    if next_sep == "" and _SENTENCE_END.search(text) and next_text[:1].isalpha():
        first = re.match(r"\w+", next_text)
        end = first.end() if first else 1
        tail = text[-12:]
        theirs.append(Suggestion(
            "glued", "Fluency/Punctuation", "Minor", 0, end,
            f"Glued to the previous sentence with no space: '…{tail}{next_text[:end]}'."))
    return mine, theirs
