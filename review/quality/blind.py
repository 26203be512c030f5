"""Blind, shuffled systems: reviewers see "A, B, C…" instead of system names, in an order
drawn per segment and stable per reviewer, so neither a name nor a fixed position biases
the rating. Leads see the names (the services decide who gets which view)."""

from __future__ import annotations

import hashlib
import random

from review.core.vocab import BLIND_LABELS


def blind_order(systems: list[str], reviewer: str, segment_key: str,
                campaign: str = "") -> list[tuple[str, str]]:
    """(label, system) pairs in the order one reviewer sees them on one segment.

    The seed is a digest of the campaign, reviewer and segment, so the same reviewer gets
    the same order on every visit and another reviewer (or campaign) gets an independent
    one."""
    seed = hashlib.sha256(f"{campaign}\x1f{reviewer}\x1f{segment_key}".encode()).digest()
    shuffled = sorted(systems)
    random.Random(int.from_bytes(seed[:8], "big")).shuffle(shuffled)
    labels = [_label(i) for i in range(len(shuffled))]
    return list(zip(labels, shuffled))


def _label(index: int) -> str:
    letters = len(BLIND_LABELS)
    return BLIND_LABELS[index] if index < letters else \
        BLIND_LABELS[index // letters - 1] + BLIND_LABELS[index % letters]
