"""A small team's week on the samples, written through the Workbench: what the quality
control pages need to show real numbers in the README's screenshots.

Lena (lead) gives the Wuzhen article to Rita with silent attention checks; Rita flags and
fixes what she finds, approves the rest and misses one check; Omar takes the second pass
and keeps, changes and rejects her flags. Sana and Omar get the WMT 2023 documents in bulk
with due dates (Omar's is overdue); Sana is part way through hers, checks included. A
quality profile gives every article a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.core.vocab import MQM_CATEGORIES
from review.db.models import utcnow
from review.db.store import Store
from review.services import Workbench

LEAD = "lena"
PASSWORDS = {"lena": "lead-pass-1", "rita": "reviewer-pass-1", "omar": "reviewer-pass-2",
             "sana": "reviewer-pass-3"}
ERRORS = ("Minor", "Major", "Critical")
SECONDS_PER_WORD = 3.0
"""How long Rita and Sana take over a fix: inside the effort report's default bounds."""

RITA_FLAGS: dict[int, tuple[str, str, str, str]] = {
    # position: (span in the MT, category, severity, the span as Rita corrects it)
    3: ("creating digital The theme of", "Fluency/Grammar", "Major", "creating a digital"),
    8: ("will account for", "Fluency/Grammar", "Minor", "accounted for"),
    10: ("“connecting to the Internet”", "Terminology/Inappropriate for context", "Minor",
         "“going online”"),
    13: ("vigorously promoted", "Style/Awkward", "Minor", "actively promoted"),
    22: ("or cooperation agreements", "Accuracy/Omission", "Major",
         "Signing cooperation agreements"),
    25: ("mutual win-win", "Style/Awkward", "Minor", "shared benefits"),
    27: ("New business formats.", "Accuracy/Mistranslation", "Minor", "New types of business."),
}
OMAR_DECISIONS: dict[int, tuple[str, dict]] = {
    # position of Rita's flag: (decision, change); position 13 is left to decide
    3: ("accept", {}),
    8: ("change", {"severity": "Major"}),
    10: ("reject", {}),
    22: ("accept", {}),
    25: ("change", {"category": "Fluency/Register"}),
    27: ("accept", {}),
}
OMAR_ADDS = (9, "about 3/5 and 1/3", "Accuracy/Omission", "Minor")
"""The error the first pass missed: what the two ratios are of."""


@dataclass(frozen=True)
class Story:
    """What the screenshot tests need to know of the week."""

    wmt: tuple[int, ...]
    """The WMT 2023 documents' article ids."""
    sana_done: int
    """Items of her queue Sana has been through: her next one comes after them."""


def _actor(bench: Workbench, name: str) -> Actor:
    return bench.logins.login(name, PASSWORDS[name])


def _changed_span(original: str, corrupted: str) -> tuple[int, int]:
    """Where ``corrupted`` differs from ``original``: what a careful reviewer flags."""
    start = 0
    while start < min(len(original), len(corrupted)) and original[start] == corrupted[start]:
        start += 1
    tail = 0
    while (tail < min(len(original), len(corrupted)) - start
           and original[-1 - tail] == corrupted[-1 - tail]):
        tail += 1
    end = max(len(corrupted) - tail, start + 1)
    return min(start, len(corrupted) - 1), min(end, len(corrupted))


def _checks(bench: Workbench, lead: Actor, assignment_id: int,
            article_id: int) -> dict[str, tuple[int, int]]:
    """Each attention check's text as the reviewer sees it -> the span that catches it."""
    mt = {r.position + 1: r.mt for r in bench.reading.article(lead, article_id).rows}
    return {c.text: _changed_span(mt[c.segment_number], c.text)
            for c in bench.attention.attention_checks(lead, assignment_id)}


def _rita_reviews(bench: Workbench, lead: Actor, assignment_id: int, wuzhen: int) -> None:
    """Rita works through her queue: flags and fixes, approvals, all checks but one caught."""
    rita = _actor(bench, "rita")
    checks = _checks(bench, lead, assignment_id, wuzhen)
    missed = False
    for item in bench.attention.review_queue(rita, assignment_id):
        if item.text in checks:
            if missed:  # caught: a flag over the injected error
                start, end = checks[item.text]
                bench.attention.flag_queue_item(rita, assignment_id, item.ref,
                                      "Accuracy/Mistranslation", "Major", start=start, end=end)
            missed = True  # the first check she meets goes unnoticed
        bench.attention.finish_queue_item(rita, assignment_id, item.ref)
    for row in bench.reading.article(rita, wuzhen).rows:
        if row.kind not in ("title", "body"):
            continue
        found = RITA_FLAGS.get(row.position)
        if found is None:
            bench.editing.set_status(rita, row.id, "approved", row.version)
            continue
        span, category, severity, fix = found
        bench.flags.add_flag(rita, row.id, category, severity, span=span)
        current = bench.reading.segment(rita, row.id).row
        seconds = SECONDS_PER_WORD * len(row.mt.split())
        bench.editing.save_segment(rita, row.id, row.mt.replace(span, fix), current.version,
                                   seconds)


def _omar_second_pass(bench: Workbench, wuzhen: int) -> None:
    """Omar keeps, changes and rejects Rita's flags and adds the one she missed."""
    omar = _actor(bench, "omar")
    for flag in bench.second_pass.first_pass_flags(omar, wuzhen):
        decision = OMAR_DECISIONS.get(flag.segment_number - 1)
        if decision is not None:
            bench.second_pass.decide_flag(omar, flag.flag_id, decision[0], **decision[1])
    position, span, category, severity = OMAR_ADDS
    row = next(r for r in bench.reading.article(omar, wuzhen).rows if r.position == position)
    start = row.mt.index(span)
    bench.second_pass.add_missing_flag(omar, row.id, category, severity, start=start,
                           end=start + len(span))


def _sana_starts(bench: Workbench, lead: Actor, assignment_id: int, article_id: int,
                 items: int) -> int:
    """Sana's first items of a WMT document (more, until she has met a check): the checks
    caught, the error the WMT raters marked first flagged where there is one, clean
    segments approved."""
    sana = _actor(bench, "sana")
    checks = _checks(bench, lead, assignment_id, article_id)
    article = bench.reading.article(lead, article_id)  # a reviewer is not told the system
    system = article.summary.mt_system  # the raters' flags are on its candidate: same text
    rows = {r.mt: r for r in article.rows}
    met, done = False, 0
    for item in bench.attention.review_queue(sana, assignment_id):
        if done >= items and met:
            break  # at least one check answered, so she has a catch rate
        met = met or item.text in checks
        if item.text in checks:
            start, end = checks[item.text]
            bench.attention.flag_queue_item(sana, assignment_id, item.ref,
                                            "Accuracy/Mistranslation",
                                  "Major", start=start, end=end)
        else:
            row = rows[item.text]
            marked = [f for f in bench.reading.segment(lead, row.id).flags
                      if f.origin == "import" and f.target == system and f.start is not None
                      and f.end > f.start and f.category in MQM_CATEGORIES
                      and f.severity in ERRORS]
            if marked:
                bench.attention.flag_queue_item(sana, assignment_id, item.ref, marked[0].category,
                                      marked[0].severity, start=marked[0].start,
                                      end=marked[0].end)
            else:
                bench.editing.set_status(sana, row.id, "approved", row.version)
        bench.attention.finish_queue_item(sana, assignment_id, item.ref)
        done += 1
    return done


def build_story(db_url: str) -> Story:
    """Write the week into the database at ``db_url`` (before its server starts)."""
    store = Store(db_url)
    bench = Workbench(store)
    try:
        for name in PASSWORDS:
            bench.accounts.add_user(SYSTEM_ACTOR, name, "lead" if name == LEAD else "reviewer",
                           PASSWORDS[name])
        lead = _actor(bench, LEAD)
        summaries = bench.reading.summaries(lead)
        wuzhen = next(a.id for a in summaries if "Wuzhen" in a.title)
        wmt = tuple(a.id for a in summaries if a.origin.startswith("wmt23"))
        rita = bench.assignments.assign(lead, wuzhen, "rita").id
        bench.attention.set_attention_checks(lead, rita, 0.15, "silent")
        _rita_reviews(bench, lead, rita, wuzhen)
        bench.second_pass.assign_second_pass(lead, wuzhen, "omar")
        _omar_second_pass(bench, wuzhen)
        today = utcnow().date()
        sana = bench.team.bulk_assign(lead, wmt[:2], ["sana"], today + timedelta(days=7)).created
        bench.team.bulk_assign(lead, wmt[2:], ["omar"], today - timedelta(days=2))
        bench.attention.set_attention_checks(lead, sana[0], 0.2, "silent")
        done = _sana_starts(bench, lead, sana[0], wmt[0], items=7)
        bench.verdicts.set_quality_profile(lead, "House standard", 20.0, {"Accuracy": 10.0})
        return Story(wmt, done)
    finally:
        store.dispose()
