"""A terminal progress bar for long CLI jobs (stderr, so --json output stays clean)."""

from __future__ import annotations

import sys
import time


class TerminalProgress:
    def __init__(self, label: str, stream=sys.stderr) -> None:  # noqa: ANN001
        self.label = label
        self.stream = stream
        self.started = time.monotonic()
        self._last = -1.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.2:
            return
        self._last = now
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} {now - self.started:5.1f}s")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
