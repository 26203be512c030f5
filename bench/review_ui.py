"""The Review page in Chromium: how fast the workspace answers, and how few keys it takes.

Starts the app on a fresh copy of the samples, drives it with Playwright (Debian's Chromium
at 1366x768) and prints medians over ``--actions`` actions:

- next segment (j), measured in the page from the key event to the next painted frame, and
  the number of messages sent to the server meanwhile (must be 0: no Python runs);
- save-and-next (Ctrl+Enter): until the next segment's editor has focus, and until the
  server has answered the save; against a full-page rerun measured in the same run (a filter
  toggled outside the workspace);
- a Major flag on a span: one drag and two keys (M, then the category's number);
- read, fix one word, save, next: keys pressed besides the typing;
- long articles: the same page on generated articles of 20 and 5,000 segments (one
  retranslation each): first render, a filter, j/k, the first save in a server process
  that has not checked the article yet (the app is started fresh; the articles are imported
  by another process), save confirmed, the server's CPU per save (from /proc, the
  Streamlit process's user+system time over the saves) and the DOM size, with the ratios
  between the two.

    .venv/bin/python -m bench.review_ui [--actions 20] [--long 5000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.e2e.helpers import rerun, track_socket, wait_idle  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}

NEXT_FRAME = """() => new Promise(done => {
  const root = document.querySelector('.rw-root');
  const start = performance.now();
  document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}));
  requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
})"""


FILTER_FRAME = """() => new Promise(done => {
  const select = document.querySelector('.rw-filter[aria-label="Status filter"]');
  const start = performance.now();
  select.value = select.value === 'open' ? '' : 'open';
  select.dispatchEvent(new Event('change', {bubbles: true}));
  requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - start)));
})"""


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_app(folder: Path, port: int, long: int) -> tuple[subprocess.Popen, dict[int, int]]:
    """The app on the samples plus generated articles of 20 and ``long`` segments."""
    from bench.long_article import load
    from review.db.store import open_store
    from review.services import Workbench

    db = f"sqlite:///{folder / 'bench.db'}"
    subprocess.run([sys.executable, "-m", "review", "seed", "--db", db], cwd=REPO, check=True,
                   capture_output=True)
    workbench = Workbench(open_store(db))
    try:
        generated = {size: load(workbench, size, seed=size) for size in (20, long)}
    finally:
        workbench.store.dispose()
    env = {"REVIEW_DATABASE_URL": db, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1",
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "PATH": "/usr/bin:/bin"}
    log = (folder / "server.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"], cwd=REPO, env=env, stdout=log,
        stderr=subprocess.STDOUT), generated


def wait_for(process: subprocess.Popen, port: int, folder: Path) -> None:
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.25)
    process.kill()
    raise SystemExit("the app did not start; see " + str(folder / "server.log"))


def bench_article(page, port: int, article_id: int, actions: int,  # noqa: ANN001
                  server_pid: int) -> dict[str, float]:
    """First render (the article chosen in the Article box until its current card is
    drawn), a filter, j/k, the first save (the first check of the article in this server
    process: it reads the article's norms kept in the store), then save confirmed and server
    CPU per save over ``actions``."""
    from tests.e2e.helpers import selection

    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_selector(".rw-seg.rw-current", timeout=60_000)
    wait_idle(page)
    field = selection(page, "Article")
    field.click()
    field.fill(f"{article_id} · ")
    option = page.locator("[role=option]").filter(has_text=f"{article_id} · ").first
    start = time.perf_counter()
    option.click()
    page.wait_for_selector(f".rw-root[data-article='{article_id}'] .rw-seg.rw-current",
                           timeout=120_000)
    first = time.perf_counter() - start
    settle(page)
    page.locator(".rw-seg.rw-current").focus()
    filters = [page.evaluate(FILTER_FRAME) for _ in range(actions)]
    page.locator(".rw-seg.rw-current").focus()
    moves = [page.evaluate(NEXT_FRAME) for _ in range(actions)]
    settle(page)
    nodes = page.evaluate("document.getElementsByTagName('*').length")
    page.locator(".rw-seg.rw-current").focus()
    _, first_save = bench_save_next(page, 1)
    page.locator(".rw-seg.rw-current").focus()
    cpu_before = cpu_seconds(server_pid)
    _, answered = bench_save_next(page, actions)
    cpu = (cpu_seconds(server_pid) - cpu_before) / actions
    return {"first": first, "filter": statistics.median(filters),
            "next": statistics.median(moves), "first_save": first_save, "save": answered,
            "cpu": cpu, "nodes": nodes}


def current_id(page) -> int:  # noqa: ANN001
    return int(page.locator(".rw-seg.rw-current").get_attribute("data-id"))


def settle(page) -> None:  # noqa: ANN001
    page.wait_for_selector(".rw-root[data-pending='0']", timeout=30_000)
    wait_idle(page)


def bench_next(page, actions: int, sent: list) -> tuple[float, int]:  # noqa: ANN001
    page.locator(".rw-seg.rw-current").focus()
    before = len(sent)
    times = [page.evaluate(NEXT_FRAME) for _ in range(actions)]
    return statistics.median(times), len(sent) - before


def bench_save_next(page, actions: int) -> tuple[float, float]:  # noqa: ANN001
    editable, answered = [], []
    page.keyboard.press("Enter")
    for i in range(actions):
        area = page.locator(".rw-current textarea.rw-editor")
        area.press("End")
        area.type(f" ({i})")
        saved = current_id(page)
        start = time.perf_counter()
        page.keyboard.press("Control+Enter")
        page.wait_for_function(
            "id => { const a = document.activeElement; const c = a && a.closest('.rw-seg');"
            " return a && a.classList.contains('rw-editor') && c && Number(c.dataset.id) !== id; }",
            arg=saved, timeout=30_000)
        editable.append(time.perf_counter() - start)
        page.wait_for_selector(".rw-root[data-pending='0']", timeout=30_000)
        answered.append(time.perf_counter() - start)
        wait_idle(page)
    page.keyboard.press("Escape")
    return statistics.median(editable), statistics.median(answered)


def bench_full_rerun(page, actions: int) -> float:  # noqa: ANN001
    """A whole-page rerun: another article chosen in the Article box, and back."""
    from tests.e2e.helpers import selection

    field = selection(page, "Article")
    first = field.input_value().split(" · ")[0]
    times = []
    for i in range(actions):
        target = "2 · " if i % 2 == 0 else f"{first} · "
        field.click()
        field.fill(target)
        option = page.locator("[role=option]").filter(has_text=target).first
        start = time.perf_counter()
        with rerun(page):
            option.click()
        page.wait_for_selector(".rw-seg.rw-current", timeout=30_000)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def major_flag(page) -> tuple[int, int, bool]:  # noqa: ANN001
    """One drag and the keys it takes to store a Major flag; whether it was stored."""
    from tests.e2e.workspace_flows import drag_words

    long_one = page.locator(".rw-seg:not(.rw-residue)").filter(
        has_text="Yangtze River Delta").last
    long_one.locator(".rw-head").click()
    box = page.locator(".rw-seg.rw-current .rw-text[data-field='target']")
    text = box.inner_text()
    word = text.split()[2]
    start = text.index(word)
    drag_words(page, box, start, start + len(word))
    keys = ["M", "4", "Enter"]
    for key in keys:
        page.keyboard.press(key)
    settle(page)
    stored = "Flagged: Major" in page.locator(".rw-msg").inner_text()
    return 1, len(keys), stored


def fix_one_word(page) -> tuple[int, bool]:  # noqa: ANN001
    """Keys besides typing to read a segment, fix its last word, save and reach the next."""
    before = current_id(page)
    keys = ["Enter", "Control+Backspace", "Control+Enter"]
    page.keyboard.press(keys[0])  # the editor opens with the caret at the end
    keys_pressed = 1
    page.keyboard.press(keys[1])
    keys_pressed += 1
    page.keyboard.type("fixed.")
    page.keyboard.press(keys[2])
    keys_pressed += 1
    settle(page)
    return keys_pressed, current_id(page) != before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=20)
    parser.add_argument("--long", type=int, default=5000,
                        help="segments of the generated long article")
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server, generated = start_app(Path(tmp), args.port, args.long)
        wait_for(server, args.port, Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport=VIEWPORT)
                track_socket(page)
                sent: list = []
                page.on("websocket",
                        lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
                page.goto(f"http://127.0.0.1:{args.port}/")
                page.wait_for_selector(".rw-seg.rw-current", timeout=60_000)
                wait_idle(page)
                next_ms, messages = bench_next(page, args.actions, sent)
                page.locator(".rw-seg").nth(1).locator(".rw-head").click()
                editable, answered = bench_save_next(page, args.actions)
                full = bench_full_rerun(page, args.actions)
                drags, flag_keys, flagged = major_flag(page)
                fix_keys, moved = fix_one_word(page)
                sizes = {}
                for size, article_id in generated.items():
                    fresh = browser.new_page(viewport=VIEWPORT)
                    track_socket(fresh)
                    sizes[size] = bench_article(fresh, args.port, article_id, args.actions,
                                                server.pid)
                    fresh.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(f"| action (median of {args.actions}) | measured | budget |")
    print("|---|---|---|")
    print(f"| next segment (j), key to next frame | {next_ms:.1f} ms, {messages} messages "
          "to the server | ≤ 100 ms |")
    print(f"| save-and-next, until the next editor has focus | {editable * 1000:.0f} ms | "
          "≤ 1.0 s |")
    print(f"| save-and-next, until the server has answered | {answered * 1000:.0f} ms | |")
    print(f"| full-page rerun (the Article box) | {full * 1000:.0f} ms | |")
    print(f"| save answered / full rerun | {answered / full:.2f} | ≤ 0.33 |")
    print(f"| a Major flag on a span | {drags} drag + {flag_keys} keys"
          f"{'' if flagged else ' (NOT STORED)'} | 1 drag + 3 keys (severity, category, "
          "Enter: a note may come before Enter) |")
    print(f"| read, fix one word, save, next | {fix_keys} keys + typing"
          f"{'' if moved else ' (DID NOT MOVE)'} | ≤ 4 keys |")
    small, big = sizes[20], sizes[args.long]
    print()
    print(f"| generated article | 20 segments | {args.long:,} segments | ratio | budget at "
          f"{args.long:,} |")
    print("|---|---|---|---|---|")
    rows = [("first render", "first", 1000, "ms", "≤ 1,500 ms"),
            ("a filter (Status), to the next frame", "filter", 1, "ms", "≤ 100 ms"),
            ("next segment (j), to the next frame", "next", 1, "ms", "≤ 50 ms"),
            ("first save in a fresh server process", "first_save", 1000, "ms",
             "about a save confirmed"),
            ("save confirmed (median)", "save", 1000, "ms", "≤ 300 ms"),
            ("server CPU per save", "cpu", 1000, "ms", "≤ 1.5 x the 20-segment figure"),
            ("DOM elements", "nodes", 1, "", "")]
    for label, key, scale, unit, budget in rows:
        a, b = small[key] * scale, big[key] * scale
        print(f"| {label} | {a:,.0f} {unit} | {b:,.0f} {unit} | "
              f"{b / a if a else float('nan'):.2f} x | {budget} |")
    print(f"long article: save confirmed {big['save'] * 1000:.0f} ms median, server CPU per "
          f"save {big['cpu'] / small['cpu'] if small['cpu'] else float('nan'):.2f} x the "
          "20-segment article")


if __name__ == "__main__":
    main()
