"""Starting, listing and cancelling jobs. A job is a row in ``jobs`` first and a message
on the queue second, so whatever happens to the broker, the pages and the command line see
every job and its state."""

from __future__ import annotations

from sqlalchemy import select, update

from review.accounts.permissions import Actor, require
from review.core.errors import InputError, NotFound
from review.core.vocab import JOB_FINISHED_STATES, RETRANSLATION_MODES
from review.db.models import Article, Job, utcnow
from review.formats.base import ReadOptions
from review.jobs.broker import Broker, JobsUnavailable, broker_for
from review.jobs.records import JobView, one_line, view
from review.services.base import Service, audit, listed

JOB_LIST_LIMIT = 200
IMPORT_JOB_BYTES = 2 * 1024 * 1024
"""Files from this size import as a job instead of while the page waits."""


class JobServices(Service):
    """Jobs: long work handed to workers."""

    def _broker(self) -> Broker:
        broker = broker_for(self.store.url)
        broker.check()
        return broker

    def jobs_unavailable(self, actor: Actor) -> str | None:
        """Why jobs cannot start here (one line), or None when the queue answers."""
        try:
            self._broker()
        except JobsUnavailable as exc:
            return str(exc)
        return None

    def _start(self, actor: Actor, kind: str, arguments: dict,
               payload: bytes | None = None) -> JobView:
        broker = self._broker()
        with self.store.write() as session:
            job = Job(kind=kind, arguments=arguments, state="queued", message="queued",
                      payload=payload, created_by=actor.name, created_role=actor.role,
                      created_at=utcnow())
            session.add(job)
            session.flush()
            audit(session, actor, "job.start", job_id=job.id, kind=kind)
            job_id = job.id
        try:
            broker.enqueue(job_id)
        except JobsUnavailable as exc:
            with self.store.write() as session:
                session.execute(update(Job).where(Job.id == job_id).values(
                    state="failed", error=one_line(str(exc)), finished_at=utcnow(),
                    payload=None))
            raise
        return self.job(actor, job_id)

    def _existing_articles(self, actor: Actor, article_ids: list[int], action: str) -> list[int]:
        if not article_ids:
            raise InputError("choose at least one article")
        with self.store.read() as session:
            for article_id in article_ids:
                self.access.require_article(session, actor, article_id, action)
        return [int(a) for a in article_ids]

    def start_retranslation_job(self, actor: Actor, article_ids: list[int], *,
                                mode: str | None = None, model: str | None = None,
                                back_model: str | None = None) -> JobView:
        """Retranslate articles in a worker; one job batches all of them."""
        require(actor, "article.retranslate")
        if mode is not None and mode not in RETRANSLATION_MODES:
            raise InputError(f"unknown mode {mode!r}; use one of {', '.join(RETRANSLATION_MODES)}")
        ids = self._existing_articles(actor, article_ids, "article.retranslate")
        return self._start(actor, "retranslate", {"article_ids": ids, "mode": mode,
                                                  "model": model or None,
                                                  "back_model": back_model or None})

    def start_scoring_job(self, actor: Actor, article_ids: list[int],
                          comparison: str = "mt_vs_corrected") -> JobView:
        require(actor, "jobs.manage")
        ids = self._existing_articles(actor, article_ids, "article.read")
        return self._start(actor, "score", {"article_ids": ids, "comparison": comparison})

    def start_checks_job(self, actor: Actor, article_ids: list[int] | None = None) -> JobView:
        """Run the QA checks again (over every article when none is named)."""
        require(actor, "jobs.manage")
        if article_ids is None:
            with self.store.read() as session:
                article_ids = list(session.scalars(select(Article.id).where(listed())
                                                   .order_by(Article.id)))
        ids = self._existing_articles(actor, article_ids, "article.read")
        return self._start(actor, "checks", {"article_ids": ids})

    def queue_checks(self, actor: Actor, article_ids: list[int]) -> str | None:
        """Hand the QA checks of a big import to a worker: what to call the job, or None
        when no queue takes it (the import then checks the articles itself)."""
        require(actor, "article.import")
        try:
            job = self._start(actor, "checks", {"article_ids": article_ids})
        except JobsUnavailable:
            return None
        return f"job {job.id}"

    def start_import_job(self, actor: Actor, data: bytes, filename: str,
                         fmt: str | None = None, options: ReadOptions | None = None, *,
                         again: bool = False) -> JobView:
        """Import a big file in a worker; all or nothing, like an import on the page."""
        require(actor, "article.import")
        options = options or ReadOptions()
        return self._start(actor, "import", {"filename": filename, "format": fmt,
                                             "options": dict(options.__dict__),
                                             "again": again}, payload=data)

    def start_model_pull(self, actor: Actor, name: str) -> JobView:
        """Download a model from the hub (or its mirror) into this machine's cache."""
        require(actor, "settings.manage")
        if not name.strip():
            raise InputError("name the model to fetch, e.g. Helsinki-NLP/opus-mt-zh-en")
        return self._start(actor, "models.pull", {"name": name.strip()})

    def jobs(self, actor: Actor, limit: int = JOB_LIST_LIMIT) -> list[JobView]:
        """The newest jobs first."""
        require(actor, "jobs.manage")
        with self.store.read() as session:
            rows = session.scalars(select(Job).order_by(Job.id.desc()).limit(limit))
            return [view(job) for job in rows]

    def job(self, actor: Actor, job_id: int) -> JobView:
        require(actor, "jobs.manage")
        with self.store.read() as session:
            job = session.get(Job, job_id)
            if job is None:
                raise NotFound(f"no job with id {job_id}; `python -m review jobs` lists them")
            return view(job)

    def cancel_job(self, actor: Actor, job_id: int) -> str:
        """Cancel a queued or running job; a finished one is left as it is."""
        require(actor, "jobs.manage")
        with self.store.write() as session:
            job = session.get(Job, job_id)
            if job is None:
                raise NotFound(f"no job with id {job_id}; `python -m review jobs` lists them")
            if job.state in JOB_FINISHED_STATES:
                return f"job {job_id} already ended ({job.state}); nothing to cancel"
            if job.state == "queued":
                job.state, job.finished_at, job.payload = "cancelled", utcnow(), None
                job.message = "cancelled before it started"
                text = f"job {job_id} cancelled before it started"
            else:
                job.cancel_requested = True
                text = f"job {job_id} will stop at its next step; nothing of it is stored"
            audit(session, actor, "job.cancel", job_id=job_id)
        return text

    def retry_job(self, actor: Actor, job_id: int) -> JobView:
        """Start a failed or cancelled job again as a new job with the same arguments."""
        old = self.job(actor, job_id)
        if old.state not in ("failed", "cancelled"):
            raise InputError(f"job {job_id} is {old.state}; only failed or cancelled jobs "
                             "can be retried")
        if old.kind == "import":
            raise InputError("an import's file is not kept after it ends; import it again")
        require(actor, "settings.manage" if old.kind == "models.pull" else "jobs.manage")
        return self._start(actor, old.kind, old.arguments)
