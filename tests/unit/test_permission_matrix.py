"""Every public use case of the Workbench, called as every kind of user.

The table below is the access policy. Methods are enumerated with ``inspect``, so a new use
case without a row fails ``test_every_public_method_has_a_row`` until somebody decides who
may call it. Calls are made directly on the services, including ones no page would make
(a reviewer deleting an article, reading the audit trail, changing settings...).
"""

from __future__ import annotations

import inspect
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, update

from review.accounts import auth
from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.core.errors import PermissionDenied
from review.db.models import AuditEvent, Job, OneTimeToken, Segment, utcnow
from review.db.store import Store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from review.services.base import Service
from tests.unit import matrix_campaigns

ALLOW, DENY, HIDDEN = "allow", "deny", "hidden"
"""``hidden``: the call succeeds but the article is not in what comes back."""

ROLES = ("admin", "lead", "reviewer", "unassigned", "range_outside")
"""admin; lead; a reviewer assigned the whole article; a reviewer not assigned to it; a
reviewer assigned segments 2-3 acting on segment 5."""

EVERYONE = dict.fromkeys(ROLES, ALLOW)
NOBODY = dict.fromkeys(ROLES, DENY)


def row(admin: str, lead: str, reviewer: str, unassigned: str, range_outside: str) -> dict:
    return dict(zip(ROLES, (admin, lead, reviewer, unassigned, range_outside)))


ADMIN_ONLY = row(ALLOW, DENY, DENY, DENY, DENY)
LEADS = row(ALLOW, ALLOW, DENY, DENY, DENY)
ARTICLE_READERS = row(ALLOW, ALLOW, ALLOW, DENY, ALLOW)
SEGMENT_EDITORS = row(ALLOW, ALLOW, ALLOW, DENY, DENY)

SEGMENTS = 6
OUTSIDE = 4  # position of segment 5, outside the range reviewer's segments 2-3


@dataclass
class Ctx:
    """What a call needs: an article with its assignments and a reviewer's flag, and an
    account to act on. Shared by the roles' calls of one method, except for DESTRUCTIVE."""

    bench: Workbench
    actor: Actor
    password: str
    article_id: int
    segment_id: int
    flag_id: int
    assignment_id: int
    victim: str

    @property
    def version(self) -> int:
        """The segment's version now, so an earlier role's save does not make a conflict."""
        with self.bench.store.read() as session:
            return session.scalar(select(Segment.version).where(Segment.id == self.segment_id))


Call = Callable[[Workbench, Ctx], object]


def _in(article_id: int, ids: list[int]) -> str:
    return ALLOW if article_id in ids else HIDDEN


def _doc(title: str) -> DocArticle:
    return DocArticle(title=title, source_lang="zh", target_lang="en", segments=[
        DocSegment(mt=f"Sentence {i} of {title}.", source=f"第{i}句。") for i in range(SEGMENTS)])


def _queue_ref(b: Workbench, c: Ctx) -> str:
    """The queue reference of the context's segment in the reviewer's assignment."""
    return b.attention.review_queue(SYSTEM_ACTOR, c.assignment_id)[OUTSIDE].ref


def _reviewed(b: Workbench, c: Ctx) -> int:
    """Finish the first pass so a second one may be assigned."""
    with b.store.write() as session:
        session.execute(update(Segment).where(Segment.article_id == c.article_id)
                        .values(status="fixed"))
    return c.article_id


def _profile(b: Workbench) -> Workbench:
    if not b.verdicts.quality_profiles(SYSTEM_ACTOR):
        b.verdicts.set_quality_profile(SYSTEM_ACTOR, "news", 10)
    return b


def _job(bench: Workbench, ctx: Ctx, *, cancelled: bool = False) -> int:
    """A job row written directly, so the set-up leaves no audit event of its own."""
    with bench.store.write() as session:
        job = Job(kind="checks", arguments={"article_ids": [ctx.article_id]},
                  state="cancelled" if cancelled else "queued", created_by="pipeline",
                  created_role="admin")
        session.add(job)
        session.flush()
        return job.id


def _import_path(bench: Workbench, actor: Actor) -> object:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.txt"
        path.write_text(f"A title {next(FRESH)}\n\nOne sentence. Another.\n")
        return bench.imports.import_path(actor, path, "text")


def _link(bench: Workbench, ctx: Ctx) -> int:
    """An open invitation made by the acting account (a reviewer's is one it could not have
    made), written directly so the set-up leaves no audit event of its own."""
    n = next(FRESH)
    with bench.store.write() as session:
        row = OneTimeToken(digest=f"{n:064d}", kind="invite", user_name=f"link{n}",
                           name_key=f"link{n}", role="reviewer", created_by=ctx.actor.name,
                           maker_id=ctx.actor.user_id, maker_role=ctx.actor.role,
                           maker_generation=0, expires_at=utcnow() + timedelta(hours=1))
        session.add(row)
        session.flush()
        return row.id


FRESH = count(1)
"""Distinct content for each import: the same content twice is refused as a re-import."""

DESTRUCTIVE = frozenset({"delete_article", "delete_flag", "unassign", "merge_with_next",
                         "split_segment", "unmerge"})
"""Calls that consume what they act on: each role's call gets its own fresh context."""


def _merged(b: Workbench, c: Ctx) -> None:
    """Merge the context's segment with the next one, for an undo of the merge."""
    b.segments.merge_with_next(SYSTEM_ACTOR, c.segment_id, c.version)


PREPARED: dict[str, Callable[[Workbench, Ctx], None]] = {"unmerge": _merged}
"""Set-up a call needs in its fresh context, done before the audit trail is counted."""

MATRIX: dict[str, tuple[Call, dict]] = {
    # ---- review services
    "import_file": (lambda b, c: b.imports.import_file(
        c.actor, f"A title {next(FRESH)}\n\nOne sentence. Another one.\n".encode(), "a.txt",
        "text"), LEADS),
    "import_articles": (lambda b, c: b.imports.import_articles(c.actor,
                                                               [_doc(f"more {next(FRESH)}")]),
                        LEADS),
    "import_stream": (lambda b, c: b.imports.import_stream(
        c.actor, io.BytesIO(f"A title {next(FRESH)}\n\nOne sentence.\n".encode()), "a.txt",
        "text"), LEADS),
    "import_path": (lambda b, c: _import_path(b, c.actor), LEADS),
    "summaries": (lambda b, c: _in(c.article_id, [a.id for a in b.reading.summaries(c.actor)]),
                  row(ALLOW, ALLOW, ALLOW, HIDDEN, ALLOW)),
    "article": (lambda b, c: b.reading.article(c.actor, c.article_id), ARTICLE_READERS),
    "data_version": (lambda b, c: b.reading.data_version(c.actor, c.article_id), ARTICLE_READERS),
    "segment": (lambda b, c: b.reading.segment(c.actor, c.segment_id), SEGMENT_EDITORS),
    "save_segment": (lambda b, c: b.editing.save_segment(c.actor, c.segment_id, "New.", c.version),
                     SEGMENT_EDITORS),
    "restore_revision": (lambda b, c: b.editing.restore_revision(c.actor, c.segment_id, None,
                                                         c.version), SEGMENT_EDITORS),
    "set_status": (lambda b, c: b.editing.set_status(c.actor, c.segment_id, "approved", c.version),
                   SEGMENT_EDITORS),
    "add_flag": (lambda b, c: b.flags.add_flag(c.actor, c.segment_id, "Style/Awkward", "Minor"),
                 SEGMENT_EDITORS),
    "set_flag_state": (lambda b, c: b.flags.set_flag_state(c.actor, c.flag_id, "dismissed"),
                       SEGMENT_EDITORS),
    "delete_flag": (lambda b, c: b.flags.delete_flag(c.actor, c.flag_id), SEGMENT_EDITORS),
    "score_article": (lambda b, c: b.scoring.score_article(c.actor, c.article_id), ARTICLE_READERS),
    "export_article": (lambda b, c: b.exports.export_article(c.actor, c.article_id, "jsonl"),
                       LEADS),
    "export_articles": (lambda b, c: b.exports.export_articles(c.actor, [c.article_id], "jsonl"),
                        LEADS),
    "unfinished": (lambda b, c: b.exports.unfinished(c.actor, c.article_id), LEADS),
    "record_export": (lambda b, c: b.exports.record_export(c.actor, c.article_id, "jsonl"), LEADS),
    "document": (lambda b, c: b.exports.document(c.actor, c.article_id), ARTICLE_READERS),
    "audit_trail": (lambda b, c: b.library.audit_trail(c.actor, c.article_id), LEADS),
    "delete_article": (lambda b, c: b.library.delete_article(c.actor, c.article_id), LEADS),
    "is_empty": (lambda b, c: b.library.is_empty(), EVERYONE),
    "has_users": (lambda b, c: b.library.has_users(), EVERYONE),
    # ---- the review workspace
    "workspace_rows": (lambda b, c: b.workspace.workspace_rows(c.actor, c.article_id),
                       ARTICLE_READERS),
    "add_span_flag": (lambda b, c: b.workspace.add_span_flag(c.actor, c.segment_id, "target", 0, 8,
                                                   "Fluency/Grammar", "Minor"),
                      SEGMENT_EDITORS),
    "update_flag": (lambda b, c: b.workspace.update_flag(c.actor, c.flag_id, severity="Minor"),
                    SEGMENT_EDITORS),
    "record_conflict": (lambda b, c: b.workspace.record_conflict(c.actor, c.segment_id, 1, 2, "x"),
                        SEGMENT_EDITORS),
    "resolve_conflict": (lambda b, c: b.workspace.resolve_conflict(c.actor, c.segment_id,
                                                                   "take_theirs",
                                                         c.version), SEGMENT_EDITORS),
    "merge_with_next": (lambda b, c: b.segments.merge_with_next(c.actor, c.segment_id, c.version),
                        SEGMENT_EDITORS),
    "split_segment": (lambda b, c: b.segments.split_segment(c.actor, c.segment_id, 9, c.version),
                      SEGMENT_EDITORS),
    "set_kind": (lambda b, c: b.segments.set_kind(c.actor, c.segment_id, "residue", c.version),
                 SEGMENT_EDITORS),
    "unmerge": (lambda b, c: b.segments.unmerge(c.actor, c.segment_id, c.version),
                SEGMENT_EDITORS),
    "concordance": (lambda b, c: b.workspace.concordance(c.actor, "the", c.segment_id),
                    row(ALLOW, ALLOW, ALLOW, DENY, DENY)),
    "glossary_terms": (lambda b, c: b.workspace.glossary_terms(c.actor, c.segment_id),
                       row(ALLOW, ALLOW, ALLOW, DENY, DENY)),
    "propose_source": (lambda b, c: b.segments.propose_source(c.actor, c.article_id, "第一句。"),
                       ARTICLE_READERS),
    "set_sources": (lambda b, c: b.segments.set_sources(c.actor, c.article_id,
                                                        {c.segment_id: "源。"}),
                    SEGMENT_EDITORS),
    "issue_session": (lambda b, c: b.sessions.issue_session(c.actor), EVERYONE),
    "resume_session": (lambda b, c: b.sessions.resume_session(
        b.sessions.issue_session(c.actor) or ""), EVERYONE),
    # ---- team services
    "add_user": (lambda b, c: b.accounts.add_user(c.actor, f"new-{c.victim}", "reviewer",
                                         "new-password"), ADMIN_ONLY),
    "create_first_admin": (lambda b, c: b.accounts.create_first_admin("usurper", "usurper-pw"),
                           NOBODY),
    "list_users": (lambda b, c: b.accounts.list_users(c.actor), ADMIN_ONLY),
    "assignable_users": (lambda b, c: b.accounts.assignable_users(c.actor), LEADS),
    "account": (lambda b, c: b.accounts.account(c.actor), EVERYONE),
    "resolve_actor": (lambda b, c: b.accounts.resolve_actor(c.actor), EVERYONE),
    "set_role": (lambda b, c: b.accounts.set_role(c.actor, c.victim, "lead"), ADMIN_ONLY),
    "set_active": (lambda b, c: b.accounts.set_active(c.actor, c.victim, False), ADMIN_ONLY),
    "reset_password": (lambda b, c: b.accounts.reset_password(c.actor, c.victim, "reset-password"),
                       ADMIN_ONLY),
    "change_password": (lambda b, c: b.logins.change_password(c.actor, c.password, c.password),
                        EVERYONE),
    "login": (lambda b, c: b.logins.login(c.victim, "victim-password"), EVERYONE),
    "sso_login": (lambda b, c: b.accounts.sso_login(f"{c.victim}@example.org"), EVERYONE),
    "sso_roles": (lambda b, c: b.accounts.sso_roles(c.actor), ADMIN_ONLY),
    "sso_roles_text": (lambda b, c: b.settings.sso_roles_text(c.actor), ADMIN_ONLY),
    "set_sso_roles_text": (lambda b, c: b.settings.set_sso_roles_text(c.actor,
                                                                      "@example.org = lead"),
                           ADMIN_ONLY),
    "account_events": (lambda b, c: b.library.account_events(c.actor), ADMIN_ONLY),
    "default_models": (lambda b, c: b.retranslation.default_models(c.actor, c.article_id,
                                                                   "roundtrip"),
                       LEADS),
    "logout": (lambda b, c: b.accounts.logout(c.actor), EVERYONE),
    "assign": (lambda b, c: b.assignments.assign(c.actor, c.article_id, c.victim, first=1,
                                                 last=2), LEADS),
    "unassign": (lambda b, c: b.assignments.unassign(c.actor, c.assignment_id), LEADS),
    "assignments": (lambda b, c: b.assignments.assignments(c.actor, c.article_id), LEADS),
    "my_queue": (lambda b, c: b.assignments.my_queue(c.actor), EVERYONE),
    "get_setting": (lambda b, c: b.settings.get_setting(c.actor, "glossary"), ADMIN_ONLY),
    "set_setting": (lambda b, c: b.settings.set_setting(c.actor, "glossary",
                                               {"filename": "g.tsv", "content": "a\tb"}),
                    ADMIN_ONLY),
    # ---- retranslation
    "retranslate": (lambda b, c: b.retranslation.retranslate(c.actor, c.article_id,
                                                             model="echo"), LEADS),
    # ---- jobs (queued on the embedded queue beside the test database; nothing runs them)
    "jobs_unavailable": (lambda b, c: b.jobs.jobs_unavailable(c.actor), EVERYONE),
    "start_retranslation_job": (lambda b, c: b.jobs.start_retranslation_job(
        c.actor, [c.article_id], model="echo"), LEADS),
    "start_scoring_job": (lambda b, c: b.jobs.start_scoring_job(c.actor, [c.article_id]), LEADS),
    "queue_checks": (lambda b, c: b.jobs.queue_checks(c.actor, [c.article_id]), LEADS),
    "plan": (lambda b, c: b.retranslation.plan(c.actor, c.article_id, None)[0], LEADS),
    "start_checks_job": (lambda b, c: b.jobs.start_checks_job(c.actor, [c.article_id]), LEADS),
    "start_import_job": (lambda b, c: b.jobs.start_import_job(
        c.actor, b"A title\n\nOne sentence.\n", "a.txt", "text"), LEADS),
    "start_model_pull": (lambda b, c: b.jobs.start_model_pull(c.actor, "org/model"), ADMIN_ONLY),
    "jobs": (lambda b, c: b.jobs.jobs(c.actor), LEADS),
    "job": (lambda b, c: b.jobs.job(c.actor, _job(b, c)), LEADS),
    "cancel_job": (lambda b, c: b.jobs.cancel_job(c.actor, _job(b, c)), LEADS),
    "retry_job": (lambda b, c: b.jobs.retry_job(c.actor, _job(b, c, cancelled=True)), LEADS),
    # ---- reports and dashboards
    "mqm_report": (lambda b, c: b.reports.mqm_report(c.actor, article_ids=[c.article_id]), LEADS),
    "risk_ranking": (lambda b, c: b.ranking.risk_ranking(c.actor, c.article_id), ARTICLE_READERS),
    "dashboard_version": (lambda b, c: b.reports.dashboard_version(c.actor), LEADS),
    "dashboard_data": (lambda b, c: b.reports.dashboard_data(c.actor, with_metrics=False), LEADS),
    "compare_systems": (lambda b, c: b.reports.compare_systems(c.actor, None, "mt", "echo"), LEADS),
    # ---- quality control
    "set_attention_checks": (lambda b, c: b.attention.set_attention_checks(
        c.actor, c.assignment_id, 0.2, "loud"), LEADS),
    "attention_checks": (lambda b, c: b.attention.attention_checks(c.actor, c.assignment_id),
                         LEADS),
    "review_queue": (lambda b, c: b.attention.review_queue(c.actor, c.assignment_id),
                     SEGMENT_EDITORS),
    "flag_queue_item": (lambda b, c: b.attention.flag_queue_item(
        c.actor, c.assignment_id, _queue_ref(b, c), "Style/Awkward", "Minor"),
        SEGMENT_EDITORS),
    "finish_queue_item": (lambda b, c: b.attention.finish_queue_item(
        c.actor, c.assignment_id, _queue_ref(b, c)), SEGMENT_EDITORS),
    "rate_queue_item": (lambda b, c: b.attention.rate_queue_item(
        c.actor, c.assignment_id, _queue_ref(b, c), 80), SEGMENT_EDITORS),
    "catch_rates": (lambda b, c: b.attention.catch_rates(c.actor), LEADS),
    "set_loud_tries": (lambda b, c: b.attention.set_loud_tries(c.actor, 3), LEADS),
    "assign_second_pass": (lambda b, c: b.second_pass.assign_second_pass(
        c.actor, _reviewed(b, c), c.victim), LEADS),
    "first_pass_flags": (lambda b, c: b.second_pass.first_pass_flags(c.actor, c.article_id), LEADS),
    "corrected_segments": (lambda b, c: b.second_pass.corrected_segments(
        c.actor, c.article_id), LEADS),
    "decide_flag": (lambda b, c: b.second_pass.decide_flag(c.actor, c.flag_id, "accept"), LEADS),
    "add_missing_flag": (lambda b, c: b.second_pass.add_missing_flag(
        c.actor, c.segment_id, "Accuracy/Omission", "Major"), LEADS),
    "pass_scores": (lambda b, c: b.second_pass.pass_scores(c.actor, c.article_id), LEADS),
    "second_pass_agreement": (lambda b, c: b.second_pass.second_pass_agreement(c.actor), LEADS),
    "set_quality_profile": (lambda b, c: b.verdicts.set_quality_profile(c.actor, "strict", 5),
                            LEADS),
    "quality_profiles": (lambda b, c: b.verdicts.quality_profiles(c.actor), EVERYONE),
    "verdicts": (lambda b, c: _in(c.article_id, [
        v.article_id for v in _profile(b).verdicts.verdicts(c.actor, [c.article_id])]),
        row(ALLOW, ALLOW, ALLOW, HIDDEN, ALLOW)),
    "verdicts_csv": (lambda b, c: _profile(b).verdicts.verdicts_csv(
        c.actor, [c.article_id]), LEADS),
    "article_mqm": (lambda b, c: _in(c.article_id, b.reports.article_mqm(
        c.actor, [c.article_id])), row(ALLOW, ALLOW, ALLOW, HIDDEN, ALLOW)),
    "set_assignment_mode": (lambda b, c: b.ratings.set_assignment_mode(
        c.actor, c.assignment_id, "post_edit"), LEADS),
    "rate_segment": (lambda b, c: b.ratings.rate_segment(c.actor, c.segment_id, 70),
                     SEGMENT_EDITORS),
    "segment_ratings": (lambda b, c: len(b.ratings.segment_ratings(c.actor, c.article_id)), LEADS),
    "set_effort_bounds": (lambda b, c: b.ratings.set_effort_bounds(c.actor, 0.5, 25), LEADS),
    "effort_report": (lambda b, c: len(b.ratings.effort_report(c.actor)), LEADS),
    "esa_report": (lambda b, c: b.ratings.esa_report(c.actor, "rater"), LEADS),
    "invite": (lambda b, c: b.invitations.invite(c.actor, f"inv-{c.victim}-{c.actor.name}"), LEADS),
    "reset_link": (lambda b, c: b.invitations.reset_link(c.actor, c.victim), LEADS),
    "accept_invitation": (lambda b, c: b.invitations.accept_invitation(
        b.invitations.invite(SYSTEM_ACTOR,
                             f"joins-{c.victim}-{c.actor.name}").token, "joiner-password"),
        EVERYONE),
    "open_link": (lambda b, c: b.invitations.open_link(
        b.invitations.invite(SYSTEM_ACTOR,
                             f"opens-{c.victim}-{c.actor.name}").token, "invite"), EVERYONE),
    "pending_links": (lambda b, c: b.invitations.pending_links(c.actor), LEADS),
    "revoke_link": (lambda b, c: b.invitations.revoke_link(c.actor, _link(b, c)), LEADS),
    "use_reset_link": (lambda b, c: b.invitations.use_reset_link(
        b.invitations.reset_link(SYSTEM_ACTOR, c.victim).token, "victim-password"), EVERYONE),
    "bulk_assign": (lambda b, c: b.team.bulk_assign(c.actor, [c.article_id], [c.victim]), LEADS),
    "reviewer_progress": (lambda b, c: b.team.reviewer_progress(c.actor), LEADS),
    "heartbeat": (lambda b, c: b.team.heartbeat(c.actor, c.segment_id), SEGMENT_EDITORS),
    "editing_now": (lambda b, c: b.team.editing_now(c.actor, c.segment_id), SEGMENT_EDITORS),
    "system_clusters": (lambda b, c: len(b.reports.system_clusters(c.actor, samples=50)), LEADS),
    "team_overview": (lambda b, c: b.overview.team_overview(c.actor), LEADS),
    "batch_labels": (lambda b, c: b.overview.batch_labels(c.actor), LEADS),
    "audit_log": (lambda b, c: b.audit.audit_log(c.actor, article_id=c.article_id), LEADS),
    "audit_filters": (lambda b, c: b.audit.audit_filters(c.actor), LEADS),
    "create_campaign": (lambda b, c: b.campaigns.create_campaign(
        c.actor, matrix_campaigns.spec(c.article_id)), LEADS),
    "campaign_status": (lambda b, c: b.campaigns.campaign_status(
        c.actor, matrix_campaigns.made(b, c.article_id)), LEADS),
}

def public_methods() -> list[str]:
    """Every public method of every service the Workbench composes."""
    bench = Workbench(Store("sqlite://"))
    services = {type(s) for s in vars(bench).values() if isinstance(s, Service)}
    return sorted(name for kind in services
                  for name, _ in inspect.getmembers(kind, inspect.isfunction)
                  if not name.startswith("_"))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One database with an account for every role; each call gets its own fresh article."""
    previous, auth.HASHER = auth.HASHER, PasswordHasher(time_cost=1, memory_cost=1024,
                                                        parallelism=1)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.delenv("REVIEW_BROKER_URL", raising=False)
    store = Store(f"sqlite:///{Path(tmp_path_factory.mktemp('matrix')) / 'm.db'}")
    store.migrate()
    bench = Workbench(store)
    names = {"admin": ("ada", "admin"), "lead": ("leo", "lead"), "reviewer": ("rev", "reviewer"),
             "unassigned": ("nora", "reviewer"), "range_outside": ("rory", "reviewer")}
    actors = {}
    for kind, (name, role) in names.items():
        user = bench.accounts.add_user(SYSTEM_ACTOR, name, role, f"{name}-password")
        actors[kind] = Actor(name, role, user.id)
    bench.settings.set_setting(SYSTEM_ACTOR, "sso", {"roles": {"@example.org": "reviewer"}})
    yield {"bench": bench, "actors": actors, "serial": count()}
    store.dispose()
    monkeypatch.undo()
    auth.HASHER = previous


def make_ctx(world: dict, kind: str = "admin") -> Ctx:
    bench: Workbench = world["bench"]
    n = next(world["serial"])
    article_id = bench.imports.import_articles(SYSTEM_ACTOR, [_doc(f"article {n}")]).articles[0].id
    assignment = bench.assignments.assign(SYSTEM_ACTOR, article_id, "rev")
    bench.assignments.assign(SYSTEM_ACTOR, article_id, "rory", first=2, last=3)
    segment = bench.reading.article(SYSTEM_ACTOR, article_id).rows[OUTSIDE]
    rev = world["actors"]["reviewer"]
    flag = bench.flags.add_flag(rev, segment.id, "Fluency/Grammar", "Major", note="by rev")
    victim = f"victim{n}"
    bench.accounts.add_user(SYSTEM_ACTOR, victim, "reviewer", "victim-password",
                   email=f"{victim}@example.org")
    return as_actor(Ctx(bench=bench, actor=SYSTEM_ACTOR, password="", article_id=article_id,
                        segment_id=segment.id, flag_id=flag.id,
                        assignment_id=assignment.id, victim=victim), world, kind)


def as_actor(ctx: Ctx, world: dict, kind: str) -> Ctx:
    actor = world["actors"][kind]
    return replace(ctx, actor=actor, password=f"{actor.name}-password")


def _audit_count(bench: Workbench) -> int:
    with bench.store.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent))


def outcome(world: dict, method: str, kind: str, shared: Ctx) -> str:
    bench: Workbench = world["bench"]
    call, _ = MATRIX[method]
    ctx = make_ctx(world, kind) if method in DESTRUCTIVE else as_actor(shared, world, kind)
    if method in PREPARED:
        PREPARED[method](bench, ctx)
    events = _audit_count(bench)
    try:
        result = call(bench, ctx)
    except PermissionDenied:
        assert _audit_count(bench) == events, f"a refused {method} left an audit event"
        return DENY
    return result if result in (ALLOW, HIDDEN) else ALLOW


def test_every_public_method_has_a_row() -> None:
    missing = [m for m in public_methods() if m not in MATRIX]
    stale = [m for m in MATRIX if m not in public_methods()]
    assert missing == [], f"add these use cases to the permission matrix: {missing}"
    assert stale == [], f"these rows name no Workbench method: {stale}"


@pytest.mark.parametrize("method", sorted(MATRIX))
def test_permission_matrix(world: dict, method: str) -> None:
    _, expected = MATRIX[method]
    shared = make_ctx(world)
    actual = {kind: outcome(world, method, kind, shared) for kind in ROLES}
    assert actual == expected


def test_range_reviewer_reads_only_its_range(world: dict) -> None:
    bench: Workbench = world["bench"]
    ctx = make_ctx(world, "range_outside")
    assert [r.position for r in bench.reading.article(ctx.actor, ctx.article_id).rows] == [1, 2]
    assert [s.position for s in bench.exports.document(ctx.actor,
                                                       ctx.article_id).segments] == [1, 2]
    inside = bench.reading.article(ctx.actor, ctx.article_id).rows[0]
    bench.editing.save_segment(ctx.actor, inside.id, "Inside the range.", inside.version)


def test_a_forged_reviewer_without_account_sees_nothing(world: dict) -> None:
    bench: Workbench = world["bench"]
    ctx = make_ctx(world, "reviewer")
    ghost = Actor("ghost", "reviewer", None)
    assert ctx.article_id not in [a.id for a in bench.reading.summaries(ghost)]
    with pytest.raises(PermissionDenied):
        bench.reading.article(ghost, ctx.article_id)
    with pytest.raises(PermissionDenied):
        bench.editing.save_segment(ghost, ctx.segment_id, "x", ctx.version)
