"""Language codes per model family (NLLB, M2M, mBART, Marian) and the direction an
opus-mt model's name declares; plain string work, no model needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_NLLB = {
    "zh": "zho_Hans", "zh-hans": "zho_Hans", "zh-cn": "zho_Hans", "zh-hant": "zho_Hant",
    "zh-tw": "zho_Hant", "zh-hk": "zho_Hant", "zh-sg": "zho_Hans", "en": "eng_Latn",
    "de": "deu_Latn", "fr": "fra_Latn", "es": "spa_Latn", "it": "ita_Latn", "pt": "por_Latn",
    "ru": "rus_Cyrl", "uk": "ukr_Cyrl",
    "ja": "jpn_Jpan", "ko": "kor_Hang", "ar": "arb_Arab", "cs": "ces_Latn", "pl": "pol_Latn",
    "nl": "nld_Latn", "tr": "tur_Latn", "he": "heb_Hebr", "hi": "hin_Deva", "vi": "vie_Latn",
    "id": "ind_Latn", "th": "tha_Thai",
}
_MBART50 = {
    "zh": "zh_CN", "zh-hans": "zh_CN", "zh-cn": "zh_CN", "en": "en_XX", "de": "de_DE",
    "fr": "fr_XX", "es": "es_XX", "it": "it_IT", "pt": "pt_XX", "ru": "ru_RU", "uk": "uk_UA",
    "ja": "ja_XX", "ko": "ko_KR", "ar": "ar_AR",
    "cs": "cs_CZ", "pl": "pl_PL", "nl": "nl_XX", "tr": "tr_TR", "he": "he_IL", "hi": "hi_IN",
    "vi": "vi_VN", "id": "id_ID", "th": "th_TH",
}
_MARIAN_TARGETS = {
    "zh": ["cmn_Hans", "zho_Hans", "zho", "cmn"], "en": ["eng"], "de": ["deu"],
    "fr": ["fra"], "es": ["spa"], "ja": ["jpn"], "ru": ["rus"],
}


def model_family(model_type: str, tokenizer_class: str, has_token: Callable[[str], bool]) -> str:
    """How a model wants its languages named: nllb, m2m100, mbart50, madlad, marian or plain."""
    if tokenizer_class.startswith("Nllb"):
        return "nllb"
    if tokenizer_class.startswith("M2M100"):
        return "m2m100"
    if tokenizer_class.startswith("MBart50"):
        return "mbart50"
    if model_type == "marian":
        return "marian"
    if has_token("<2en>"):
        return "madlad"
    return "plain"


def _base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


_ISO3 = {"zho": "zh", "cmn": "zh", "chi": "zh", "eng": "en", "deu": "de", "ger": "de",
         "fra": "fr", "fre": "fr", "spa": "es", "ita": "it", "por": "pt", "rus": "ru",
         "ukr": "uk", "jpn": "ja", "kor": "ko", "ara": "ar", "ces": "cs", "pol": "pl",
         "nld": "nl", "tur": "tr", "heb": "he", "hin": "hi", "vie": "vi", "ind": "id",
         "tha": "th"}
_OPUS_NAME = re.compile(r"opus-mt-(?:tc-big-)?([a-z]{2,3})-([a-z]{2,3})$")


def declared_direction(name: str, source_lang: str | None = None,
                       target_lang: str | None = None) -> tuple[str, str] | None:
    """The one direction a per-direction model translates, when it says so clearly.

    From the tokenizer's ``source_lang``/``target_lang`` or an ``opus-mt-xx-yy`` name;
    None for multilingual models (``mul``) and anything unclear.
    """
    pair: tuple[str, str] | None = None
    if source_lang and target_lang:
        pair = (source_lang, target_lang)
    elif found := _OPUS_NAME.search(name.rstrip("/\\").lower()):
        pair = (found.group(1), found.group(2))
    if pair is None:
        return None
    codes = tuple(_ISO3.get(_base(code), _base(code)) for code in pair)
    if any(len(code) != 2 for code in codes):
        return None
    return codes[0], codes[1]


def language_codes(family: str, lang: str) -> list[str]:
    """Candidate spellings of ``lang`` for a model family, the most specific first."""
    low = lang.replace("_", "-").lower()
    codes: list[str] = []
    if family in ("nllb", "mbart50"):
        table = _NLLB if family == "nllb" else _MBART50
        # Own codes (deu_Latn, de_DE) pass through. A Chinese variant missing from the table
        # (zh-Hant for mBART-50) gets no code rather than the other script's.
        found = lang if "_" in lang else table.get(low)
        if found is None and _base(lang) != "zh":
            found = table.get(_base(lang))
        codes = [found] if found else []
    elif family == "m2m100":
        codes = [_base(lang)]
    elif family == "madlad":
        codes = [f"<2{lang}>", f"<2{_base(lang)}>"]
    elif family == "marian":
        codes = [f">>{n}<<" for n in (lang, _base(lang), *_MARIAN_TARGETS.get(_base(lang), []))]
    return list(dict.fromkeys(codes))


def _example_code(family: str) -> str:
    return {"nllb": "zho_Hans", "mbart50": "zh_CN", "m2m100": "zh", "madlad": "<2zh>",
            "marian": ">>cmn_Hans<<"}.get(family, "zh")
