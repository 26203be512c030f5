"""Severity and category labels of MQM TSV rows: known, refused, or counted in a warning.

A row whose severity is not one the weights know (a typo such as ``Majr``) used to weigh 0
without a word, quietly lowering a system's MQM score; such rows are refused with counts
and the first line. Category names vary between campaigns (``Style/Unnatural or awkward``
in WMT 2023, ``Style/Awkward`` in 2021), and the weight depends on the severity, so an
unfamiliar category family is imported but reported in a warning with counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from review.core.errors import InputError

SEVERITIES = {"neutral", "minor", "major", "critical", "no-error", "no error"}
CHECK_SEVERITY_PREFIX = "hotw"
"""Attention-check rows of the WMT campaigns ("Found" / "HOTW-test"): rated zero on purpose."""
FAMILIES = {"accuracy", "fluency", "terminology", "style", "locale convention",
            "non-translation", "non-translation!", "source issue", "source error", "other",
            "no-error", "no error", "found", "design", "verity", "audience appropriateness",
            "linguistic conventions"}


def family(category: str) -> str:
    return category.split("/", 1)[0].strip().lower()


@dataclass
class LabelTally:
    """Unknown labels seen while reading, with the first line of each."""

    severities: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)
    first_line: dict[str, int] = field(default_factory=dict)

    def add(self, category: str, severity: str, line: int) -> None:
        sev = severity.strip().lower()
        if sev not in SEVERITIES and not sev.startswith(CHECK_SEVERITY_PREFIX):
            self.severities[severity] += 1
            self.first_line.setdefault(f"s:{severity}", line)
        if family(category) not in FAMILIES:
            self.categories[category] += 1
            self.first_line.setdefault(f"c:{category}", line)

    def refuse_unknown_severities(self, what: str) -> None:
        if not self.severities:
            return
        shown = ", ".join(f"{s!r} ×{n} (first on line {self.first_line[f's:{s}']})"
                          for s, n in self.severities.most_common(5))
        total = sum(self.severities.values())
        raise InputError(
            f"{what}: {total} row(s) have a severity the MQM weights do not know: {shown}; "
            "use Minor, Major, Critical, Neutral or No-error (they would weigh 0).")

    def warnings(self) -> list[str]:
        if not self.categories:
            return []
        shown = ", ".join(f"{c!r} ×{n} (first on line {self.first_line[f'c:{c}']})"
                          for c, n in self.categories.most_common(5))
        total = sum(self.categories.values())
        return [f"{total} row(s) have an unfamiliar MQM category: {shown}; imported, weighted "
                "by severity"]
