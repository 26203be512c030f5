"""Scraped article text -> paragraphs -> sentences, with web residue told apart from the body.

Reviewers should spend their time on the translation, not on "Share so more people can see
it" or a photo credit glued to the end of a sentence, so every segment gets a kind
(``title``, ``body``, ``caption``, ``boilerplate``, ``metadata``) and residue can be hidden,
skipped by checks and left out of exports.

Paragraphs: scraped pages put one paragraph per line, so every non-empty line is a paragraph
(a blank line is not required between them). Hard-wrapped prose therefore becomes one
paragraph per line; unwrap such text before importing it.

Every split is lossless: each segment keeps the separator that preceded it inside its
paragraph (``meta["sep"]``), so ``join_paragraph`` gives the paragraph back exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from review.errors import InputError
from review.formats.base import DocArticle, DocSegment
from review.vocab import RESIDUE_KINDS, SPACELESS_LANGS, base_lang

# --------------------------------------------------------------------------- languages

LANGUAGE_NAMES: dict[str, str] = {
    "chinese": "zh", "mandarin": "zh", "english": "en", "japanese": "ja", "korean": "ko",
    "german": "de", "french": "fr", "spanish": "es", "russian": "ru", "arabic": "ar",
    "portuguese": "pt", "italian": "it", "vietnamese": "vi", "dutch": "nl", "polish": "pl",
    "turkish": "tr", "thai": "th", "indonesian": "id", "malay": "ms", "hindi": "hi",
    "ukrainian": "uk", "czech": "cs", "swedish": "sv", "danish": "da", "norwegian": "no",
    "finnish": "fi", "greek": "el", "hebrew": "he", "persian": "fa", "hungarian": "hu",
    "romanian": "ro", "bulgarian": "bg", "urdu": "ur", "bengali": "bn", "tamil": "ta",
    "mongolian": "mn", "kazakh": "kk", "uyghur": "ug", "tibetan": "bo", "cantonese": "yue",
}
"""English language names as they appear in markers -> ISO 639-1 codes (639-3 for yue)."""


_LANG_NAME = r"([A-Za-z]+)"
_LANGUAGE_MARKER = re.compile(
    r"[(\[（【]?\s*(?:"
    rf"(?:the\s+|this\s+)?(?:article|story|text|report|original(?:\s+(?:text|article|version))?)"
    rf"\s+(?:is\s+|was\s+)?(?:(?:written|published|originally)\s+){{0,2}}in\s+(?:the\s+)?"
    rf"{_LANG_NAME}"
    rf"|original(?:\s+(?:text|article|version|language))?\s*[:：]\s*{_LANG_NAME}"
    rf"|(?:translated|translation)\s+from\s+(?:the\s+)?{_LANG_NAME}(?:\s+original)?"
    r")\s*(?:only|original|version)?\s*[.。]?\s*[)\]）】]?",
    re.IGNORECASE,
)


def detect_language_marker(text: str) -> str | None:
    """ISO code named by a line such as "The article is in Chinese", else None."""
    match = _LANGUAGE_MARKER.fullmatch(text.strip())
    if match is None:
        return None
    name = next(group for group in match.groups() if group)
    return LANGUAGE_NAMES.get(name.lower())


# --------------------------------------------------------------------------- residue rules


@dataclass(frozen=True)
class ResidueRule:
    """One kind of web residue: a line that ``pattern`` matches in full is of ``kind``.

    ``max_len`` keeps short-line rules (navigation words) from swallowing body sentences.
    """

    name: str
    kind: str
    pattern: re.Pattern[str]
    max_len: int = 300


def _rule(name: str, kind: str, pattern: str, max_len: int = 300, flags: int = re.I) -> ResidueRule:
    return ResidueRule(name, kind, re.compile(pattern, flags), max_len)


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"
_TIME = r"(?:[,\s]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?"
_ZONE = r"(?:\s*(?:gmt|utc|cst|bjt|beijing time)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)?"
_DATE = (
    rf"(?:{_WEEKDAY})?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)
_OPEN = r"[(（\[【]"
_CLOSE = r"[)）\]】]"

RESIDUE_RULES: tuple[ResidueRule, ...] = (
    # metadata: facts about the page, kept in exports on request
    _rule("editors", "metadata",
          rf"{_OPEN}?\s*(?:(?:responsible\s+)?editors?|editor-in-chief|proofread(?:er|ing)?"
          rf"|reviewed\s+by|责任编辑|编辑|校对)\s*[:：].*?{_CLOSE}?"),
    _rule("language_marker", "metadata", _LANGUAGE_MARKER.pattern),
    _rule("source", "metadata", rf"{_OPEN}?\s*(?:source|来源|出处)\s*[:：].*"),
    _rule("byline", "metadata", r"(?:author|reporter|writer|correspondent|作者|记者)\s*[:：].*",
          max_len=120),
    _rule("dateline", "metadata",
          rf"(?:(?:published|updated|posted|date|time|发布时间|时间)\s*[:：]\s*)?"
          rf"{_DATE}{_TIME}{_ZONE}\.?"),
    # captions: photo credits and picture descriptions
    _rule("photo_by", "caption",
          r"(?:photo(?:graph)?s?|pictures?|images?|pics?|video)\s+"
          r"(?:by|courtesy(?:\s+of)?|credits?|from|provided\s+by)\b.*", max_len=200),
    _rule("photo_in_brackets", "caption",
          rf"{_OPEN}\s*(?:photos?|photographs?|pictures?|images?|pics?|file\s+photo)\b.*{_CLOSE}"),
    _rule("agency_photo", "caption",
          r"(?:xinhua|people'?s\s+daily(?:\s+online)?|china\s+daily|cns|cfp|vcg|ic|afp|reuters"
          r"|ap|getty\s+images)(?:\s+news\s+agency)?\s+(?:photo|photograph|file\s+photo)\b.*",
          max_len=200),
    _rule("agency_slash", "caption",
          rf"{_OPEN}\s*(?:xinhua|cns|cfp|vcg|afp|reuters|ap)\s*/\s*[^)）\]】]+{_CLOSE}",
          max_len=120),
    _rule("photographed_by", "caption", r"(?:[^.!?。]{0,80}\s)?photographed\s+by\b.*", max_len=200),
    _rule("picture_shows", "caption",
          r"(?:the\s+|this\s+|above\s+|below\s+|top\s+|bottom\s+)?(?:pictures?|photos?|images?)"
          r"\s+(?:shows?|above|below)\b.*|pictured\s*[:：].*"),
    _rule("image_source", "caption",
          r"(?:image|picture|photo|pic)\s+(?:source|credit)s?\s*[:：].*", max_len=200),
    _rule("cjk_caption", "caption", r"(?:图为|图片来源|图片由|资料图).*|[^。！？!?]{0,40}摄[)）]?",
          max_len=120),
    # boilerplate: page furniture, never part of the translation
    _rule("share", "boilerplate",
          r"share\s+(?:so\b|this\b|it\b|to\b|on\b|with\b|via\b).*|share\s*[:：]?|分享到?.{0,20}",
          max_len=120),
    _rule("breaking_news", "boilerplate",
          r"(?:breaking|latest|hot|top|today'?s)\s+(?:news|stories|headlines)\s*[:：]?"),
    _rule("next_link", "boilerplate", r"(?:NEXT|PREV(?:IOUS)?)\b.*", flags=0),
    _rule("next_article", "boilerplate",
          r"(?:next|previous|prev)\s*(?:article|story|post|page|news)?\s*[:：>»›].*"
          r"|(?:上|下)一篇\s*[:：]?.*"),
    _rule("tags", "boilerplate", r"(?:tags?|keywords?|标签|关键词)\s*[:：].*"),
    _rule("qr_code", "boilerplate",
          r"(?:scan|please\s+scan|use\s+\w+\s+to\s+scan)\s+(?:the\s+|this\s+)?qr\s+code.*"
          r"|(?:扫码|扫描二维码|长按识别).*", max_len=200),
    _rule("editor_in_charge", "boilerplate", r"editor\s+in\s+charge\b.*", max_len=120),
    _rule("copyright", "boilerplate",
          r"(?:copyright|©|\(c\)|版权所有).*|.*\ball\s+rights\s+reserved\b.*", max_len=400),
    _rule("page_furniture", "boilerplate",
          rf"{_OPEN}?\s*(?:print(?:\s+this\s+(?:page|article))?|close(?:\s+window)?|e-?mail"
          r"|comments?|related(?:\s+(?:news|articles?|reading|stories|reports|links|content))?"
          r"|recommended(?:\s+(?:reading|news|articles?|for\s+you))?|read\s+more|more\s+news"
          r"|back\s+to\s+top|return\s+to\s+top|top|home|font\s+size.*|large|medium|small"
          rf"|打印|关闭|返回顶部|相关(?:新闻|阅读)|推荐阅读){_CLOSE}?\s*[:：]?"
          rf"(?:\s*{_OPEN}?\s*(?:print|close|large|medium|small|打印|关闭){_CLOSE}?)*",
          max_len=80),
    _rule("follow_us", "boilerplate",
          r"(?:follow\s+us\s+on|click\s+here\s+to|download\s+the\s+\w+\s+app|disclaimer\s*[:：])"
          r".*", max_len=200),
)
"""Tried in order; the first rule whose pattern matches the whole stripped line wins."""


def classify_line(text: str) -> str:
    """Kind of one line or sentence out of context ("title" is decided by position)."""
    return _match_rule(text)[0]


def residue_rule(text: str) -> str | None:
    """Name of the rule that marks ``text`` as residue, or None for body text (debugging)."""
    return _match_rule(text)[1]


def _match_rule(text: str) -> tuple[str, str | None]:
    stripped = text.strip()
    if not stripped:
        return "body", None
    for rule in RESIDUE_RULES:
        if len(stripped) <= rule.max_len and rule.pattern.fullmatch(stripped):
            return rule.kind, rule.name
    return "body", None


# --------------------------------------------------------------------------- sentences

_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
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
    return letters > 0 and len(_CJK_CHAR.findall(paragraph)) / letters > 0.5


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


# --------------------------------------------------------------------------- articles

ONLY_RESIDUE = (
    "{what} contains only web residue (share links, tags, captions); nothing to review. "
    "Check that the file holds the article text."
)


def segment_article(
    text: str,
    *,
    source_lang: str | None = None,
    target_lang: str = "en",
    title: str | None = None,
    what: str = "The text",
) -> DocArticle:
    """Cut a target-language article into kinded segments; see the module docstring.

    The first non-residue line is the title segment. With an explicit ``title`` the first
    line is the title segment only if it says the same thing; otherwise the text is taken to
    have no title line and all of it is body.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paragraphs = [line for line in lines if line]
    if not paragraphs:
        raise InputError(f"{what} is empty; nothing to review.")
    marker = next((code for p in paragraphs if (code := detect_language_marker(p))), None)
    segments: list[DocSegment] = []
    title_seen = False
    for index, paragraph in enumerate(paragraphs):
        kind = classify_line(paragraph)
        if not title_seen and kind == "body":
            title_seen = True
            if (_same_title(title, paragraph) if title is not None
                    else _looks_like_title(paragraph, target_lang)):
                segments.append(DocSegment(mt=paragraph, kind="title", paragraph=index,
                                           meta={"sep": ""}))
                continue
        if kind != "body" and not _caption_after_body(kind, paragraph, target_lang):
            segments.append(DocSegment(mt=paragraph, kind=kind, paragraph=index,
                                       meta={"sep": ""}))
            continue
        for sep, sentence in split_sentences(paragraph, target_lang):
            segments.append(DocSegment(mt=sentence, kind=classify_line(sentence),
                                       paragraph=index, meta={"sep": sep}))
    if all(seg.kind in RESIDUE_KINDS for seg in segments):
        raise InputError(ONLY_RESIDUE.format(what=what))
    for position, seg in enumerate(segments):
        seg.position = position
    heading = title if title is not None else _shorten(next(
        seg.mt for seg in segments if seg.kind not in RESIDUE_KINDS))
    return DocArticle(
        title=heading.strip(),
        source_lang=source_lang or marker or "",
        target_lang=target_lang,
        segments=segments,
    )


TITLE_MAX_CHARS = 300
"""A first line longer than this (or than half of it with several sentences) is body text."""


def _looks_like_title(line: str, lang: str) -> bool:
    """Headlines are one short line; a text without one starts straight with a paragraph."""
    if len(line) > TITLE_MAX_CHARS:
        return False
    return len(line) <= TITLE_MAX_CHARS // 2 or len(split_sentences(line, lang)) == 1


def _shorten(text: str, limit: int = 120) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + "…"


def _caption_after_body(kind: str, paragraph: str, lang: str) -> bool:
    """A caption pattern matched a line that opens with a body sentence: split that line."""
    if kind != "caption":
        return False
    pairs = split_sentences(paragraph, lang)
    return len(pairs) > 1 and classify_line(pairs[0][1]) == "body"


def _same_title(given: str, line: str) -> bool:
    return " ".join(given.split()).casefold() == " ".join(line.split()).casefold()


# --------------------------------------------------------------------------- rebuilding


def segment_text(seg: DocSegment, *, use_corrected: bool = True) -> str:
    """The text a segment stands for now: the correction when there is one."""
    if use_corrected and seg.corrected is not None:
        return seg.corrected
    return seg.mt


def _default_sep(before: str, after: str) -> str:
    if not before or not after:
        return ""
    if _CJK_CHAR.match(before[-1]) or before[-1] in "。！？｡．”」』）" or _CJK_CHAR.match(after[0]):
        return ""
    return " "


def join_paragraph(segments: Iterable[DocSegment], *, use_corrected: bool = True) -> str:
    """One paragraph's text from its segments, using each one's recorded separator.

    Segments from formats that record no separator are joined with a space, or with nothing
    between CJK sentences.
    """
    out = ""
    for seg in segments:
        text = segment_text(seg, use_corrected=use_corrected)
        sep = seg.meta.get("sep") if seg.meta else None
        if not isinstance(sep, str):
            sep = _default_sep(out, text)
        out += (sep if out else "") + text
    return out


def paragraphs_of(segments: Iterable[DocSegment]) -> list[list[DocSegment]]:
    """Consecutive runs of segments sharing a paragraph number."""
    groups: list[list[DocSegment]] = []
    for seg in segments:
        if groups and groups[-1][-1].paragraph == seg.paragraph:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    return groups


def rebuild_text(article: DocArticle, *, include_residue: bool = True,
                 use_corrected: bool = True) -> str:
    """The article as plain text: paragraphs separated by a blank line, ending in a newline."""
    kept = [seg for seg in article.segments
            if include_residue or seg.kind not in RESIDUE_KINDS]
    paragraphs = [join_paragraph(group, use_corrected=use_corrected)
                  for group in paragraphs_of(kept)]
    paragraphs = [p for p in paragraphs if p.strip()]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""
