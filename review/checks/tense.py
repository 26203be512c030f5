"""Future tense about a year that is already past (a sign the MT kept the tense of an
announcement the article reports on).
"""

from __future__ import annotations

import datetime as _dt
import re

from review.checks.context import CheckContext, Suggestion
from review.checks.text import _sentences, _text

_PAST_YEAR = re.compile(
    r"\b(?:in|during|by|throughout)\s+(?:the\s+(?:year|end|first half|second half|whole)\s+"
    r"(?:of\s+)?)?((?:18|19|20)\d{2})\b(?!\s*[-–]\s*\d)", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:18|19|20)\d{2})\b")
_FUTURE = re.compile(r"\b(will|shall|won't|is going to|are going to)\b|\w'll\b", re.IGNORECASE)
_REPORTED = re.compile(
    r"\b(?:that|which|who|where|whose|said|says|announced|pledged|planned|plans|promised|"
    r"expects?|expected|predicted|forecast|aims?|targets?|vowed|agreed|decided|set|launched|"
    r"signed|until|unless|if|when)\b", re.IGNORECASE)


def check_tense(ctx: CheckContext) -> list[Suggestion]:
    """'In 2022, ... will account for': future tense about a year already past."""
    ref = ctx.reference_year or _dt.date.today().year
    mt = _text(ctx.mt)
    out = []
    for s, e in _sentences(mt):
        sent = mt[s:e]
        years = [int(y) for y in _YEAR.findall(sent)]
        if not years or max(years) >= ref:
            continue
        for ym in _PAST_YEAR.finditer(sent):
            year = int(ym.group(1))
            fut = _FUTURE.search(sent, ym.end())
            if fut is None:
                continue
            between = sent[ym.end():fut.start()]
            if _REPORTED.search(between):
                continue
            out.append(Suggestion(
                "tense", "Fluency/Grammar", "Minor", s + fut.start(), s + fut.end(),
                f"Future tense about {year}, which is before {ref}: probably past tense "
                f"(e.g. 'accounted for')."))
            break
    return out
