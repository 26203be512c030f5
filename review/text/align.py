"""Length-based sentence alignment (after Gale and Church, 1993) of a source to segments.

A source-less article gets its original attached afterwards: its sentences have to be
paired with the existing MT segments. Sentence lengths in characters correlate across
languages; dynamic programming finds the likeliest sequence of 1-1, 1-0, 0-1, 2-1, 1-2
and 2-2 pairings. The reviewer corrects what it gets wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Prior probabilities of each pairing (source sentences, target segments), as in the paper.
PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
    (2, 2): 0.011,
}
VARIANCE = 6.8
"""Variance of the length difference per source character (the paper's estimate)."""


@dataclass(frozen=True)
class Bead:
    """One pairing: these source sentences translate these target segments."""

    source: tuple[int, ...]
    target: tuple[int, ...]


def _norm_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def _cost(source_len: int, target_len: int, ratio: float, prior: float) -> float:
    """-log P(pairing) * P(length difference | pairing)."""
    if source_len == 0 and target_len == 0:
        return -math.log(prior)
    mean = (source_len + target_len / ratio) / 2.0
    delta = (ratio * source_len - target_len) / math.sqrt(max(mean, 1.0) * VARIANCE * ratio)
    p_delta = 2.0 * (1.0 - _norm_cdf(abs(delta)))
    return -math.log(max(p_delta, 1e-12)) - math.log(prior)


def align_lengths(source: list[int], target: list[int]) -> list[Bead]:
    """The cheapest pairing of source sentence lengths with target segment lengths.

    The expected length ratio comes from the totals, so Chinese against English (about one
    character to three) works without a per-language constant.
    """
    n, m = len(source), len(target)
    ratio = (sum(target) or 1) / (sum(source) or 1)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == inf:
                continue
            for (di, dj), prior in PRIORS.items():
                ni, nj = i + di, j + dj
                if ni > n or nj > m:
                    continue
                cost = best[i][j] + _cost(sum(source[i:ni]), sum(target[j:nj]), ratio, prior)
                if cost < best[ni][nj]:
                    best[ni][nj] = cost
                    back[ni][nj] = (di, dj)
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None  # every cell is reachable through 1-0 and 0-1 steps
        di, dj = step
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def source_per_segment(sentences: list[str], segments: list[str], joiner: str = " "
                       ) -> list[str]:
    """The source text for each target segment after alignment.

    Segments that share source sentences (a 1-2 pairing) get the source on the first of
    them, and the rest stay empty, so the source is never duplicated; the reviewer can
    move it.
    """
    beads = align_lengths([len(s) for s in sentences], [len(t) for t in segments])
    out = [""] * len(segments)
    last: int | None = None
    orphans: list[str] = []  # source sentences before the first segment
    for bead in beads:
        text = joiner.join(sentences[k] for k in bead.source)
        if not bead.target:  # a source sentence with no segment: keep it with its neighbour
            if last is None:
                orphans.append(text)
            else:
                out[last] = joiner.join(p for p in (out[last], text) if p)
            continue
        last = bead.target[0]
        out[last] = joiner.join(p for p in (*orphans, text) if p)
        orphans = []
    if orphans and out:
        out[0] = joiner.join(p for p in (*orphans, out[0]) if p)
    return out
