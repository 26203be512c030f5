"""Retranslation engine: the Translator protocol, a transformers backend, modes and a cache.

Reviewers compare the machine translation (MT) with a model's retranslation. Three modes:

- ``source``: translate the source text (source language -> target language).
- ``roundtrip``: translate the MT back into the source language (the *pivot*) and forward
  again (the *back-translation*); both legs come back so both can be stored. Useful when no
  source text is at hand.
- ``ape``: rewrite the MT with a text-to-text model (target -> target), "automatic
  post-editing".

``run_retranslation`` works through chunks (progress and cancellation between chunks) and asks
a ``TranslationCache`` first, so a second run over unchanged text makes no model call. Cache
entries are keyed by the model identity (``Translator.name``), the cache mode (``translate``
for any translation leg, so ``source`` and the second ``roundtrip`` leg share entries;
``ape`` for rewrites), the language pair and ``input_digest`` of the input.

torch and transformers are imported only inside ``TransformersTranslator`` methods:
``import review.retranslate`` stays cheap, so the app starts without them.
"""

from __future__ import annotations

from review.lang.model_codes import (
    declared_direction,
    language_codes,
    model_family,
)
from review.retranslate.backend import (
    DEFAULT_NUM_BEAMS,
    FALLBACK_MAX_INPUT_TOKENS,
    TransformersTranslator,
    load_translator,
)
from review.retranslate.echo import (
    EchoTranslator,
)
from review.retranslate.identity import (
    model_identity,
)
from review.retranslate.protocol import (
    MemoryCache,
    TranslationCache,
    Translations,
    Translator,
)
from review.retranslate.run import (
    DEFAULT_BATCH_SIZE,
    TRUNCATED_SUFFIX,
    RetranslationResult,
    run_retranslation,
    system_name,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_NUM_BEAMS",
    "EchoTranslator",
    "FALLBACK_MAX_INPUT_TOKENS",
    "MemoryCache",
    "RetranslationResult",
    "TRUNCATED_SUFFIX",
    "TransformersTranslator",
    "TranslationCache",
    "Translations",
    "Translator",
    "declared_direction",
    "language_codes",
    "load_translator",
    "model_family",
    "model_identity",
    "run_retranslation",
    "system_name",
]
