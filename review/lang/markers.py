"""Language markers a scraped page carries ("English version", "(Chinese)"),
so an import can tell the language without guessing from the text.
"""

from __future__ import annotations

import re

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
LANGUAGE_MARKER = re.compile(
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
    match = LANGUAGE_MARKER.fullmatch(text.strip())
    if match is None:
        return None
    name = next(group for group in match.groups() if group)
    return LANGUAGE_NAMES.get(name.lower())
