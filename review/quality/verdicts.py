"""Quality profiles and the pass/fail verdict they give an article (the MateCat habit of
a maximum penalty per 1,000 words, with optional limits per error category)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from review.core.errors import InputError
from review.core.vocab import MQM_ANNOTATIONS, MQM_CATEGORIES


@dataclass(frozen=True)
class QualityProfile:
    name: str
    max_per_1000: float
    category_limits: dict[str, float] = field(default_factory=dict)
    """Maximum points per 1,000 words for a top-level (``Accuracy``) or full
    (``Accuracy/Omission``) category."""
    annotations: str = "team"
    """Whose MQM is judged: the team's own flags (``team``), imported experts' too (``all``)
    or only the experts' (``experts``)."""

    def to_json(self) -> dict:
        return {"name": self.name, "max_per_1000": self.max_per_1000,
                "category_limits": dict(self.category_limits), "annotations": self.annotations}

    @classmethod
    def from_json(cls, data: dict) -> QualityProfile:
        return make_profile(data.get("name", ""), data.get("max_per_1000", 0),
                            data.get("category_limits") or {}, data.get("annotations", "team"))


def make_profile(name: str, max_per_1000: float,
                 category_limits: dict[str, float] | None = None,
                 annotations: str = "team") -> QualityProfile:
    """A checked profile: a name, a finite non-negative limit, known categories."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise InputError("a quality profile needs a name of 1-80 characters")
    limits: dict[str, float] = {}
    tops = {c.split("/")[0] for c in MQM_CATEGORIES}
    for category, limit in (category_limits or {}).items():
        if category not in MQM_CATEGORIES and category not in tops:
            raise InputError(f"unknown MQM category {category!r} in the profile")
        limits[category] = _limit(limit, category)
    if annotations not in MQM_ANNOTATIONS:
        raise InputError(f"a profile judges the annotations of {', '.join(MQM_ANNOTATIONS)}, "
                         f"not {annotations!r}")
    return QualityProfile(name, _limit(max_per_1000, "the total"), limits, annotations)


def _limit(value: object, what: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]  # any input; TypeError is caught
    except (TypeError, ValueError):
        raise InputError(f"the limit for {what} must be a number, not {value!r}") from None
    if not math.isfinite(number) or number < 0:
        raise InputError(f"the limit for {what} must be 0 or more, not {value!r}")
    return number


@dataclass(frozen=True)
class Verdict:
    article_id: int
    profile: str
    passed: bool | None
    """None: nobody has reviewed or annotated the article yet, so there is nothing to judge."""
    per_1000: float
    words: int
    reason: str

    @property
    def label(self) -> str:
        if self.passed is None:
            return "not reviewed"
        return "pass" if self.passed else "fail"


def verdict(article_id: int, profile: QualityProfile, words: int,
            points_by_category: dict[str, float], reviewed: bool = True) -> Verdict:
    """Pass when the article's penalty per 1,000 words and each limited category stay at or
    under the profile's limits; the reason names the first limit broken, or the margin.
    An article nobody has looked at has no verdict: zero penalty there means nothing."""
    if not reviewed:
        return Verdict(article_id, profile.name, None, math.nan, words,
                       "nobody on the team has reviewed it yet" if profile.annotations == "team"
                       else "nobody has reviewed or annotated it yet")
    if words <= 0:
        return Verdict(article_id, profile.name, False, math.nan, 0,
                       "no words to judge: the article has no content segments")
    scale = 1000.0 / words
    total = sum(points_by_category.values()) * scale
    broken = []
    if total > profile.max_per_1000:
        broken.append(f"{total:.1f} penalty points per 1,000 words is over the limit of "
                      f"{profile.max_per_1000:g}")
    for category, limit in sorted(profile.category_limits.items()):
        points = sum(v for c, v in points_by_category.items()
                     if c == category or c.split("/")[0] == category) * scale
        if points > limit:
            broken.append(f"{category}: {points:.1f} per 1,000 words is over its limit of "
                          f"{limit:g}")
    if broken:
        return Verdict(article_id, profile.name, False, total, words, "; ".join(broken))
    return Verdict(article_id, profile.name, True, total, words,
                   f"{total:.1f} penalty points per 1,000 words, within the limit of "
                   f"{profile.max_per_1000:g}")
