"""Run one job by id: claim it, run its task with a heartbeat, record how it ended."""

from __future__ import annotations

import logging
import os
import socket
import threading

from review.accounts.permissions import Actor
from review.core.errors import ReviewError
from review.db.models import Job
from review.db.store import Store
from review.jobs import records
from review.jobs.context import Cancelled, JobContext
from review.services import Workbench
from review.worker.tasks import TASKS

log = logging.getLogger("review.jobs")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def _payload(store: Store, job_id: int) -> bytes | None:
    with store.read() as session:
        job = session.get(Job, job_id)
        return job.payload if job is not None else None


def execute(store: Store, job_id: int) -> str:
    """Run the job if it is still queued; returns the state it ended in ("skipped" when
    another worker has it or it was cancelled before it started)."""
    me = worker_name()
    job = records.claim(store, job_id, me)
    if job is None:
        return "skipped"
    task = TASKS.get(job.kind)
    actor = Actor(job.created_by or "pipeline", job.created_role or "admin")
    workbench = Workbench(store)
    with JobContext(store, job_id, me) as ctx:
        try:
            if task is None:
                raise ReviewError(f"unknown job kind {job.kind!r}; is this worker older than "
                                  "the app?")
            payload = _payload(store, job_id) if job.kind == "import" else None
            result = task(workbench, actor, ctx, dict(job.arguments or {}), payload)
            ctx.check()  # a cancel that came in during the last step still wins
        except Cancelled:
            records.end(store, job_id, me, "cancelled", message="cancelled; nothing was stored",
                        done=ctx.done, total=ctx.total)
            return "cancelled"
        except ReviewError as exc:
            records.end(store, job_id, me, "failed", error=str(exc), message="failed")
            return "failed"
        except Exception as exc:  # a bug or the machine: one line here, the trace in the log
            log.exception("job %s (%s) failed", job_id, job.kind)
            records.end(store, job_id, me, "failed", message="failed",
                        error=f"{type(exc).__name__}: {exc}")
            return "failed"
    records.end(store, job_id, me, "done", result=result, message="done", done=ctx.total,
                total=ctx.total)
    return "done"
