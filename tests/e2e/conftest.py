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
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import (
    E2E_DIR,
    HOSTILE_FILE,
    HOSTILE_TITLE,
    REPO,
    Plan,
    Server,
    Watch,
    cli,
    make_plan,
    start_server,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
SCREENSHOTS_ENV = "REVIEW_SCREENSHOTS"
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


@pytest.fixture(scope="module")
def prepared_db(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Plan]:
    """The main database: the samples, then the hostile article imported by the CLI.

    One per test module, with its own server: a module's merges, splits and saves never
    change the segments the next module's flows expect."""
    db_url = fresh_copy(seeded_db, tmp_path_factory.mktemp("main"), "e2e.db")
    cli(db_url, "import", str(HOSTILE_FILE), "--format", "jsonl", "--source-lang", "zh",
        "--target-lang", "en", "--title", HOSTILE_TITLE)
    return db_url, make_plan(db_url)


@pytest.fixture(scope="module")
def plan(prepared_db: tuple[str, Plan]) -> Plan:
    return prepared_db[1]


@pytest.fixture(scope="module")
def app_server(prepared_db: tuple[str, Plan]) -> Iterator[Server]:
    server = start_server(Path(prepared_db[0].removeprefix("sqlite:///")).parent, prepared_db[0])
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


def new_page(browser, server: Server, watch: Watch):  # noqa: ANN001, ANN201
    from tests.e2e.helpers import track_socket

    context = browser.new_context(base_url=server.url, viewport=dict(VIEWPORT),
                                  accept_downloads=True)
    page = context.new_page()
    track_socket(page)

    def on_dialog(dialog) -> None:  # noqa: ANN001
        if dialog.type == "beforeunload":  # the unsaved-drafts warning: leave anyway
            watch.unload_prompts.append(dialog.message)
            dialog.accept()
            return
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
