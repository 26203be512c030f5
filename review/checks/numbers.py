"""Numbers, percentages, fractions and years that differ from the source or the
retranslations, or contradict each other within the MT.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from review.checks.context import CheckContext, Suggestion
from review.checks.number_spans import NumberMention, extract_numbers, same_number
from review.checks.text import _sentences, _text

_RATIO_SENTENCE = re.compile(
    r"^\W*(?:The|These|Those|Their|Its|Both)\s+(?:\w+\s+){0,2}"
    r"(?:ratios?|proportions?|shares?|percentages?|rates?|figures?|numbers?)\b.*\brespectively\b",
    re.IGNORECASE | re.DOTALL,
)


def _fmt(nums: Iterable[NumberMention]) -> str:
    return ", ".join(dict.fromkeys(n.text for n in nums)) or "none"


def _unmatched(mine: list[NumberMention], others: list[NumberMention]) -> list[NumberMention]:
    """The numbers of ``mine`` that none of ``others`` matches; an exact value is looked up
    first, so texts with thousands of equal numbers (inline-tag markers) stay linear."""
    exact = {key for other in others for key in other.keys()}
    return [n for n in mine if not any(key in exact for key in n.keys())
            and not any(same_number(n, o) for o in others)]


def check_numbers(ctx: CheckContext) -> list[Suggestion]:
    mt = _text(ctx.mt)
    mt_nums = extract_numbers(mt)
    out: list[Suggestion] = []
    source = _text(ctx.source)
    if source.strip():
        src_nums = [n for n in extract_numbers(source) if n.kind != "month" or n.digits]
        extra = [n for n in _unmatched(mt_nums, src_nums) if n.digits]
        # a lone 1 is usually the article "a" in English ("1家研究机构": "a research institute")
        missing = [n for n in _unmatched(src_nums, mt_nums) if n.value != 1]
        for n in extra:
            out.append(Suggestion(
                "numbers", "Accuracy/Mistranslation", "Major", n.start, n.end,
                f"{n.text} is not in the source (source numbers: {_fmt(src_nums)})."))
        if missing and not extra:
            out.append(Suggestion(
                "numbers", "Accuracy/Mistranslation", "Major", None, None,
                f"The source number(s) {_fmt(missing)} do not appear in the MT."))
        return out
    cands = [c for c in (_text(v) for v in (ctx.candidates or {}).values()) if c.strip()]
    if cands:
        cand_nums = [extract_numbers(c) for c in cands]
        for n in mt_nums:
            if n.digits and not any(any(same_number(n, o) for o in nums) for nums in cand_nums):
                others = _fmt(o for nums in cand_nums for o in nums)
                out.append(Suggestion(
                    "numbers", "Accuracy/Mistranslation", "Minor", n.start, n.end,
                    f"{n.text} appears in no retranslation (they have: {others})."))
        shared = [o for o in cand_nums[0] if o.digits and all(
            any(same_number(o, x) for x in nums) for nums in cand_nums[1:])]
        missing = _unmatched(shared, mt_nums)
        if missing and not out:
            out.append(Suggestion(
                "numbers", "Accuracy/Mistranslation", "Minor", None, None,
                f"The retranslation(s) give {_fmt(missing)}, which the MT does not."))
    out.extend(_ratio_contradiction(mt, mt_nums, {(s.start, s.end) for s in out}))
    return out


def _ratio_contradiction(mt: str, nums: list[NumberMention],
                         taken: set[tuple[int | None, int | None]]) -> list[Suggestion]:
    """'... account for 1% of the total. The ratios are about 3/5 and 1/3 respectively.'

    A sentence that gives ratios "respectively" without naming what they belong to refers to
    the previous sentence; a percentage there that is none of those ratios contradicts them.
    """
    out = []
    spans = _sentences(mt)
    for (ps, pe), (ss, se) in zip(spans, spans[1:]):
        if not _RATIO_SENTENCE.match(mt[ss:se]):
            continue
        ratios = [n for n in nums if ss <= n.start < se and n.kind in ("fraction", "percent")]
        if len(ratios) < 2:
            continue
        before = [n for n in nums if ps <= n.start < pe and n.kind in ("percent", "fraction")]
        if not before:
            continue
        n = before[-1]  # the figure the ratio sentence follows
        if (n.start, n.end) in taken or any(same_number(n, r) for r in ratios):
            continue
        out.append(Suggestion(
            "numbers", "Accuracy/Mistranslation", "Minor", n.start, n.end,
            f"{n.text} contradicts the next sentence, which gives the ratios as "
            f"{_fmt(ratios)} respectively; check the source."))
    return out
