"""The app under test: its server process, its command line, and a plan of who edits what.

Kept apart from the fixtures so that test modules can import these names.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
REPO = E2E_DIR.parents[1]
HOSTILE_FILE = E2E_DIR / "data" / "hostile.jsonl"
HOSTILE_TITLE = "Hostile <b>text</b> & **markup**"
START_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "REVIEW_DATABASE_URL": db_url,
        "REVIEW_SEED": "1",
        "REVIEW_NUM_BEAMS": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "PYTHONUNBUFFERED": "1",
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    })
    return env


def cli(db_url: str, *args: str, stdin: str | None = None) -> str:
    """Run ``python -m review ARGS --db URL``; its output, or a failure with its stderr."""
    done = subprocess.run([sys.executable, "-m", "review", *args, "--db", db_url], cwd=REPO,
                          env=server_env(db_url), input=stdin, capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"python -m review {' '.join(args)} failed ({done.returncode}):\n"
                    f"{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class Server:
    """A running ``streamlit run app.py`` on its own port and database."""

    url: str
    db_url: str
    log: Path
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def cli(self, *args: str, stdin: str | None = None) -> str:
        return cli(self.db_url, *args, stdin=stdin)

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"the app server exited with {self.process.returncode}:\n"
                        f"{self.log_tail()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(folder: Path, db_url: str) -> Server:
    """Start the app and wait for ``/_stcore/health``; fail fast when the process dies."""
    port = free_port()
    log = folder / f"streamlit-{port}.log"
    command = [sys.executable, "-m", "streamlit", "run", "app.py",
               "--server.headless", "true", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=server_env(db_url), stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = Server(url=f"http://127.0.0.1:{port}", db_url=db_url, log=log, process=process)
    health = f"{server.url}/_stcore/health"
    waited = 0.0
    while waited < START_TIMEOUT_S:
        server.check_alive()
        try:
            with urllib.request.urlopen(health, timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return server
        except OSError:
            pass
        try:
            process.wait(timeout=0.25)  # returns at once if the server dies meanwhile
        except subprocess.TimeoutExpired:
            waited += 0.25
    server.stop()
    pytest.fail(f"the app server did not answer {health} within {START_TIMEOUT_S:.0f} s:\n"
                f"{server.log_tail()}")


@dataclass(frozen=True)
class Seg:
    """A segment the tests act on, named as the Review page's segment picker shows it."""

    article_id: int
    segment_id: int
    position: int
    kind: str
    text: str

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def key(self) -> str:
        """Typed into the picker to find the segment (its text's start is unique)."""
        return self.text[:30]


@dataclass
class Plan:
    """Which segment each test uses, so tests sharing one database never meet."""

    wuzhen_id: int
    hostile_id: int
    segments: dict[str, Seg]
    suggested: list[tuple[Seg, int]]  # (segment, open suggestions)
    wuzhen: list[Seg] = field(default_factory=list)  # every row, by position

    def at(self, position: int) -> Seg:
        """The Wuzhen segment that was at ``position`` when the database was made."""
        return self.wuzhen[position]


def make_plan(db_url: str) -> Plan:
    """Read the fresh database once: the sample article, its segments and suggestions."""
    from review.accounts.permissions import SYSTEM_ACTOR
    from review.db.store import open_store
    from review.services import Workbench

    bench = Workbench(open_store(db_url))
    try:
        summaries = bench.reading.summaries(SYSTEM_ACTOR)
        wuzhen = next(a for a in summaries if "Wuzhen" in a.title)
        hostile = next(a for a in summaries if a.title == HOSTILE_TITLE)
        rows = [r for r in bench.reading.article(SYSTEM_ACTOR, wuzhen.id).rows if r.kind == "body"]
        suggested: list[tuple[Seg, int]] = []
        for article in summaries:
            for row in bench.reading.article(SYSTEM_ACTOR, article.id).rows:
                if not row.open_flags or row.kind not in ("body", "title"):
                    continue
                flags = [f for f in bench.reading.segment(SYSTEM_ACTOR, row.id).flags
                         if f.origin == "check" and f.state == "open"]
                if flags:
                    suggested.append((Seg(article.id, row.id, row.position, row.kind,
                                          row.current), len(flags)))
        taken = {seg.segment_id for seg, _ in suggested}
        free = [Seg(wuzhen.id, r.id, r.position, r.kind, r.current) for r in rows
                if r.id not in taken]
        # The grid test needs a row near the top (the grid scrolls); the rest go anywhere.
        purposes = ["grid", "edit", "flag", "restore", "export", "screenshot"]
        if len(free) < len(purposes):
            pytest.fail("the sample article has too few segments for the browser tests")
        segments = dict(zip(purposes, free))
        hostile_rows = bench.reading.article(SYSTEM_ACTOR, hostile.id).rows
        segments["hostile"] = next(
            Seg(hostile.id, r.id, r.position, r.kind, r.current) for r in hostile_rows
            if r.current.startswith("<img"))
        everything = [Seg(wuzhen.id, r.id, r.position, r.kind, r.current)
                      for r in bench.reading.article(SYSTEM_ACTOR, wuzhen.id).rows]
        return Plan(wuzhen.id, hostile.id, segments, suggested, everything)
    finally:
        bench.store.dispose()


@dataclass
class Watch:
    """What the page did besides rendering: dialogs opened and errors logged."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unload_prompts: list[str] = field(default_factory=list)
