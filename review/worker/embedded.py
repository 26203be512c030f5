"""An in-process consumer for the embedded default: the app runs its own jobs, so
``make run`` (or a bare ``streamlit run app.py``) needs no worker process and no broker.

It starts only when the queue is the embedded SQLite file (``REVIEW_EMBEDDED_WORKER=auto``,
the default) or when asked (``=1``); teams on Redis run ``python -m review worker``
instead. A daemon thread polls the queue; jobs of a stopped app are requeued by the next
app or worker to start, like any other worker's.
"""

from __future__ import annotations

import logging
import os
import threading

from review.db.store import Store
from review.jobs.broker import JobsUnavailable, broker_for
from review.worker.loop import attach, reap

EMBEDDED_ENV = "REVIEW_EMBEDDED_WORKER"
log = logging.getLogger("review.jobs")
_STARTED: dict[str, tuple[threading.Thread, threading.Event]] = {}
_LOCK = threading.Lock()


def wanted(store: Store) -> bool:
    setting = os.environ.get(EMBEDDED_ENV, "auto").strip().lower()
    if setting in ("0", "false", "no", "off"):
        return False
    if setting in ("1", "true", "yes", "on"):
        return True
    try:
        return broker_for(store.url).url.startswith("sqlite:")
    except JobsUnavailable:
        return False


def _loop(store: Store, stop: threading.Event) -> None:
    broker = broker_for(store.url)
    idle = 0.1
    reaped_at = 0.0
    while not stop.is_set():
        try:
            ran = broker.run_pending(limit=1)
            if stop.wait(0):
                return
            reaped_at += idle if not ran else 0.0
            if reaped_at >= 5.0:
                reap(store, broker)
                reaped_at = 0.0
        except Exception:  # keep consuming: one bad message must not stop the app's jobs
            log.exception("the app's job thread hit an error")
            ran = 0
        idle = 0.1 if ran else min(1.0, idle * 1.5)
        if not ran:
            stop.wait(idle)


def start_embedded(store: Store) -> bool:
    """Start this process's job thread once per database; False when not wanted or the
    queue cannot be reached (the pages then say jobs are unavailable)."""
    if not wanted(store):
        try:  # say once, at start-up, when the team's queue cannot be reached
            broker_for(store.url).check()
        except JobsUnavailable as exc:
            log.warning("%s", exc)
        return False
    with _LOCK:
        if store.url in _STARTED:
            return True
        try:
            broker = attach(store)
            reap(store, broker)
        except JobsUnavailable as exc:
            log.warning("%s", exc)
            return False
        stop = threading.Event()
        thread = threading.Thread(target=_loop, args=(store, stop), daemon=True,
                                  name="review-jobs")
        thread.start()
        _STARTED[store.url] = (thread, stop)
    return True


def stop_embedded() -> None:
    """Stop every job thread of this process (tests, before their databases go away)."""
    with _LOCK:
        running = list(_STARTED.values())
        _STARTED.clear()
    for thread, stop in running:
        stop.set()
        thread.join(timeout=30)
