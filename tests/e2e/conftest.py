"""The real app in a real browser: a Streamlit server per database and Debian's Chromium.

Without playwright or ``/usr/bin/chromium`` the browser tests are skipped with the reason;
with ``CI=true`` that is a failure instead. The main server runs in the no-account local
admin mode on a fresh database holding the samples and a hostile article, both loaded
with the command line before the server starts; the accounts tests get a second server
with a database of their own, because the first account turns logins on for everybody.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
REPO = E2E_DIR.parents[1]
HOSTILE_FILE = E2E_DIR / "data" / "hostile.jsonl"
HOSTILE_TITLE = "Hostile <b>text</b> & **markup**"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS_ENV = "REVIEW_SCREENSHOTS"
START_TIMEOUT_S = 90.0
VIEWPORT = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.timeout(240))


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -r requirements-dev.txt"
    if not CHROMIUM.exists():
        return ("Chromium is not installed at /usr/bin/chromium: run tools/install-browser.sh "
                "(apt-get install chromium)")
    return None


def require_browser() -> None:
    reason = browser_missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


# ------------------------------------------------------------------------ the app server
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


def make_plan(db_url: str) -> Plan:
    """Read the fresh database once: the sample article, its segments and suggestions."""
    from review.permissions import SYSTEM_ACTOR
    from review.services import Workbench
    from review.store import open_store

    bench = Workbench(open_store(db_url))
    try:
        summaries = bench.summaries(SYSTEM_ACTOR)
        wuzhen = next(a for a in summaries if "Wuzhen" in a.title)
        hostile = next(a for a in summaries if a.title == HOSTILE_TITLE)
        rows = [r for r in bench.article(SYSTEM_ACTOR, wuzhen.id).rows if r.kind == "body"]
        suggested: list[tuple[Seg, int]] = []
        for article in summaries:
            for row in bench.article(SYSTEM_ACTOR, article.id).rows:
                if not row.open_flags or row.kind not in ("body", "title"):
                    continue
                flags = [f for f in bench.segment(SYSTEM_ACTOR, row.id).flags
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
        hostile_rows = bench.article(SYSTEM_ACTOR, hostile.id).rows
        segments["hostile"] = next(
            Seg(hostile.id, r.id, r.position, r.kind, r.current) for r in hostile_rows
            if r.current.startswith("<img"))
        return Plan(wuzhen.id, hostile.id, segments, suggested)
    finally:
        bench.store.dispose()


@pytest.fixture(scope="session")
def e2e_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def seeded_db(e2e_dir: Path) -> Path:
    """A database holding the samples, loaded by the command line (then copied for servers)."""
    require_browser()
    path = e2e_dir / "seeded.db"
    cli(f"sqlite:///{path}", "seed")
    return path


def fresh_copy(seeded: Path, folder: Path, name: str) -> str:
    """A copy of the seeded database (the CLI has exited, so the file is complete)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(seeded, target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def prepared_db(seeded_db: Path, e2e_dir: Path) -> tuple[str, Plan]:
    """The main database: the samples, then the hostile article imported by the CLI."""
    db_url = fresh_copy(seeded_db, e2e_dir / "main", "e2e.db")
    cli(db_url, "import", str(HOSTILE_FILE), "--format", "jsonl", "--source-lang", "zh",
        "--target-lang", "en", "--title", HOSTILE_TITLE)
    return db_url, make_plan(db_url)


@pytest.fixture(scope="session")
def plan(prepared_db: tuple[str, Plan]) -> Plan:
    return prepared_db[1]


@pytest.fixture(scope="session")
def app_server(prepared_db: tuple[str, Plan], e2e_dir: Path) -> Iterator[Server]:
    server = start_server(e2e_dir / "main", prepared_db[0])
    yield server
    server.stop()


@pytest.fixture(scope="session")
def accounts_server(seeded_db: Path, e2e_dir: Path) -> Iterator[Server]:
    """A second server on its own database, where accounts get created."""
    folder = e2e_dir / "accounts"
    server = start_server(folder, fresh_copy(seeded_db, folder, "accounts.db"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def tiny_model(e2e_dir: Path) -> Path:
    """A random-weight Marian model in a folder: the retranslation panel takes its path."""
    from tests.tiny_marian import build_tiny_marian

    return build_tiny_marian(e2e_dir / "tiny-marian", seed=0)


# ------------------------------------------------------------------------ the browser
@pytest.fixture(scope="session")
def browser():  # noqa: ANN201 - playwright Browser
    """One Playwright and one Chromium per test session."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What the page did besides rendering: dialogs opened and errors logged."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def new_page(browser, server: Server, watch: Watch):  # noqa: ANN001, ANN201
    from tests.e2e.helpers import track_socket

    context = browser.new_context(base_url=server.url, viewport=dict(VIEWPORT),
                                  accept_downloads=True)
    page = context.new_page()
    track_socket(page)

    def on_dialog(dialog) -> None:  # noqa: ANN001
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: watch.errors.append(f"page error: {exc}"))
    page.on("console", lambda msg: watch.errors.append(f"console: {msg.text}")
            if msg.type == "error" else None)
    return context, page


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser, app_server: Server, watch: Watch):  # noqa: ANN001, ANN201
    """A fresh browser context (so a fresh Streamlit session) on the main server."""
    context, page = new_page(browser, app_server, watch)
    yield page
    context.close()
    app_server.check_alive()
    assert not watch.dialogs, f"the page opened dialogs: {watch.dialogs}"


@pytest.fixture
def accounts_session(browser, accounts_server: Server, watch: Watch):  # noqa: ANN001, ANN201
    """Opens browser sessions (each its own context: a separate user) on the accounts server."""
    contexts = []

    def open_session():  # noqa: ANN202 - playwright Page
        context, page = new_page(browser, accounts_server, watch)
        contexts.append(context)
        return page

    yield open_session
    for context in contexts:
        context.close()
    accounts_server.check_alive()
    assert not watch.dialogs, f"the page opened dialogs: {watch.dialogs}"


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    folder = os.environ.get(SCREENSHOTS_ENV)
    if not folder:
        pytest.skip(f"set {SCREENSHOTS_ENV}=docs/screenshots to write the screenshots")
    path = Path(folder)
    if not path.is_absolute():
        path = REPO / path
    path.mkdir(parents=True, exist_ok=True)
    return path
