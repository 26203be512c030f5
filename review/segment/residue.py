"""The rules that tell web page residue (share prompts, credits, datelines, tags)
apart from the body, one named rule per pattern so a test and a reviewer can see which fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from review.lang.markers import LANGUAGE_MARKER


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
    _rule("language_marker", "metadata", LANGUAGE_MARKER.pattern),
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
