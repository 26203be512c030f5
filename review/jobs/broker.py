"""The task queue behind the jobs: Huey over SQLite (embedded), Redis or PostgreSQL.

Messages carry only a job id; the ``jobs`` table holds everything else. The worker binds the
function that runs a job (``bind``), so this module imports nothing above the store and no
import loop runs through it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from review.core.errors import ReviewError

BROKER_ENV = "REVIEW_BROKER_URL"
QUEUE_ENV = "REVIEW_QUEUE_NAME"
DEFAULT_QUEUE = "review"
CHECK_TTL_S = 5.0
CONNECT_TIMEOUT_S = 2.0
"""A broker that does not answer within this is reported unreachable, not waited for."""


class JobsUnavailable(ReviewError):
    """The task queue cannot be reached or is not configured: jobs cannot start."""


_handler: Callable[[int], object] | None = None  # what it returns is not used


def run_job(job_id: int) -> None:
    """The one queue task: hand the job id to the function the worker bound."""
    if _handler is None:
        raise RuntimeError("this process runs no jobs: start `python -m review worker`")
    _handler(job_id)


def bind(handler: Callable[[int], object]) -> None:
    """Make this process run jobs with ``handler`` (called by the worker)."""
    global _handler
    _handler = handler


def redact(url: str) -> str:
    """A broker URL fit for a message: no password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not an SQLAlchemy-style URL: show the scheme only
        return url.split("://", 1)[0] + "://…"


def default_broker_url(database_url: str) -> str:
    """``REVIEW_BROKER_URL``, else a SQLite queue file beside a SQLite database."""
    explicit = os.environ.get(BROKER_ENV, "").strip()
    if explicit:
        return explicit
    parsed = make_url(database_url)
    if parsed.get_backend_name() != "sqlite":
        raise JobsUnavailable(
            f"jobs are unavailable: a {parsed.get_backend_name()} database needs a broker; "
            f"set {BROKER_ENV}=redis://HOST:6379/0 (or a postgresql:// URL)")
    database = parsed.database or ""
    if not database or database == ":memory:":
        raise JobsUnavailable(f"jobs are unavailable for an in-memory database; set {BROKER_ENV}")
    path = Path(database)
    return f"sqlite:///{path.with_name(path.stem + '.jobs' + (path.suffix or '.db'))}"


def _create_huey(url: str, name: str):  # noqa: ANN202
    """A Huey instance for ``url``, with short connect timeouts so nothing hangs."""
    scheme = url.split("://", 1)[0].lower()
    if scheme == "sqlite":
        from huey import SqliteHuey

        filename = url[len("sqlite:///"):]
        folder = Path(filename).expanduser().resolve().parent
        if not folder.is_dir():
            raise JobsUnavailable(f"jobs are unavailable: the folder for the queue file "
                                  f"{filename!r} does not exist")
        return SqliteHuey(name, filename=filename, results=False, timeout=30)
    if scheme in ("redis", "rediss", "unix"):
        from huey import RedisHuey
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_S,
                                       socket_timeout=CONNECT_TIMEOUT_S + 5)
        return RedisHuey(name, connection_pool=pool, results=False, read_timeout=1)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        from huey import PostgresHuey

        dsn = "postgresql://" + url.split("://", 1)[1]
        return PostgresHuey(name, dsn=dsn, results=False, connect_timeout=int(CONNECT_TIMEOUT_S))
    raise JobsUnavailable(f"jobs are unavailable: {BROKER_ENV} must start with sqlite://, "
                          f"redis:// or postgresql://, not {redact(url)!r}")


class Broker:
    """One queue: enqueue job ids, check it answers, hand out its Huey for a consumer."""

    def __init__(self, url: str, name: str = DEFAULT_QUEUE) -> None:
        self.url = url
        self.name = name
        self._checked: tuple[float, JobsUnavailable | None] | None = None
        self.huey = _create_huey(url, name)
        self.task = self.huey.task(name="run_job")(run_job)

    def check(self) -> None:
        """Raise ``JobsUnavailable`` with one line unless the queue answers (seconds, not 30).

        The answer is kept for a few seconds, so a page that asks on every rerun waits for
        a silent broker at most once in that time."""
        now = time.monotonic()
        if self._checked is not None and now - self._checked[0] < CHECK_TTL_S:
            if self._checked[1] is not None:
                raise self._checked[1]
            return
        failure = None
        try:
            self.huey.pending_count()
        except Exception as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            failure = JobsUnavailable(
                f"jobs are unavailable: the job queue at {redact(self.url)} cannot be reached "
                f"({reason}); start it or change {BROKER_ENV}")
        self._checked = (time.monotonic(), failure)
        if failure is not None:
            raise failure

    def enqueue(self, job_id: int) -> None:
        try:
            self.task(job_id)
        except Exception as exc:
            raise JobsUnavailable(f"jobs are unavailable: could not queue job {job_id} at "
                                  f"{redact(self.url)} ({exc})") from exc

    def pending(self) -> int:
        return self.huey.pending_count()

    def run_pending(self, limit: int = 100) -> int:
        """Run queued messages in this thread (tests, and a worker-less single process)."""
        ran = 0
        while ran < limit:
            task = self.huey.dequeue()
            if task is None:
                break
            self.huey.execute(task)
            ran += 1
        return ran


_BROKERS: dict[tuple[str, str], Broker] = {}
_LOCK = threading.Lock()


def broker_for(database_url: str) -> Broker:
    """The broker for a database (shared per process), from the environment's settings."""
    url = default_broker_url(database_url)
    name = os.environ.get(QUEUE_ENV, "").strip() or DEFAULT_QUEUE
    with _LOCK:
        broker = _BROKERS.get((url, name))
        if broker is None:
            broker = _BROKERS[(url, name)] = Broker(url, name)
    return broker
