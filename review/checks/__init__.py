"""Automatic QA checks: each one reads a segment (with its article's norms) and suggests flags.

Checks are pure: a ``CheckContext`` in, ``Suggestion`` objects out, no store and no UI. A
suggestion is what a reviewer may confirm or dismiss; spans are character offsets into the MT
(``None`` means the whole segment). Categories and severities follow the WMT MQM typology so
suggestions and reviewer flags score the same way.

``CHECKS`` (in :mod:`review.checks.registry`) is the registry the UI, the command line and the
tests iterate; ``run_checks`` never raises on any text (a check that fails is logged and
skipped, unless ``strict``). The checks themselves live in one module per family.
"""

from __future__ import annotations

from review.checks.article import (
    article_stats,
)
from review.checks.context import (
    ArticleStats,
    CheckContext,
    Suggestion,
)
from review.checks.doubled import (
    check_doubled_words,
)
from review.checks.glossary import (
    check_glossary,
)
from review.checks.length import (
    MIN_CHARS,
    MIN_PAIRS,
    check_length,
    length_ratio,
)
from review.checks.names import (
    check_consistency,
    extract_names,
)
from review.checks.neighbours import (
    neighbour_suggestions,
)
from review.checks.numbers import (
    check_numbers,
)
from review.checks.punctuation import (
    check_brackets,
    check_spacing,
)
from review.checks.registry import (
    CHECKS,
    Check,
    run_checks,
)
from review.checks.residue import (
    check_glued,
    check_residue,
    residue_suggestion,
)
from review.checks.tense import (
    check_tense,
)
from review.checks.untranslated import (
    check_fullwidth,
    check_untranslated,
)

__all__ = [
    "ArticleStats",
    "CHECKS",
    "Check",
    "CheckContext",
    "MIN_CHARS",
    "MIN_PAIRS",
    "Suggestion",
    "article_stats",
    "check_brackets",
    "check_consistency",
    "check_doubled_words",
    "check_fullwidth",
    "check_glossary",
    "check_glued",
    "check_length",
    "check_numbers",
    "check_residue",
    "check_spacing",
    "check_tense",
    "check_untranslated",
    "extract_names",
    "length_ratio",
    "neighbour_suggestions",
    "residue_suggestion",
    "run_checks",
]
