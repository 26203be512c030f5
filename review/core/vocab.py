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
STATUS_PROGRESS = ("flagged", "todo", "fixed", "approved")
"""Statuses from the least finished (an error found, not yet fixed) to the most: a unit
written back from several segments takes the least finished of theirs."""
"""A reviewer is done with a segment in these statuses: it counts as reviewed."""

ARTICLE_STATUSES = ("new", "in_review", "done")
STAGED_STATUS = "importing"
"""An article whose import is still streaming in: no page, list or dashboard shows it."""

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
QUICK_CATEGORIES = (
    "Accuracy/Mistranslation", "Accuracy/Omission", "Accuracy/Addition", "Fluency/Grammar",
    "Fluency/Punctuation", "Fluency/Spelling", "Terminology/Inappropriate for context",
    "Style/Awkward", "Other",
)
"""The categories a reviewer picks with the keys 1-9 in the flag box (the rest in a list)."""
SEVERITY_KEYS = {"C": "Critical", "M": "Major", "m": "Minor", "n": "Neutral"}
"""The key that gives each severity in the workspace (Shift+C, Shift+M, m, n)."""
NO_ERROR = "No-error"
"""The MQM TSV label of a segment a rater read and found clean: a rated zero."""

FLAG_ORIGINS = ("reviewer", "check", "import")
FLAG_STATES = ("open", "confirmed", "dismissed")

# --------------------------------------------------------------------------- people

ROLES = ("reviewer", "lead", "admin")
ACCOUNT_ACTIONS = ("user_add", "user_role", "user_deactivate", "user_reactivate",
                   "password_reset", "password_change", "login", "login_failed", "logout",
                   "setting", "invite_link", "reset_link", "link_revoke")
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
MQM_ANNOTATIONS = ("team", "experts", "all")
"""Which annotations an MQM figure counts: the team's own, imported experts', or both."""
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

# --------------------------------------------------------------------------- quality control

ASSIGNMENT_MODES = ("post_edit", "rating")
ASSIGNMENT_MODE_LABELS = {"post_edit": "post-editing", "rating": "rating only"}
"""Post-edit: flag and correct the MT. Rating: flag it and give an optional 0-100 score
(ESA), never correcting it."""
MODE_LABELS = {"post_edit": "post-edit", "rating": "rating only"}
REVIEW_PASSES = (1, 2)
"""1: the first review (R1); 2: a second reviewer checks R1's flags (R2)."""

CORRUPTION_KINDS = ("number", "negation", "entity", "omission", "doubled_word")
"""Attention checks: the error a corrupted copy of a real segment carries."""
CORRUPTION_LABELS = {
    "number": "changed number or date",
    "negation": "dropped or added negation",
    "entity": "swapped named entity",
    "omission": "omitted clause",
    "doubled_word": "doubled word",
}
CHECK_MODES = ("silent", "loud")
LOUD_TRIES = 2
"""Looks at a missed check that loud mode allows before it shows the error and moves on."""
OMISSION_CATEGORY = "Accuracy/Omission"
"""The flag that marks an omission: with an empty span, at the gap."""
"""Loud: the reviewer is told at once and must retry; silent: the result is only recorded."""
MAX_CHECK_RATE = 0.5
CHECK_RESULTS = ("pending", "passed", "missed")
CHECK_RESULT_LABELS = {"pending": "not seen yet", "passed": "caught", "missed": "missed"}

R2_DECISIONS = ("accept", "reject", "change", "add")
"""What a second reviewer did with a first-pass flag (``add``: a flag R1 missed)."""
R2_OUTCOME_LABELS = {"accept": "kept", "change": "changed", "reject": "rejected",
                     "add": "added"}

ESA_RANGE = (0, 100)
ESA_GROUPINGS = ("system", "document", "rater")
"""What `report esa` can group the 0-100 segment scores by."""
"""An ESA segment score: 0 (nothing of the meaning kept) to 100 (perfect)."""

EFFORT_BOUNDS = (0.5, 25.0)
"""Seconds per word outside which a segment's time is treated as an outlier (MateCat)."""

TOKEN_KINDS = ("invite", "reset")
"""One-time links: an invitation to create an account, or a password reset."""
PRESENCE_SECONDS = 60
"""A heartbeat older than this no longer says somebody is editing a segment."""

BLIND_LABELS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
