"""Edit-based measures of a post-edit: HTER and character edit distance."""

from __future__ import annotations

from review.metrics.registry import get_metric


def hter(mt: str, corrected: str, lang: str) -> float:
    """HTER: TER of the MT against its post-edited version, on sacrebleu's 0..100 scale.

    It is the number of word edits (insertions, deletions, substitutions, shifts) that turn the
    MT into the correction per 100 words of the correction; it can exceed 100 when the MT is
    longer than the correction. Like sacrebleu's TER default it ignores case-only changes; CJK
    targets are compared per character. Identical texts give 0.
    """
    return get_metric("ter").sentence(mt, corrected, lang).value


def hter_signature(lang: str) -> str:
    return get_metric("ter").segment_signature(lang)


def edit_distance_chars(a: str, b: str) -> int:
    """Levenshtein distance in characters (bit-parallel, Myers/Hyyrö: fast on long texts)."""
    a, b = a or "", b or ""
    if len(a) < len(b):
        a, b = b, a
    # strip the common prefix and suffix: edits of one word in a long segment stay cheap
    start = 0
    while start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a, b = a[start:end_a], b[start:end_b]
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    full = (1 << m) - 1
    last = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & full) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score
