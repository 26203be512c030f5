"""The domain's words, defined once.

Every module that needs a segment kind, a status, a severity, an MQM category, a role, a
comparison or a language group imports it from here, so a new value is added in one place and
the CLI's choices, the pages' labels and the validation all follow.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- segments

SEGMENT_KINDS = ("title", "body", "caption", "boilerplate", "metadata")
CONTENT_KINDS = ("title", "body")
"""The kinds that carry the article's text: scored, checked, retranslated and ranked."""
RESIDUE_KINDS = ("caption", "boilerplate", "metadata")
"""Web residue: kept and shown dimmed, never scored or retranslated."""

SEGMENT_STATUSES = ("todo", "flagged", "fixed", "approved")
FINISHED_STATUSES = ("fixed", "approved")
"""A reviewer is done with a segment in these statuses: it counts as reviewed."""

ARTICLE_STATUSES = ("new", "in_review", "done")

# --------------------------------------------------------------------------- flags and MQM

SEVERITIES = ("Neutral", "Minor", "Major", "Critical")
MQM_CATEGORIES = (
    "Accuracy/Mistranslation",
    "Accuracy/Omission",
    "Accuracy/Addition",
    "Accuracy/Untranslated text",
    "Fluency/Grammar",
    "Fluency/Punctuation",
    "Fluency/Spelling",
    "Fluency/Register",
    "Fluency/Inconsistency",
    "Fluency/Character encoding",
    "Terminology/Inappropriate for context",
    "Terminology/Inconsistent use",
    "Style/Awkward",
    "Locale convention/Address format",
    "Locale convention/Currency format",
    "Locale convention/Date format",
    "Locale convention/Name format",
    "Locale convention/Number format",
    "Locale convention/Telephone format",
    "Locale convention/Time format",
    "Non-translation",
    "Source error",
    "Other",
)
NO_ERROR = "No-error"
"""The MQM TSV label of a segment a rater read and found clean: a rated zero."""

FLAG_ORIGINS = ("reviewer", "check", "import")
FLAG_STATES = ("open", "confirmed", "dismissed")

# --------------------------------------------------------------------------- people

ROLES = ("reviewer", "lead", "admin")
ACCOUNT_ACTIONS = ("user_add", "user_role", "user_deactivate", "user_reactivate",
                   "password_reset", "password_change", "login", "login_failed", "logout",
                   "setting")
"""Audit-trail actions about accounts and settings (the Admin page's event list)."""

# --------------------------------------------------------------------------- comparisons

COMPARISONS = (
    "mt_vs_corrected",
    "mt_vs_candidate",
    "mt_vs_reference",
    "corrected_vs_reference",
    "system_vs_system",
)
"""What a stored score compares (hypothesis side first)."""
MT_VS_CORRECTED = "mt_vs_corrected"
"""Stored comparison key: the MT scored against the reviewer's corrected text."""
MT_VS_CANDIDATE = "mt_vs_candidate"
"""Stored comparison key prefix: ``mt_vs_candidate:SYSTEM``."""
COMPARISON_LABELS = {
    MT_VS_CORRECTED: "MT vs corrected",
    "mt_vs_retranslation": "MT vs retranslation",
}
"""How the dashboards and reports name a comparison."""
MT_VS_CORRECTED_LABEL = COMPARISON_LABELS[MT_VS_CORRECTED]
MT_VS_RETRANSLATION_LABEL = COMPARISON_LABELS["mt_vs_retranslation"]

MQM_GROUPINGS = ("system", "document", "rater", "category", "severity")
"""What an MQM report can be grouped by (``report mqm --by``)."""

# --------------------------------------------------------------------------- retranslation

RETRANSLATION_MODES = ("source", "roundtrip", "ape")
"""From the source text, by round trip through the source language, or as a rewrite."""

# --------------------------------------------------------------------------- jobs

JOB_KINDS = ("retranslate", "score", "checks", "import", "models.pull")
"""The long operations a worker runs."""
JOB_STATES = ("queued", "running", "done", "failed", "cancelled")
JOB_FINISHED_STATES = ("done", "failed", "cancelled")
"""A job in these states is over: cancelling it does nothing, retrying starts it again."""

# --------------------------------------------------------------------------- languages

CJK_LANGS = frozenset({"zh", "ja", "ko"})
"""Languages in CJK scripts: BLEU and TER tokenize them by character."""
SPACELESS_LANGS = frozenset({"zh", "ja", "yue", "wuu", "lzh"})
"""Languages written without spaces between words and sentences: split with CJK rules and
join sentences with ""."""


def base_lang(code: str | None) -> str:
    """``zh-Hans-CN`` -> ``zh``: the part of a language code the groups above are keyed by."""
    return (code or "").strip().lower().replace("_", "-").split("-")[0]
