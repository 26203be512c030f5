"""At most a few password hashes or checks at once in this process.

An argon2 hash or check holds 64 MiB for about a third of a second. Without a bound, a burst
of logins (or of wrong passwords) multiplies that by the number of requests: 16 at once took
the app past 900 MiB. A process-wide semaphore lets ``REVIEW_PASSWORD_CHECKS`` (default 2)
run at a time; the others wait their turn, at most ``WAIT_S`` seconds, then are told to try
again.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from review.core.errors import AuthError

SLOTS_ENV = "REVIEW_PASSWORD_CHECKS"
DEFAULT_SLOTS = 2
MAX_SLOTS = 64
WAIT_S = 30.0
BUSY = "the server is busy checking other passwords; try again in a minute"


class Gate:
    """A bounded number of slots for memory-hungry password work."""

    def __init__(self, slots: int) -> None:
        self.slots = max(1, min(MAX_SLOTS, int(slots)))
        self._free = threading.BoundedSemaphore(self.slots)

    @contextmanager
    def slot(self, wait_s: float | None = None) -> Iterator[None]:
        if not self._free.acquire(timeout=WAIT_S if wait_s is None else wait_s):
            raise AuthError(BUSY)
        try:
            yield
        finally:
            self._free.release()


def configured_slots(environ: dict[str, str] | None = None) -> int:
    value = (os.environ if environ is None else environ).get(SLOTS_ENV, "")
    try:
        return max(1, min(MAX_SLOTS, int(value))) if value.strip() else DEFAULT_SLOTS
    except ValueError:
        return DEFAULT_SLOTS


GATE = Gate(configured_slots())
"""The process's gate; ``review.accounts.auth`` takes a slot for every hash and check."""
