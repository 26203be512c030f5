"""``python -m review worker``: a Huey consumer that runs jobs, and requeues the jobs of
workers that died (their heartbeat went stale)."""

from __future__ import annotations

import logging
import sys
import threading

from review.db.store import Store
from review.jobs import records
from review.jobs.broker import Broker, bind, broker_for, redact
from review.worker.runner import execute
from review.worker.translators import translator

log = logging.getLogger("review.jobs")


def attach(store: Store, broker: Broker | None = None) -> Broker:
    """Make this process run the jobs of ``store``; checks the broker answers."""
    broker = broker or broker_for(store.url)
    broker.check()
    bind(lambda job_id: execute(store, int(job_id)))
    return broker


def reap(store: Store, broker: Broker) -> list[int]:
    """Queue again the jobs whose worker stopped beating."""
    again = records.requeue_stale(store)
    for job_id in again:
        broker.enqueue(job_id)
        log.warning("job %s queued again: its worker stopped", job_id)
    return again


def _reaper(store: Store, broker: Broker, stop: threading.Event) -> None:
    every = max(0.5, records.stale_after() / 3)
    while True:
        try:
            reap(store, broker)
        except Exception:
            log.exception("could not requeue stale jobs")
        if stop.wait(every):
            return


def run_worker(store: Store, workers: int = 1, preload: list[str] | None = None) -> None:
    """Consume jobs until interrupted (Ctrl-C or SIGTERM); ``preload`` names models to load
    first, so a worker machine's first job does not wait for them."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    broker = attach(store)
    for name in preload or []:
        translator(name).translate(["warm up"], "zh", "en")
    stop = threading.Event()
    threading.Thread(target=_reaper, args=(store, broker, stop), daemon=True,
                     name="job-reaper").start()
    consumer = broker.huey.create_consumer(workers=workers, worker_type="thread",
                                           periodic=False, initial_delay=0.1, max_delay=1.0,
                                           backoff=1.15)
    print(f"worker ready: {workers} thread(s) on queue {broker.name!r} at "
          f"{redact(broker.url)}", file=sys.stderr, flush=True)
    try:
        consumer.run()
    finally:
        stop.set()
