"""Names and terms rendered differently across the article or from the
retranslations.
"""

from __future__ import annotations

import re

from review.checks.context import ArticleStats, CheckContext, Suggestion
from review.checks.glossary_terms import contains_term
from review.checks.text import _text

_NAME = re.compile(
    r"(?<![\w'’-])[A-Z][\w'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*)*")
_FUNCTION = {
    "the", "a", "an", "in", "on", "at", "this", "that", "these", "those", "it", "its", "we",
    "our", "he", "she", "they", "their", "his", "her", "according", "during", "after",
    "before", "since", "as", "by", "for", "from", "with", "yesterday", "today", "tomorrow",
    "last", "next", "but", "and", "or", "so", "if", "when", "while", "although", "however",
    "meanwhile", "also", "there", "here", "what", "why", "how", "who", "where", "to", "of",
    "i", "you", "all", "some", "many", "more", "most", "other", "such", "both", "each",
    "every", "no", "not", "one", "two", "three", "first", "then", "now", "let", "be", "is",
    "was", "are", "were", "has", "have", "had", "will", "can", "may", "mr", "ms", "mrs",
}


def extract_names(text: str) -> list[tuple[int, int, str]]:
    """Capitalised phrases ('Wuzhen Summit of the World Internet Conference'), without a
    leading function word; single words only when not sentence-initial."""
    text = _text(text)
    out = []
    for m in _NAME.finditer(text):
        words = m.group().split()
        start = m.start()
        while words and words[0].lower().strip("'’") in _FUNCTION:
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
            words = words[1:]
        while words and words[-1].lower() in ("of", "the"):
            words = words[:-1]
        if words:
            words[-1] = re.sub(r"['’]s?$", "", words[-1])
        if words and not words[-1]:
            words = words[:-1]
        if not words:
            continue
        phrase = " ".join(words)
        end = start + len(text[start:m.end()].rstrip())
        while not text[start:end].endswith(words[-1]):
            end -= 1
        if len(words) == 1:
            before = text[:start].rstrip()
            if not before or before[-1] in ".!?:\"“(" or len(phrase) < 3:
                continue
        out.append((start, end, phrase))
    return out


def _name_key(name: str) -> str:
    name = re.sub(r"['’]s$", "", name)
    return re.sub(r"[\s\-'’]", "", name).lower()


def _cjk_ngrams(text: str, lo: int = 2, hi: int = 4) -> set[str]:
    grams: set[str] = set()
    for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]+", _text(text)):
        for n in range(lo, hi + 1):
            grams.update(run[i:i + n] for i in range(len(run) - n + 1))
    return grams


def check_consistency(ctx: CheckContext) -> list[Suggestion]:
    stats = ctx.article
    if stats is None:
        return []
    mt = _text(ctx.mt)
    names = extract_names(mt)
    out = []
    for s, e, name in names:
        dominant = stats.name_variants.get(name)
        if dominant:
            out.append(Suggestion(
                "consistency", "Terminology/Inconsistent use", "Minor", s, e,
                f"{name!r} is written {dominant!r} elsewhere in this article "
                f"({stats.name_counts.get(dominant, 0)} times)."))
    cands = [_text(c) for c in (ctx.candidates or {}).values() if _text(c).strip()]
    if cands:
        flagged = set()
        for s, e, name in names:
            if name in stats.name_mismatches and name not in flagged and not any(
                    contains_term(c, name) for c in cands):
                flagged.add(name)
                alt = stats.name_mismatches[name]
                instead = f" (they write {alt!r})" if alt else ""
                out.append(Suggestion(
                    "consistency", "Terminology/Inconsistent use", "Minor", s, e,
                    f"The retranslations never use {name!r} in this article{instead}; check "
                    "the name."))
    source = _text(ctx.source)
    if source and stats.term_renderings:
        out.extend(_term_inconsistency(source, names, stats))
    return out


def _related(a: str, b: str) -> bool:
    """Two different renderings of one thing: they share a word of 4+ letters
    ('Tourism Bureau' ~ 'Singapore Tourism Board') and neither contains the other."""
    la, lb = a.lower(), b.lower()
    if la in lb or lb in la:
        return False
    return bool(set(re.findall(r"\w{4,}", la)) & set(re.findall(r"\w{4,}", lb)))


def _term_inconsistency(source: str, names: list[tuple[int, int, str]],
                        stats: ArticleStats) -> list[Suggestion]:
    """A source term rendered P everywhere else, and here by a name Q used nowhere else."""
    grams = _cjk_ngrams(source)
    here = {n for _, _, n in names}
    out, seen = [], set()
    for term, rendering in sorted(stats.term_renderings.items(), key=lambda kv: -len(kv[0])):
        if term not in grams or rendering in here or rendering in seen:
            continue
        for s, e, name in names:
            if stats.name_counts.get(name, 0) == 1 and name != rendering and \
                    _related(name, rendering):
                seen.add(rendering)
                out.append(Suggestion(
                    "consistency", "Terminology/Inconsistent use", "Minor", s, e,
                    f"The source term {term!r} is rendered {rendering!r} elsewhere in this "
                    f"article, {name!r} here."))
                break
    return out
