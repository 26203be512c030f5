"""Numbers in text, so a check can compare the numbers of an MT with its source or retranslation.

Understands ASCII and full-width digits, thousands separators, decimals, percentages
(``30%``, ``30 percent``, ``百分之三十``), fractions (``3/5``, ``三分之一``, ``two thirds``),
scale words (``1.5 billion``, ``15亿``, ``700多万``), Chinese numerals next to a measure word
(``十九个``, ``第十届``), English number words and month names (``November`` = 11, so
``11月10日`` finds its match in ``November 10``).

Chinese numerals without a measure word are left out on purpose: ``一`` and ``十`` hide in
ordinary words (一起 "together", 十分 "very", 统一市场 "unified market").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

FULLWIDTH = str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "\uff0e": ".", "\uff05": "%", "\uff0f": "/",
})
"""One character to one character, so offsets into the normalised text stay valid."""


@dataclass(frozen=True)
class NumberMention:
    """A number found in a text; ``start``/``end`` are character offsets into that text."""

    text: str
    start: int
    end: int
    value: float
    kind: str  # number | percent | fraction | ordinal | month | year
    digits: bool  # written with digits (not words or Chinese numerals)
    alts: tuple[float, ...] = ()  # other readings: the 1980s are also the 80s

    def keys(self) -> tuple[float, ...]:
        """Values this mention may appear as elsewhere (3/5 is also 60%, 30% also 0.3)."""
        if self.kind == "percent":
            return (self.value, self.value / 100, *self.alts)
        if self.kind == "fraction":
            return (self.value, self.value * 100, *self.alts)
        return (self.value, *self.alts)


def same_number(a: NumberMention, b: NumberMention) -> bool:
    """Equal values; percentages and fractions match within 2% ("about 1/3" ~ "33%")."""
    loose = a.kind in ("percent", "fraction") or b.kind in ("percent", "fraction")
    for x in a.keys():
        for y in b.keys():
            if math.isclose(x, y, rel_tol=1e-9):  # 1.1亿 = 110 million despite float error
                return True
            if loose and abs(x - y) <= 0.02 * max(abs(x), abs(y)):
                return True
    return False


# ------------------------------------------------------------------ English words

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth "
    "twentieth".split())}
_FRACTION_DENOMS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4,
                    "quarters": 4, "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5,
                    "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8,
                    "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10}
_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november "
    "december".split())}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items()) if m != "may"})
_MONTHS.pop("mar", None)  # "mar" is an English verb
_MONTHS.pop("may", None)  # "may" is far more often the verb; "May 4" is still found below

_SMALL = "|".join(sorted(list(_UNITS) + list(_TENS), key=len, reverse=True))
_NUM_WORD = rf"(?:{_SMALL})(?:-(?:{_SMALL}))?"
_SCALE_WORD = r"(?:hundred|thousand|million|billion|trillion)"
_WORD_NUMBER = re.compile(
    rf"\b{_NUM_WORD}(?:\s+{_SCALE_WORD}(?:\s+(?:and\s+)?{_NUM_WORD}(?:\s+{_SCALE_WORD})?)*)?"
    rf"(?:\s+(?:per\s?cent|percent))?\b",
    re.IGNORECASE,
)
_WORD_FRACTION = re.compile(
    rf"\b(a|an|one|{_SMALL})[\s-]+({'|'.join(_FRACTION_DENOMS)})\b", re.IGNORECASE)
_ORDINAL_WORD = re.compile(rf"\b({'|'.join(_ORDINALS)})\b", re.IGNORECASE)
_MONTH_WORD = re.compile(
    r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?|\bMay(?=\s+\d)",
    re.IGNORECASE,
)

# ------------------------------------------------------------------ digits

_DIGIT_NUMBER = re.compile(
    r"(?<![\d.,/])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
    r"(?:\s*/\s*(\d+)(?![\d.]))?"
    r"(?:\s*(%|per\s?cent\b|percent\b|percentage points?\b|(?:st|nd|rd|th)\b"
    r"|(?:\s(?:thousand|million|billion|trillion)\b)|[十百千万亿]+(?:多|余)?|s\b))?"
)

# ------------------------------------------------------------------ Chinese numerals

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS) + "".join(_CN_BIG_UNITS)
_CN_RUN = re.compile(f"[{_CN_CHARS}]+")
_CN_FRACTION = re.compile(f"([{_CN_CHARS}\\d]+)分之([{_CN_CHARS}\\d.]+)")
_CN_PERCENT = re.compile(f"百分之([{_CN_CHARS}\\d.]+)")
_CN_CLASSIFIERS = (
    "周年", "小时", "分钟", "公里", "个", "年", "月", "日", "号", "届", "次", "名", "人", "位",
    "家", "项", "座", "所", "条", "种", "批", "倍", "岁", "元", "块", "天", "周", "秒", "米",
    "吨", "架", "辆", "场", "期", "省", "市", "国", "户", "件", "例", "台", "部", "篇", "本",
    "张", "只", "头", "支", "股", "层", "版", "成", "多", "余", "大", "县", "区", "所",
)
_CN_IDIOMS = ("十分", "万一", "一一", "千万", "三三两两", "一二", "九九", "百分百", "万万", "三五",
               "七八", "十之八九")


def parse_chinese_numeral(text: str) -> float | None:
    """Value of a Chinese numeral such as 十九, 二十三, 一百零五, 两万, 三千五百万."""
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    total, section, digit = 0.0, 0.0, None
    seen = False
    for ch in text:
        if ch.isdigit():
            digit = (digit or 0) * 10 + int(ch)
            seen = True
        elif ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch] if digit is None else digit * 10 + _CN_DIGITS[ch]
            seen = True
        elif ch in _CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * _CN_SMALL_UNITS[ch]
            digit = None
            seen = True
        elif ch in _CN_BIG_UNITS:
            section += digit or 0
            total = (total + section) * _CN_BIG_UNITS[ch] if ch == "亿" else \
                total + section * _CN_BIG_UNITS[ch]
            if section == 0 and total == 0:
                total = _CN_BIG_UNITS[ch]
            section, digit = 0.0, None
            seen = True
        else:
            return None
    if not seen:
        return None
    return total + section + (digit or 0)


def _num(int_part: str, frac_part: str | None) -> float:
    text = int_part.replace(",", "") + ("." + frac_part if frac_part else "")
    return float(text)


def _scale(word: str) -> float:
    word = word.strip().rstrip("多余").lower()
    if word in _SCALES:
        return _SCALES[word]
    scale = 1.0
    for ch in word:  # 万亿 = 10^12, 千万 = 10^7
        scale *= {"十": 10, "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8}.get(ch, 1.0)
    return scale


def extract_numbers(text: str) -> list[NumberMention]:
    """All numbers in ``text``, in order of position; overlapping readings are merged."""
    if not text:
        return []
    norm = text.translate(FULLWIDTH)
    found: list[NumberMention] = []
    taken = [False] * len(norm)

    def add(start: int, end: int, value: float, kind: str, digits: bool,
            alts: tuple[float, ...] = ()) -> None:
        if start >= end or any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        found.append(NumberMention(text[start:end], start, end, value, kind, digits, alts))

    for m in _CN_PERCENT.finditer(norm):
        v = parse_chinese_numeral(m.group(1))
        if v is not None:
            add(m.start(), m.end(), v, "percent", False)
    for m in _CN_FRACTION.finditer(norm):
        den, numer = parse_chinese_numeral(m.group(1)), parse_chinese_numeral(m.group(2))
        if den and numer is not None:
            add(m.start(), m.end(), numer / den, "fraction", False)
    for m in _DIGIT_NUMBER.finditer(norm):
        int_part, frac_part, denom, suffix = m.groups()
        value = _num(int_part, frac_part)
        suffix = (suffix or "").strip().lower()
        if denom is not None and not frac_part:
            d = float(denom)
            if 0 < value < d <= 100:
                add(m.start(), m.end(), value / d, "fraction", True)
                continue
            # not a fraction (a date or a score): read the two numbers separately
            add(m.start(1), m.end(1), value, "number", True)
            add(m.start(3), m.end(3), d, "number", True)
            continue
        end = m.end() if suffix else (m.end(2) if frac_part else m.end(1))
        if suffix.startswith(("%", "per", "percent")):
            add(m.start(), end, value, "percent", True)
        elif suffix in ("st", "nd", "rd", "th"):
            add(m.start(), end, value, "ordinal", True)
        elif suffix == "s":  # the 1980s / the 80s
            alts = (value % 100,) if value >= 1000 else ()
            add(m.start(), end, value, "year" if value >= 1000 else "number", True, alts)
        elif suffix:
            add(m.start(), end, value * _scale(suffix), "number", True)
        else:
            if not frac_part and len(int_part) == 4 and 1800 <= value <= 2100:
                add(m.start(), end, value, "year", True, (value % 100,))  # '92 for 1992
            else:
                add(m.start(), end, value, "number", True)
    for m in _CN_RUN.finditer(norm):
        run = m.group()
        if any(idiom in run for idiom in _CN_IDIOMS):
            continue
        after = norm[m.end():m.end() + 2]
        before = norm[m.start() - 1:m.start()] if m.start() else ""
        if before in ("数", "几", "上", "成", "近", "好") and run in ("十", "百", "千", "万"):
            continue  # 数十 "dozens", 几百 "hundreds", 上千 "thousands": no exact number
        digit_by_digit = len(run) >= 2 and all(ch in _CN_DIGITS for ch in run)  # 九二 = 92
        if not (before == "第" or after.startswith(_CN_CLASSIFIERS) or digit_by_digit):
            continue
        if run == "一" and before != "第":
            continue  # 一个/一名 are mostly the article "a"
        if run in ("两", "二") and before != "第" and not after.startswith(
                ("个", "年", "月", "日", "届", "次", "倍", "岁", "周年", "万", "亿")):
            continue
        v = parse_chinese_numeral(run)
        if v is not None:
            start = m.start() - 1 if before == "第" else m.start()
            add(start, m.end(), v, "ordinal" if before == "第" else "number", False)
    for m in _WORD_FRACTION.finditer(norm):
        numer_word, denom_word = m.group(1).lower(), m.group(2).lower()
        numer = 1 if numer_word in ("a", "an") else _word_value(numer_word)
        if numer is not None:
            add(m.start(), m.end(), numer / _FRACTION_DENOMS[denom_word], "fraction", False)
    for m in _WORD_NUMBER.finditer(norm):
        words = m.group().lower()
        v = _word_value(words)
        if v is not None:
            kind = "percent" if "cent" in words else "number"
            add(m.start(), m.end(), v, kind, False)
    for m in _ORDINAL_WORD.finditer(norm):
        add(m.start(), m.end(), float(_ORDINALS[m.group(1).lower()]), "ordinal", False)
    for m in _MONTH_WORD.finditer(norm):
        name = (m.group(1) or "may").lower()
        if name in _MONTHS or name == "may":
            add(m.start(), m.end(), float(_MONTHS.get(name, 5)), "month", False)
    found.sort(key=lambda n: n.start)
    return found


def _word_value(words: str) -> float | None:
    """Value of 'twenty-five', 'three hundred', 'thirty percent' (percent word ignored)."""
    parts = re.split(r"[\s-]+", words.lower().replace("per cent", "percent"))
    total = 0.0
    current = 0.0
    seen = False
    for part in parts:
        if part in _UNITS:
            current += _UNITS[part]
            seen = True
        elif part in _TENS:
            current += _TENS[part]
            seen = True
        elif part in _SCALES:
            current = max(current, 1) * _SCALES[part]
            if _SCALES[part] >= 1000:
                total += current
                current = 0
        elif part in ("percent", "a", "an", "one", "and", ""):
            continue
        else:
            return None
    return total + current if seen else None
