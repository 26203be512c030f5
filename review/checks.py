"""Automatic QA checks: each one reads a segment (with its article's norms) and suggests flags.

Checks are pure: a ``CheckContext`` in, ``Suggestion`` objects out, no store and no UI. A
suggestion is what a reviewer may confirm or dismiss; spans are character offsets into the MT
(``None`` means the whole segment). Categories and severities follow the WMT MQM typology so
suggestions and reviewer flags score the same way.

``CHECKS`` is the registry the UI, the command line and the tests iterate; ``run_checks``
never raises on any text (a check that fails is logged and skipped, unless ``strict``).
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from review.errors import InputError
from review.glossary import Glossary, contains_term
from review.numbers import NumberMention, extract_numbers, same_number
from review.vocab import CJK_LANGS, CONTENT_KINDS, base_lang

log = logging.getLogger(__name__)



@dataclass
class Suggestion:
    check: str
    category: str
    severity: str
    start: int | None
    end: int | None
    explanation: str
    target: str = "mt"


@dataclass
class ArticleStats:
    """Article-level norms that single-segment checks compare against.

    - ``ratio_source``: median of len(MT)/len(source) over segments with both (None if
      fewer than ``MIN_PAIRS``); ``ratio_candidates``: the same for MT/retranslation.
    - ``term_renderings``: source term -> the MT name that renders it elsewhere in the
      article (found by co-occurrence, only when sources exist).
    - ``name_variants``: a spelling of a name in the MT -> the article's dominant spelling.
    - ``name_mismatches``: an MT name the retranslations never use -> what they write
      instead (``""`` when no single alternative stands out).
    """

    segments: int = 0
    ratio_source: float | None = None
    ratio_candidates: float | None = None
    term_renderings: dict[str, str] = field(default_factory=dict)
    name_variants: dict[str, str] = field(default_factory=dict)
    name_mismatches: dict[str, str] = field(default_factory=dict)
    name_counts: dict[str, int] = field(default_factory=dict)


@dataclass
class CheckContext:
    mt: str
    source: str = ""
    candidates: dict[str, str] = field(default_factory=dict)
    kind: str = "body"
    source_lang: str = ""
    target_lang: str = "en"
    glossary: Glossary | None = None
    article: ArticleStats | None = None
    reference_year: int | None = None


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    fn: Callable[[CheckContext], list[Suggestion]]
    kinds: tuple[str, ...] = CONTENT_KINDS

    def run(self, ctx: CheckContext) -> list[Suggestion]:
        if ctx.kind not in self.kinds:
            return []
        return self.fn(ctx)


def _latin_target(ctx: CheckContext) -> bool:
    return base_lang(ctx.target_lang) not in CJK_LANGS


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _sentences(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans (split after . ! ? followed by space and a capital or quote)."""
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# --------------------------------------------------------------------------- numbers

_RATIO_SENTENCE = re.compile(
    r"^\W*(?:The|These|Those|Their|Its|Both)\s+(?:\w+\s+){0,2}"
    r"(?:ratios?|proportions?|shares?|percentages?|rates?|figures?|numbers?)\b.*\brespectively\b",
    re.IGNORECASE | re.DOTALL,
)


def _fmt(nums: Iterable[NumberMention]) -> str:
    return ", ".join(dict.fromkeys(n.text for n in nums)) or "none"


def _unmatched(mine: list[NumberMention], others: list[NumberMention]) -> list[NumberMention]:
    return [n for n in mine if not any(same_number(n, o) for o in others)]


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


# --------------------------------------------------------------------------- script

_CJK_LETTER = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef"
_CJK_RUN = re.compile(f"[{_CJK_LETTER}](?:[{_CJK_LETTER}{_CJK_PUNCT}\\s\\d]*[{_CJK_LETTER}])?")
_FULLWIDTH = re.compile(r"[\u3000-\u303f\uff01-\uff65]")


def check_untranslated(ctx: CheckContext) -> list[Suggestion]:
    if not _latin_target(ctx):
        return []
    out = []
    for m in _CJK_RUN.finditer(_text(ctx.mt)):
        letters = len(re.findall(f"[{_CJK_LETTER}]", m.group()))
        out.append(Suggestion(
            "untranslated", "Accuracy/Untranslated text", "Major" if letters >= 3 else "Minor",
            m.start(), m.end(), f"Untranslated text left in the MT: {m.group()}"))
    return out


def check_fullwidth(ctx: CheckContext) -> list[Suggestion]:
    if not _latin_target(ctx):
        return []
    mt = _text(ctx.mt)
    inside = [(m.start(), m.end()) for m in _CJK_RUN.finditer(mt)]
    out = []
    for m in _FULLWIDTH.finditer(mt):
        if any(s <= m.start() < e for s, e in inside):
            continue
        ch = m.group()
        what = "full-width digit or letter" if ch.isalnum() else "full-width punctuation"
        out.append(Suggestion("fullwidth", "Fluency/Punctuation", "Minor", m.start(), m.end(),
                              f"{what} {ch!r} in {ctx.target_lang or 'a Latin-script'} text."))
    return out


# --------------------------------------------------------------------------- residue

_RESIDUE = [
    (re.compile(r"Share (?:it |this )?so (?:that )?more people can see (?:it|this)\b[.!]?",
                re.IGNORECASE), "a page's share prompt"),
    (re.compile(r"\(?\bPhotos? (?:by|from|courtesy of|provided by)\s+(?:(?:our|the)\s+)?"
                r"(?:(?:reporter|correspondent|photographer|staff)\s+)?"
                r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}\)?\s*$"), "a photo credit"),
    (re.compile(r"\((?:Editors?|Responsible editors?|Editor in charge)\s*[:：][^)]*\)",
                re.IGNORECASE), "an editor line"),
    (re.compile(r"\b(?:Responsible editor|Editor in charge)\s*[:：].*$", re.IGNORECASE),
     "an editor line"),
    (re.compile(r"\bThe article is in Chinese\b\.?", re.IGNORECASE), "a language note"),
    (re.compile(r"^\s*Tags?\s*[:：].*$", re.IGNORECASE), "a tag list"),
    (re.compile(r"^\s*NEXT\b.*$"), "a link to the next article"),
    (re.compile(r"^\s*(?:Breaking news|Related (?:news|reading|articles?)|Recommended reading"
                r"|Read more|Click here\b.*|Scan the QR code\b.*)\s*$", re.IGNORECASE),
     "a page label"),
]


def check_residue(ctx: CheckContext) -> list[Suggestion]:
    mt = _text(ctx.mt)
    out, taken = [], []
    for pattern, what in _RESIDUE:
        for m in pattern.finditer(mt):
            if m.group().strip() and not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                out.append(Suggestion("residue", "Other", "Minor", m.start(), m.end(),
                                      f"Web page residue ({what}) inside the text: "
                                      f"{m.group().strip()!r}; remove it or mark the segment "
                                      "as boilerplate."))
    return out


# --------------------------------------------------------------------------- punctuation

_ABBREV = {"mr", "mrs", "ms", "dr", "st", "no", "co", "ltd", "inc", "jr", "sr", "vs", "etc",
           "prof", "gen", "gov", "sen", "rep", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
           "sep", "sept", "oct", "nov", "dec", "fig", "vol", "op", "ed", "eds", "approx",
           "dept", "univ", "corp", "mt", "ft", "lt", "col", "sgt", "capt", "rev", "hon", "e.g",
           "i.e", "u.s", "u.k", "a.m", "p.m"}
_DOMAIN = re.compile(r"^[\w.-]+\.(?:com|cn|net|org|gov|edu|io|uk|de|jp|hk|tw|info|biz|int|mil"
                     r"|co|us|eu|fr|ru|in|au|ca|sg|mo)(?:[/:?#].*)?$", re.IGNORECASE)
_GLUE = re.compile(r"(?<=[A-Za-z0-9%)\]”’\"])([.!?])(?=[A-Z][a-z])")
_GLUE_LOWER = re.compile(r"(?<=[a-z]{2})\.(?=(?:the|a|an|in|on|at|it|this|he|she|they|we|photo)"
                         r"\s)")


def _token_at(text: str, pos: int) -> str:
    start = pos
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = pos
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def check_glued(ctx: CheckContext) -> list[Suggestion]:
    """'Conference.Photo by reporter': two sentences glued with no space after the period."""
    if not _latin_target(ctx):
        return []
    mt = _text(ctx.mt)
    out = []
    for m in list(_GLUE.finditer(mt)) + list(_GLUE_LOWER.finditer(mt)):
        pos = m.start()
        token = _token_at(mt, pos).strip("()[]\"“”‘’,;")
        if "://" in token or "@" in token or token.lower().startswith("www.") \
                or _DOMAIN.match(token):
            continue
        word = re.search(r"([A-Za-z.]+)$", mt[:pos])
        left = (word.group(1) if word else "").strip(".").lower()
        if left in _ABBREV or (len(left) == 1 and left.isalpha()) or \
                re.fullmatch(r"(?:[a-z]\.)+[a-z]", left):
            continue
        out.append(Suggestion(
            "glued", "Fluency/Punctuation", "Minor", pos, pos + 1,
            f"No space after {m.group(1)!r}: {_token_at(mt, pos)!r} looks like two sentences "
            "(or a caption) glued together."))
    return sorted(out, key=lambda s: s.start or 0)


_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_NO_SPACE_AFTER = re.compile(r"(?<=[a-z])([,;:])(?=[A-Za-z])")
_SPACE_BEFORE = re.compile(r"(?<=\w)( +)(?=[,.;:!?](?:\s|$))")


def check_spacing(ctx: CheckContext) -> list[Suggestion]:
    if not _latin_target(ctx):
        return []
    mt = _text(ctx.mt)
    out = []
    for m in _DOUBLE_SPACE.finditer(mt):
        out.append(Suggestion("spacing", "Fluency/Punctuation", "Minor", m.start(), m.end(),
                              "Double space."))
    for m in _NO_SPACE_AFTER.finditer(mt):
        token = _token_at(mt, m.start())
        if "://" in token or token.lower().startswith(("http", "www.", "mailto:")):
            continue
        out.append(Suggestion("spacing", "Fluency/Punctuation", "Minor", m.start(), m.end(),
                              f"No space after {m.group(1)!r}."))
    if base_lang(ctx.target_lang) != "fr":
        for m in _SPACE_BEFORE.finditer(mt):
            out.append(Suggestion("spacing", "Fluency/Punctuation", "Minor", m.start(), m.end(),
                                  f"Space before {mt[m.end()]!r}."))
    return sorted(out, key=lambda s: s.start or 0)


_DOUBLED = re.compile(r"\b([^\W\d_]+)\s+(\1)\b", re.IGNORECASE)
_DOUBLE_OK = {"had", "that", "bye", "no", "yes", "ha", "so", "knock", "tut", "hush"}


def check_doubled_words(ctx: CheckContext) -> list[Suggestion]:
    if not _latin_target(ctx):
        return []
    return [Suggestion("doubled_words", "Fluency/Grammar", "Minor", m.start(2), m.end(2),
                       f"Doubled word: {m.group()!r}.")
            for m in _DOUBLED.finditer(_text(ctx.mt)) if m.group(1).lower() not in _DOUBLE_OK]


_PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "「": "」", "『": "』", "（": "）",
          "【": "】", "《": "》", "〈": "〉", "«": "»"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def _brackets(text: str) -> list[tuple[int, str]]:
    """Unbalanced brackets/quotes, allowing a quotation that runs on into the next segment
    (an opener with no closer after it) or began in the previous one (a closer with no
    opener before it)."""
    stack: list[tuple[int, str]] = []
    unmatched: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if ch == '"':
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < len(text) else " "
            opening = (prev.isspace() or prev in "([{—–-/") and not nxt.isspace()
            if not opening and stack and stack[-1][1] == '"':
                stack.pop()
            elif opening:
                stack.append((i, '"'))
            else:
                unmatched.append((i, '"'))
        elif ch in _PAIRS:
            stack.append((i, ch))
        elif ch in _CLOSERS:
            if stack and stack[-1][1] == _CLOSERS[ch]:
                stack.pop()
            elif any(o == _CLOSERS[ch] for _, o in stack):
                while stack and stack[-1][1] != _CLOSERS[ch]:
                    unmatched.append(stack.pop())
                stack.pop()
            else:
                unmatched.append((i, ch))
    leftovers = sorted(unmatched + stack)
    openers = [p for p, ch in leftovers if ch in _PAIRS or (ch == '"' and (p, ch) in stack)]
    closers = [p for p, _ in leftovers if p not in openers]
    if openers and closers and max(closers) > min(openers):
        return leftovers  # '(2023]': an opener closed by the wrong partner
    result = []
    for pos, ch in leftovers:
        if ch in _PAIRS or (ch == '"' and (pos, ch) in stack):  # an opener
            closer = _PAIRS.get(ch, '"')
            if closer not in text[pos + 1:]:
                continue
        else:  # a closer
            opener = _CLOSERS.get(ch, '"')
            if opener not in text[:pos]:
                continue
        result.append((pos, ch))
    return sorted(result)


def check_brackets(ctx: CheckContext) -> list[Suggestion]:
    mt = _text(ctx.mt)
    return [Suggestion("brackets", "Fluency/Punctuation", "Minor", pos, pos + 1,
                       f"Unbalanced {ch!r}: its partner is missing or misplaced.")
            for pos, ch in _brackets(mt)]


# --------------------------------------------------------------------------- tense

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


# --------------------------------------------------------------------------- length

MIN_PAIRS = 5
MIN_CHARS = 20


def _len(text: str) -> int:
    return len(re.sub(r"\s+", "", _text(text)))


def _cand_ratio(ctx: CheckContext) -> float | None:
    mt_len = _len(ctx.mt)
    ratios = [mt_len / _len(c) for c in (ctx.candidates or {}).values()
              if _len(c) >= MIN_CHARS]
    if mt_len < 1 or not ratios:
        return None
    return statistics.median(ratios)


def length_ratio(ctx: CheckContext) -> tuple[float, str] | None:
    """MT length against the source (or retranslations), relative to the article's norm:
    1.0 is usual, 0.5 half as long as usual. Also says what it was compared with."""
    stats = ctx.article
    mt_len = _len(ctx.mt)
    src_len = _len(ctx.source)
    if src_len >= MIN_CHARS // 2 and mt_len and stats and stats.ratio_source:
        return (mt_len / src_len) / stats.ratio_source, "the source"
    if mt_len >= MIN_CHARS and not src_len:
        ratio = _cand_ratio(ctx)
        if ratio is not None:
            norm = stats.ratio_candidates if stats and stats.ratio_candidates else 1.0
            return ratio / norm, "the retranslation"
    return None


def check_length(ctx: CheckContext) -> list[Suggestion]:
    """MT much shorter/longer than the article's norm against the source or retranslation."""
    found = length_ratio(ctx)
    if found is None:
        return []
    rel, against = found
    low, high = (0.4, 2.5) if against == "the source" else (0.5, 2.0)
    if low <= rel <= high:
        return []
    severity = "Major" if rel < 1 / 3 or rel > 3 else "Minor"
    if rel < 0.5:
        return [Suggestion("length", "Accuracy/Omission", severity, None, None,
                           f"The MT is {rel:.1f}x as long as usual against {against} in this "
                           "article: something may be missing.")]
    return [Suggestion("length", "Accuracy/Addition", severity, None, None,
                       f"The MT is {rel:.1f}x as long as usual against {against} in this "
                       "article: something may be added or repeated.")]


# --------------------------------------------------------------------------- glossary

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


# --------------------------------------------------------------------------- consistency

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
    grams = set()
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


# --------------------------------------------------------------------------- registry

CHECKS: dict[str, Check] = {c.name: c for c in [
    Check("numbers", "Numbers, percentages, fractions and years that differ from the source "
          "or the retranslations, or contradict each other.", check_numbers),
    Check("untranslated", "Chinese, Japanese or Korean text left in a Latin-script MT.",
          check_untranslated),
    Check("residue", "Web page residue inside the text (share prompts, photo credits, editor "
          "lines, tags).", check_residue),
    Check("glued", "Sentences or captions glued together with no space after the period.",
          check_glued),
    Check("spacing", "Double spaces, missing spaces after punctuation, spaces before it.",
          check_spacing),
    Check("fullwidth", "Full-width punctuation or digits in a Latin-script MT.", check_fullwidth),
    Check("doubled_words", "The same word twice in a row ('the the').", check_doubled_words),
    Check("brackets", "Unbalanced brackets and quotation marks.", check_brackets),
    Check("tense", "Future tense about a year that is already past.", check_tense),
    Check("length", "MT much shorter or longer than usual against the source or "
          "retranslation (omission or addition).", check_length),
    Check("glossary", "Required and forbidden terms from the team glossary.", check_glossary),
    Check("consistency", "Names and terms rendered differently across the article or from "
          "the retranslations.", check_consistency),
]}


def run_checks(ctx: CheckContext, names: Iterable[str] | None = None,
               strict: bool = False) -> list[Suggestion]:
    """Run the named checks (all by default) and return their suggestions in text order.

    A check that raises is logged and skipped, so one faulty check never blocks a review;
    ``strict=True`` re-raises instead (tests).
    """
    selected = list(CHECKS) if names is None else list(names)
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
    return sorted(out, key=lambda s: (s.start is not None, s.start or 0))


# --------------------------------------------------------------------------- neighbours

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
            mine.append(s)
    if next_sep == "" and _SENTENCE_END.search(text) and next_text[:1].isalpha():
        first = re.match(r"\w+", next_text)
        end = first.end() if first else 1
        tail = text[-12:]
        theirs.append(Suggestion(
            "glued", "Fluency/Punctuation", "Minor", 0, end,
            f"Glued to the previous sentence with no space: '…{tail}{next_text[:end]}'."))
    return mine, theirs


def residue_suggestion(text: str, kind: str) -> Suggestion:
    """A segment the importer recognised as web residue (share links, tags, captions...)."""
    return Suggestion(
        "residue", "Other", "Neutral", 0, len(text),
        f"Web page residue ({kind}): left out of scores and of the default export; "
        "remove it from the published article.")
