"""What a running task sees of its job: progress, cancellation and a heartbeat.

Progress is kept in memory and written by a heartbeat thread about once a second, so a task
reporting every segment costs no extra transactions, and a job whose worker dies shows a
stale heartbeat that ``records.requeue_stale`` notices.
"""

from __future__ import annotations

import threading

from review.db.store import Store
from review.jobs import records


class Cancelled(Exception):
    """Raised inside a task when its job was cancelled; nothing is stored."""


class JobContext:
    """Progress reporting and cancellation for one running job."""

    def __init__(self, store: Store, job_id: int, worker: str,
                 interval: float | None = None) -> None:
        self.store = store
        self.job_id = job_id
        self.worker = worker
        self.interval = interval or max(0.2, min(1.0, records.stale_after() / 5))
        self.done = 0
        self.total = 0
        self.message = "started"
        self._cancel = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-beat",
                                        daemon=True)

    def progress(self, done: int, total: int, message: str | None = None) -> None:
        self.done, self.total = done, total
        if message is not None:
            self.message = message

    def should_cancel(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` when the job was cancelled (call between steps)."""
        if self._cancel.is_set():
            raise Cancelled()

    def flush(self) -> None:
        if records.beat(self.store, self.job_id, self.worker, self.done, self.total,
                        self.message):
            self._cancel.set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.flush()
            except Exception:  # a busy database now and then must not kill the job
                continue

    def __enter__(self) -> JobContext:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
