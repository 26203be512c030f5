"""The Check contract and the CHECKS registry: every check's name, label,
description and the segment kinds it runs on are defined here, in one table, so the UI, the
command line and the tests build their lists from one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from review.checks import caps
from review.checks.context import CheckContext, Suggestion
from review.checks.defaults import calibrated, enabled_by_default
from review.checks.doubled import check_doubled_words
from review.checks.glossary import check_glossary
from review.checks.length import check_length
from review.checks.names import check_consistency
from review.checks.numbers import check_numbers
from review.checks.punctuation import check_brackets, check_spacing
from review.checks.residue import check_glued, check_residue
from review.checks.tense import check_tense
from review.checks.untranslated import check_fullwidth, check_untranslated
from review.core.errors import InputError
from review.core.vocab import CONTENT_KINDS

log = logging.getLogger("review.checks")


@dataclass(frozen=True)
class Check:
    """One automatic check: what it is called, how the UI and the command line show it, and the
    pure function that suggests flags. The fields that describe a check live here, together,
    so a new one (a default severity, say) is added in one place."""

    name: str
    description: str
    fn: Callable[[CheckContext], list[Suggestion]]
    kinds: tuple[str, ...] = CONTENT_KINDS
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name.replace("_", " ").capitalize())

    def run(self, ctx: CheckContext) -> list[Suggestion]:
        if ctx.kind not in self.kinds:
            return []
        found = self.fn(ctx)
        if len(found) > caps.PER_CHECK:  # odd text: keep the first ones, in text order
            found = sorted(found, key=lambda s: (s.start is not None, s.start or 0))
            found = found[:caps.PER_CHECK]
        return [calibrated(s) for s in found]


CHECKS: dict[str, Check] = {c.name: c for c in [
    Check("numbers", "Numbers, percentages, fractions and years that differ from the source "
          "or the retranslations, or contradict each other.", check_numbers,
          label="Numbers"),
    Check("untranslated", "Chinese, Japanese or Korean text left in a Latin-script MT.",
          check_untranslated, label="Untranslated text"),
    Check("residue", "Web page residue inside the text (share prompts, photo credits, editor "
          "lines, tags).", check_residue, label="Web residue"),
    Check("glued", "Sentences or captions glued together with no space after the period.",
          check_glued, label="Glued sentences"),
    Check("spacing", "Double spaces, missing spaces after punctuation, spaces before it.",
          check_spacing, label="Spacing"),
    Check("fullwidth", "Full-width punctuation or digits in a Latin-script MT.", check_fullwidth,
          label="Full-width characters"),
    Check("doubled_words", "The same word twice in a row ('the the').", check_doubled_words,
          label="Doubled words"),
    Check("brackets", "Unbalanced brackets and quotation marks.", check_brackets,
          label="Brackets and quotes"),
    Check("tense", "Future tense about a year that is already past.", check_tense,
          label="Tense"),
    Check("length", "MT much shorter or longer than usual against the source or "
          "retranslation (omission or addition).", check_length, label="Length"),
    Check("glossary", "Required and forbidden terms from the team glossary.", check_glossary,
          label="Glossary"),
    Check("consistency", "Names and terms rendered differently across the article or from "
          "the retranslations.", check_consistency, label="Consistency"),
]}


def run_checks(ctx: CheckContext, names: Iterable[str] | None = None,
               strict: bool = False) -> list[Suggestion]:
    """Run the named checks (those on by default, see review.checks.defaults) and return
    their suggestions in text order.

    A check that raises is logged and skipped, so one faulty check never blocks a review;
    ``strict=True`` re-raises instead (tests).
    """
    selected = [n for n in CHECKS if enabled_by_default(n)] if names is None else list(names)
    unknown = [n for n in selected if n not in CHECKS]
    if unknown:
        raise InputError(f"Unknown check(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(CHECKS)}.")
    out: list[Suggestion] = []
    for name in selected:
        try:
            out.extend(CHECKS[name].run(ctx))
        except Exception:
            if strict:
                raise
            log.exception("check %s failed on a segment; skipped", name)
    ordered = sorted(out, key=lambda s: (s.start is not None, s.start or 0))
    return caps.cap_segment(ordered)
