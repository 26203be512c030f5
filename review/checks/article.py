"""Article-level norms (length ratios, name spellings, term renderings) computed
once per article so single-segment checks can compare against them.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence

from review.checks.context import ArticleStats, CheckContext
from review.checks.glossary_terms import contains_term
from review.checks.length import MIN_CHARS, MIN_PAIRS, _cand_ratio, _len
from review.checks.names import _cjk_ngrams, _name_key, extract_names
from review.checks.text import _text
from review.core.vocab import CONTENT_KINDS


def article_stats(contexts: Sequence[CheckContext]) -> ArticleStats:
    """Norms of one article, computed once and shared by its segments' contexts."""
    content = [c for c in contexts if c.kind in CONTENT_KINDS]
    stats = ArticleStats(segments=len(contexts))
    src_ratios = [_len(c.mt) / _len(c.source) for c in content
                  if _len(c.source) >= MIN_CHARS // 2 and _len(c.mt)]
    if len(src_ratios) >= MIN_PAIRS:
        stats.ratio_source = statistics.median(src_ratios)
    cand_ratios = [r for r in (_cand_ratio(c) for c in content
                               if _len(c.mt) >= MIN_CHARS and not _len(c.source))
                   if r is not None]
    if len(cand_ratios) >= MIN_PAIRS:
        stats.ratio_candidates = statistics.median(cand_ratios)

    seg_names = [{n for _, _, n in extract_names(c.mt)} for c in content]
    counts: Counter[str] = Counter()
    for c in content:
        counts.update(n for _, _, n in extract_names(c.mt))
    stats.name_counts = dict(counts)
    by_key: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        by_key[_name_key(name)].append(name)
    for variants in by_key.values():
        if len(variants) > 1:
            dominant = max(variants, key=lambda v: (counts[v], -variants.index(v)))
            for v in variants:
                if v != dominant and _name_key(v) == _name_key(dominant) and \
                        re.sub(r"['’]s$", "", v) != dominant:
                    stats.name_variants[v] = dominant

    _mismatches(content, seg_names, stats)
    _term_renderings(content, seg_names, stats)
    return stats


def _mismatches(content: Sequence[CheckContext], seg_names: list[set[str]],
                stats: ArticleStats) -> None:
    with_cands = [(i, [_text(v) for v in (c.candidates or {}).values() if _text(v).strip()])
                  for i, c in enumerate(content)]
    with_cands = [(i, cs) for i, cs in with_cands if cs]
    occurs: dict[str, list[int]] = defaultdict(list)
    for i, _ in with_cands:
        for name in seg_names[i]:
            occurs[name].append(i)
    cand_map = dict(with_cands)
    for name, idxs in occurs.items():
        if len(idxs) < 2 or (len(name.split()) == 1 and len(name) < 4):
            continue
        if any(contains_term(c, name) for i in idxs for c in cand_map[i]):
            continue
        alt: Counter[str] = Counter()
        for i in idxs:
            alt.update({n for c in cand_map[i] for _, _, n in extract_names(c)} - seg_names[i])
        best = [n for n, k in alt.most_common(2) if k == len(idxs)]
        stats.name_mismatches[name] = best[0] if len(best) == 1 else ""


def _term_renderings(content: Sequence[CheckContext], seg_names: list[set[str]],
                     stats: ArticleStats) -> None:
    with_src = [i for i, c in enumerate(content) if re.search(r"[\u4e00-\u9fff]", _text(c.source))]
    if len(with_src) < 3:
        return
    grams_of = {i: _cjk_ngrams(content[i].source) for i in with_src}
    seg_of: dict[str, list[int]] = defaultdict(list)
    for i in with_src:
        for g in grams_of[i]:
            seg_of[g].append(i)
    name_df: Counter[str] = Counter()
    for i in with_src:
        name_df.update(seg_names[i])
    best: dict[str, list[tuple[int, int, str]]] = {}
    for gram, idxs in seg_of.items():
        if not 3 <= len(idxs) <= max(4, len(with_src) // 2):
            continue  # a term, not a word on every line of the article
        inside: Counter[str] = Counter()
        for i in idxs:
            inside.update(seg_names[i])
        for name, k in inside.items():
            # the name renders the term everywhere but in exactly one segment, and never
            # appears without the term: a strong pairing even in a short article
            if k == len(idxs) - 1 and k == name_df[name] and len(name.split()) > 1:
                best.setdefault(name, []).append((len(idxs), -len(gram), gram))
    for name, grams in best.items():
        # keep the most specific terms for each rendering (fewest segments, then longest)
        top = min(grams)[:2]
        for n_segs, neg_len, gram in grams:
            if (n_segs, neg_len) == top:
                stats.term_renderings[gram] = name
