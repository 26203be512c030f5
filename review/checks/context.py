"""What a check reads and what it returns: the segment with its article's norms in,
suggestions out. Kept apart from the registry so check families depend on nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from review.checks.glossary_terms import Glossary


@dataclass
class Suggestion:
    check: str
    category: str
    severity: str
    start: int | None
    end: int | None
    explanation: str
    target: str = "mt"


@dataclass
class ArticleStats:
    """Article-level norms that single-segment checks compare against.

    - ``ratio_source``: median of len(MT)/len(source) over segments with both (None if
      fewer than ``MIN_PAIRS``); ``ratio_candidates``: the same for MT/retranslation.
    - ``term_renderings``: source term -> the MT name that renders it elsewhere in the
      article (found by co-occurrence, only when sources exist).
    - ``name_variants``: a spelling of a name in the MT -> the article's dominant spelling.
    - ``name_mismatches``: an MT name the retranslations never use -> what they write
      instead (``""`` when no single alternative stands out).
    """

    segments: int = 0
    ratio_source: float | None = None
    ratio_candidates: float | None = None
    term_renderings: dict[str, str] = field(default_factory=dict)
    name_variants: dict[str, str] = field(default_factory=dict)
    name_mismatches: dict[str, str] = field(default_factory=dict)
    name_counts: dict[str, int] = field(default_factory=dict)


@dataclass
class CheckContext:
    mt: str
    source: str = ""
    candidates: dict[str, str] = field(default_factory=dict)
    kind: str = "body"
    source_lang: str = ""
    target_lang: str = "en"
    glossary: Glossary | None = None
    article: ArticleStats | None = None
    reference_year: int | None = None
