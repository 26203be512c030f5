"""The ``jobs`` table: create, claim, report progress, finish, and requeue after a crash.

Every change is one short transaction with a condition on the state, so two workers never
both run a job and a cancel never races a finish into an impossible state.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast, overload

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from review.db.models import Job, utcnow
from review.db.store import Store

STALE_ENV = "REVIEW_JOB_STALE_S"
DEFAULT_STALE_S = 120.0
"""A running job whose heartbeat is older than this lost its worker: it is queued again.
Longer than any write transaction (a 100,000-segment import holds the SQLite writer for
about 40 s, and a heartbeat waits for it), so a busy job is never mistaken for a dead one."""
MAX_ATTEMPTS = 3


def stale_after() -> float:
    return float(os.environ.get(STALE_ENV) or DEFAULT_STALE_S)


def one_line(text: str, limit: int = 300) -> str:
    """An error as one readable line."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


@dataclass(frozen=True)
class JobView:
    """A job as pages and the command line show it (plain data)."""

    id: int
    kind: str
    arguments: dict
    state: str
    cancel_requested: bool
    done: int
    total: int
    message: str
    result: dict | None
    error: str
    attempts: int
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def fraction(self) -> float:
        if self.state == "done":
            return 1.0
        return min(1.0, self.done / self.total) if self.total else 0.0

    def to_json(self) -> dict:
        data = dict(self.__dict__)
        for key in ("created_at", "started_at", "finished_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


@overload
def _utc(moment: datetime) -> datetime: ...
@overload
def _utc(moment: datetime | None) -> datetime | None: ...


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything the store holds is UTC."""
    return moment.replace(tzinfo=UTC) if moment and not moment.tzinfo else moment


def view(job: Job) -> JobView:
    return JobView(id=job.id, kind=job.kind, arguments=dict(job.arguments or {}),
                   state=job.state, cancel_requested=job.cancel_requested, done=job.done,
                   total=job.total, message=job.message, result=job.result, error=job.error,
                   attempts=job.attempts, created_by=job.created_by,
                   created_at=_utc(job.created_at), started_at=_utc(job.started_at),
                   finished_at=_utc(job.finished_at))


def claim(store: Store, job_id: int, worker: str) -> Job | None:
    """Mark a queued job running for ``worker``; None when it is not queued (cancelled,
    taken by another worker, or unknown to this database)."""
    now = utcnow()
    with store.write() as session:
        # an UPDATE hands back a CursorResult, which the stubs widen to Result
        changed = cast(CursorResult[Any], session.execute(
            update(Job).where(Job.id == job_id, Job.state == "queued")
            .values(state="running", worker=worker, started_at=now, heartbeat_at=now,
                    attempts=Job.attempts + 1, message="started"))).rowcount
        return session.get(Job, job_id) if changed else None


def beat(store: Store, job_id: int, worker: str, done: int, total: int,
         message: str) -> bool:
    """Record progress and liveness; True when somebody asked to cancel the job."""
    with store.write() as session:
        session.execute(update(Job).where(Job.id == job_id, Job.state == "running",
                                          Job.worker == worker)
                        .values(heartbeat_at=utcnow(), done=done, total=total,
                                message=message[:300]))
        return bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def end(store: Store, job_id: int, worker: str, state: str, *, result: dict | None = None,
        error: str = "", message: str = "", done: int | None = None,
        total: int | None = None) -> None:
    """Finish a running job as done, failed or cancelled (only the worker that runs it)."""
    values: dict = dict(state=state, finished_at=utcnow(), error=one_line(error),
                        message=message[:300], payload=None)
    if result is not None:
        values["result"] = result
    if total is not None:
        values.update(done=done or 0, total=total)
    with store.write() as session:
        session.execute(update(Job).where(Job.id == job_id, Job.state == "running",
                                          Job.worker == worker).values(**values))


def requeue_stale(store: Store, *, seconds: float | None = None,
                  max_attempts: int = MAX_ATTEMPTS) -> list[int]:
    """Jobs whose worker stopped beating go back to the queue (or fail after too many
    tries); returns the ids to enqueue again. Nothing a dead worker did is stored, since
    tasks write their results in one transaction at the end."""
    limit = utcnow() - timedelta(seconds=seconds if seconds is not None else stale_after())
    again: list[int] = []
    with store.write() as session:
        stale = session.execute(select(Job.id, Job.attempts, Job.cancel_requested).where(
            Job.state == "running", Job.heartbeat_at < limit)).all()
        for job_id, attempts, cancel in stale:
            if cancel:
                values = dict(state="cancelled", finished_at=utcnow(), payload=None,
                              message="cancelled; its worker had stopped")
            elif attempts >= max_attempts:
                values = dict(state="failed", finished_at=utcnow(), payload=None,
                              error=f"its worker stopped {attempts} times during this job; "
                                    "see the workers' logs")
            else:
                values = dict(state="queued", worker="",
                              message=f"queued again after its worker stopped "
                                      f"(attempt {attempts + 1} of {max_attempts})")
            changed = cast(CursorResult[Any], session.execute(update(Job).where(
                Job.id == job_id, Job.state == "running", Job.heartbeat_at < limit)
                .values(**values))).rowcount
            if changed and values["state"] == "queued":
                again.append(job_id)
    return again
