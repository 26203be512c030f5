"""Required and forbidden terms from the team glossary."""

from __future__ import annotations

import re

from review.checks.context import CheckContext, Suggestion
from review.checks.glossary_terms import contains_term
from review.checks.text import _text


def check_glossary(ctx: CheckContext) -> list[Suggestion]:
    gl = ctx.glossary
    if not gl or not gl.entries:
        return []
    mt, source = _text(ctx.mt), _text(ctx.source)
    out = []
    for entry in gl.entries:
        if entry.source and entry.targets and source and contains_term(source, entry.source):
            exact = [sp for t in entry.targets for sp in contains_term(mt, t, True)]
            loose = [sp for t in entry.targets for sp in contains_term(mt, t, False)]
            if not loose:
                out.append(Suggestion(
                    "glossary", "Terminology/Inappropriate for context", "Minor", None, None,
                    f"Glossary: render {entry.source!r} as {' or '.join(entry.targets)!r}."))
            elif entry.case_sensitive and not exact:
                s, e = loose[0]
                out.append(Suggestion(
                    "glossary", "Terminology/Inappropriate for context", "Minor", s, e,
                    f"Glossary: write {entry.targets[0]!r} with this capitalisation."))
        elif entry.case_sensitive and entry.targets:
            for t in entry.targets:
                for s, e in contains_term(mt, t, False):
                    if mt[s:e] not in entry.targets and re.sub(r"\s+", " ", mt[s:e]) != t:
                        out.append(Suggestion(
                            "glossary", "Terminology/Inappropriate for context", "Minor", s, e,
                            f"Glossary: write {t!r} with this capitalisation."))
        for bad in entry.forbidden:
            for s, e in contains_term(mt, bad, entry.case_sensitive):
                instead = f"; use {' or '.join(entry.targets)!r}" if entry.targets else ""
                out.append(Suggestion(
                    "glossary", "Terminology/Inappropriate for context", "Minor", s, e,
                    f"Glossary: {mt[s:e]!r} is not to be used{instead}."))
    return out
