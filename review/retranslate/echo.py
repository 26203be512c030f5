"""A model-free backend for tests and demos."""

from __future__ import annotations

from review.retranslate.protocol import Translations


class EchoTranslator:
    """Test and demo backend, no model: returns each text tagged with the target language.

    ``"Hello"`` from en to zh gives ``"[zh] Hello"``; empty texts give "". It counts its
    calls (``calls``, ``generate_calls``) and keeps every text it was asked for (``seen``) so
    tests can assert cache behaviour. Not for real use.
    """

    def __init__(self, name: str = "echo") -> None:
        self.name = name
        self.calls = 0
        self.seen: list[str] = []
        self.truncated: list[int] = []

    @property
    def generate_calls(self) -> int:
        return self.calls

    def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]:
        self.calls += 1
        self.seen.extend(texts)
        return Translations(f"[{tgt_lang}] {t}" if t.strip() else "" for t in texts)
