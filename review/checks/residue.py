"""Web page residue inside the text (share prompts, photo credits, tags) and
sentences glued together with no space after the period.
"""

from __future__ import annotations

import re

from review.checks.context import CheckContext, Suggestion
from review.checks.text import _latin_target, _text, _token_at

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
    out: list[Suggestion] = []
    taken: list[tuple[int, int]] = []
    for pattern, what in _RESIDUE:
        for m in pattern.finditer(mt):
            if m.group().strip() and not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                out.append(Suggestion("residue", "Other", "Minor", m.start(), m.end(),
                                      f"Web page residue ({what}) inside the text: "
                                      f"{m.group().strip()!r}; remove it or mark the segment "
                                      "as boilerplate."))
    return out


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


def residue_suggestion(text: str, kind: str) -> Suggestion:
    """A segment the importer recognised as web residue (share links, tags, captions...)."""
    return Suggestion(
        "residue", "Other", "Neutral", 0, len(text),
        f"Web page residue ({kind}): left out of scores and of the default export; "
        "remove it from the published article.")
