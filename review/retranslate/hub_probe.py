"""Whether the model hub answers, asked once, briefly, before any hub library call.

Offline, huggingface_hub retries a failed connection five times with backoff (about 25 s
and ten lines of retry warnings per model file) before it gives up. So a hub id that is
not a local folder is preceded by one TCP connect to the hub (``HF_ENDPOINT`` or
huggingface.co), the name lookup included, bounded by ``PROBE_TIMEOUT_S`` and never
retried: an unreachable hub becomes one line at once, and a model already in the cache
loads from the cache without asking the hub again.
"""

from __future__ import annotations

import os
import socket
import threading
from urllib.parse import urlsplit

DEFAULT_ENDPOINT = "https://huggingface.co"
PROBE_TIMEOUT_S = 2.0
"""How long the one connection attempt (name lookup and connect) may take."""


def endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def unreachable_reason(url: str | None = None, timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """Why the hub at ``url`` cannot be reached (None when a connection opens).

    The attempt runs in a daemon thread so that a name lookup that hangs (no resolver
    answers) is bounded too: ``socket.create_connection``'s timeout covers the connect only.
    """
    parts = urlsplit(url or endpoint())
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return f"{url} has no valid port"
    outcome: list[str | None] = []

    def attempt() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                outcome.append(None)
        except OSError as exc:
            outcome.append(exc.strerror or str(exc) or type(exc).__name__)

    worker = threading.Thread(target=attempt, name="hub-probe", daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    if not outcome:
        return f"no answer within {timeout:g} s"
    return outcome[0]
