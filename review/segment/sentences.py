"""Paragraph -> sentences, losslessly (each sentence keeps the separator before
it): CJK punctuation rules, pysbd for the languages it knows, and sentences glued without a
space split apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

from review.core.vocab import SPACELESS_LANGS, base_lang
from review.segment.residue import classify_line

CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_SENTENCE = re.compile(
    r"[^。！？!?｡．]*[。！？!?｡．]+[”’」』）)\]】〉》\"'〕]*|[^。！？!?｡．]+"
)
_WS_SPLIT = re.compile(r"^(\s*)(.*?)(\s*)$", re.S)
_CAPTION_START = re.compile(
    r"(?:photo(?:graph)?s?\s+(?:by|courtesy|credit|from)|photographed\s+by"
    r"|(?:xinhua|cns|cfp|vcg)\s+photo|(?:image|picture|photo)\s+source|the\s+picture\s+shows"
    r"|\(\s*photo)",
    re.I,
)
_GLUE = re.compile(r"(?<=[a-z0-9)”\"][.!?])(?=[A-Z(])")


def split_sentences(paragraph: str, lang: str) -> list[tuple[str, str]]:
    """Split into ``(separator_before, sentence)`` pairs that join back to ``paragraph``.

    Sentences carry no leading whitespace; the paragraph's trailing whitespace stays on the
    last sentence. A whitespace-only paragraph is one pair with an empty sentence.
    """
    if not paragraph:
        return []
    lead = len(paragraph) - len(paragraph.lstrip())
    if lead == len(paragraph):
        return [(paragraph, "")]
    starts = _sentence_starts(paragraph, lang, lead)
    starts = _split_glued(paragraph, starts)
    pairs: list[tuple[str, str]] = []
    prev_end = 0
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(paragraph)
        chunk = paragraph[start:end]
        body = chunk.rstrip() if i + 1 < len(starts) else chunk
        pairs.append((paragraph[prev_end:start], body))
        prev_end = start + len(body)
    return pairs


def _sentence_starts(paragraph: str, lang: str, lead: int) -> list[int]:
    """Offsets where sentences begin (first one at ``lead``), strictly increasing."""
    if _uses_cjk_rules(paragraph, lang):
        pieces = [m.group(0) for m in _CJK_SENTENCE.finditer(paragraph)]
    else:
        pieces = _pysbd_pieces(paragraph, lang)
    starts = [lead]
    cursor = lead
    for piece in pieces:
        needle = piece.strip()
        if not needle:
            continue
        found = paragraph.find(needle, cursor)
        if found < 0:
            continue  # the splitter changed the text: merge into the previous sentence
        if found > starts[-1] and paragraph[starts[-1]:found].strip():
            starts.append(found)
        cursor = found + len(needle)
    return starts


def _uses_cjk_rules(paragraph: str, lang: str) -> bool:
    if base_lang(lang) in SPACELESS_LANGS:
        return True
    letters = sum(1 for ch in paragraph if ch.isalpha())
    return letters > 0 and len(CJK_CHAR.findall(paragraph)) / letters > 0.5


_PYSBD_LANGS = frozenset({
    "am", "ar", "bg", "da", "de", "el", "en", "es", "fa", "fr", "hi", "hy", "it", "ja",
    "kk", "mr", "my", "nl", "pl", "ru", "sk", "ur", "zh",
})


@lru_cache(maxsize=16)
def _segmenter(lang: str):  # noqa: ANN202 - pysbd has no type hints
    import pysbd

    return pysbd.Segmenter(language=lang, clean=False)


def _pysbd_pieces(paragraph: str, lang: str) -> list[str]:
    code = base_lang(lang)
    try:
        return list(_segmenter(code if code in _PYSBD_LANGS else "en").segment(paragraph))
    except Exception:  # noqa: BLE001 - a segmenter bug must not lose the text: keep it whole
        return [paragraph]


def _split_glued(paragraph: str, starts: list[int]) -> list[int]:
    """Split sentences glued without a space, as scraping leaves them ("Conference.Photo by")."""
    result: list[int] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(paragraph)
        result.append(start)
        for match in _GLUE.finditer(paragraph, start, end):
            cut = match.start()
            if cut <= result[-1] or not paragraph[cut:end].strip():
                continue
            rest = paragraph[cut:end]
            if _CAPTION_START.match(rest) or classify_line(rest) == "caption":
                result.append(cut)
    return result
