"""Browser helpers for the end-to-end suite: wait for Streamlit, navigate, pick, type, edit.

Streamlit answers over a websocket, so right after a click the page still says
``notRunning`` until the server starts the run. Every action that reruns the script is
therefore wrapped in ``rerun(page)``, which waits for the server's "script finished"
message (read with Streamlit's own protobuf classes) and then for the page to settle
(``wait_idle``). Nothing here sleeps for a fixed time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

try:
    from playwright.sync_api import Locator, Page, WebSocket, expect
except ImportError:  # conftest skips the browser tests (or fails them under CI=true)
    Locator = Page = WebSocket = expect = None  # type: ignore[assignment, misc]

IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
TIMEOUT_MS = 30_000
"""Generous, for two busy cores; a passing step returns as soon as its condition holds."""
GRID_ROW_PX = 35
"""Height of a data_editor row and of its header (Streamlit's default)."""

_SOCKETS: dict[int, list[WebSocket]] = {}


def track_socket(page: Page) -> None:
    """Remember the page's Streamlit websockets (one per page load)."""
    sockets = _SOCKETS.setdefault(id(page), [])
    page.on("websocket", lambda ws: sockets.append(ws) if "/_stcore/stream" in ws.url else None)
    page.on("close", lambda _: _SOCKETS.pop(id(page), None))


def _socket(page: Page) -> WebSocket:
    open_ = [ws for ws in _SOCKETS.get(id(page), []) if not ws.is_closed()]
    if not open_:
        raise AssertionError("no open Streamlit connection: call goto() first")
    return open_[-1]


def _run_finished(payload: object) -> bool:
    """True for the message that ends a script run (not one cut short by st.rerun)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if not isinstance(payload, bytes | bytearray):
        return False
    try:
        msg = ForwardMsg.FromString(bytes(payload))
    except Exception:  # not a ForwardMsg: ignore it
        return False
    return (msg.WhichOneof("type") == "script_finished"
            and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN)


def wait_idle(page: Page, timeout: int = TIMEOUT_MS) -> None:
    """Wait until no script run is in progress, nothing is stale and every element's code
    has loaded (elements show a skeleton until then)."""
    page.locator(IDLE).wait_for(state="attached", timeout=timeout)
    expect(page.locator("[data-stale=true]")).to_have_count(0, timeout=timeout)
    expect(page.locator("[data-testid=stSkeleton]")).to_have_count(0, timeout=timeout)


@contextmanager
def rerun(page: Page, timeout: int = TIMEOUT_MS) -> Iterator[None]:
    """Wrap an action that reruns the script: returns once that run has finished."""
    with _socket(page).expect_event("framereceived", predicate=_run_finished, timeout=timeout):
        yield
    wait_idle(page, timeout)


def goto(page: Page, path: str) -> None:
    """Load ``path`` (relative to the server; a new session) and wait for its first run."""
    page.goto(path)
    settle_first_run(page)


def reload(page: Page) -> None:
    page.reload()
    settle_first_run(page)


def settle_first_run(page: Page) -> None:
    # A fresh page reads "initial", then "running", then "notRunning": no race here.
    wait_idle(page)
    expect(heading(page)).to_be_visible(timeout=TIMEOUT_MS)
    no_exception(page)


def no_exception(page: Page) -> None:
    """A Python traceback on the page fails the test with its text."""
    errors = page.locator("[data-testid=stException]")
    if errors.count():
        raise AssertionError("the app raised:\n" + errors.first.inner_text())


def heading(page: Page) -> Locator:
    return page.locator("[data-testid=stMain] h1").first


def nav_labels(page: Page) -> list[str]:
    """The page names in the sidebar navigation, in order (all of them: with more than ten
    pages Streamlit folds the rest behind a "View more" button)."""
    more = page.locator("[data-testid=stSidebarNavViewButton]")
    if more.count() and "more" in more.inner_text().lower():
        more.click()
        expect(more).not_to_contain_text("more", timeout=TIMEOUT_MS)
    links = page.locator("[data-testid=stSidebarNav]").get_by_role("link")
    return [text.split("\n")[-1].strip() for text in links.all_inner_texts()]


def open_page(page: Page, title: str, shown: str | None = None) -> None:
    """Switch page through the sidebar (keeps the session, unlike ``goto``); ``shown`` is
    the page's heading where it differs from its name in the sidebar."""
    link = page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=title,
                                                                   exact=True)
    with rerun(page):
        link.click()
    expect(heading(page)).to_have_text(shown or title, timeout=TIMEOUT_MS)
    no_exception(page)


def widget(page: Page, testid: str, label: str, scope: Locator | None = None) -> Locator:
    """The widget of kind ``testid`` whose label reads ``label`` exactly."""
    root = scope if scope is not None else page.locator("[data-testid=stMain]")
    return root.locator(f"[data-testid={testid}]").filter(
        has=page.locator("[data-testid=stWidgetLabel]").filter(
            has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")))


def selection(page: Page, label: str, scope: Locator | None = None) -> Locator:
    """The selectbox's text field: its value is the chosen option's label."""
    return widget(page, "stSelectbox", label, scope).get_by_role("combobox")


def choose(page: Page, label: str, option: str | re.Pattern[str], *, typed: str | None = None,
           scope: Locator | None = None, in_form: bool = False) -> None:
    """Pick the option matching ``option`` (text it contains, or a pattern) in a selectbox.

    ``typed`` (default: the option text) goes into the box first to filter a long list.
    Inside a form nothing runs until the form is submitted, so there is no run to wait for.
    """
    pattern = option if isinstance(option, re.Pattern) else re.compile(re.escape(option))
    field = selection(page, label, scope)
    if pattern.search(field.input_value()):
        return  # already chosen: picking it again would not rerun the script
    field.click()
    field.fill((typed or str(option))[:40])
    choice = page.locator("[role=option]").filter(has_text=pattern).first
    if in_form:
        choice.click()
    else:
        with rerun(page):
            choice.click()
    expect(field).to_have_value(pattern, timeout=TIMEOUT_MS)


def click_button(page: Page, name: str, scope: Locator | None = None) -> None:
    """Click the button labelled ``name`` and wait for the run it starts."""
    root = scope if scope is not None else page.locator("[data-testid=stMain]")
    with rerun(page):
        root.get_by_role("button", name=name, exact=True).click()


def fill_text(page: Page, testid: str, label: str, value: str,
              scope: Locator | None = None) -> None:
    """Type a new ``value`` into a text input or area and apply it (Ctrl+Enter / Enter)."""
    field = widget(page, testid, label, scope).locator("textarea, input").first
    assert field.input_value() != value, "typing the same text again would not rerun"
    field.fill(value)
    expect(field).to_have_value(value)
    with rerun(page):
        field.press("Control+Enter" if testid == "stTextArea" else "Enter")


def flash_success(page: Page, text: str) -> None:
    expect(page.locator("[data-testid=stAlertContentSuccess]").filter(has_text=text)
           ).to_be_visible(timeout=TIMEOUT_MS)


def metric_value(page: Page, label: str) -> str:
    metric = page.locator("[data-testid=stMetric]").filter(has_text=label).first
    return metric.locator("[data-testid=stMetricValue]").inner_text().strip()


def tab(page: Page, name: str) -> Locator:
    """Open the tab called ``name`` (in the browser only: no run); returns its panel."""
    page.get_by_role("tab", name=name, exact=True).click()
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute(
        "aria-selected", "true", timeout=TIMEOUT_MS)
    return page.get_by_role("tabpanel", name=name, exact=True)


def grid_cell(grid: Locator, col: int, row: int) -> Locator:
    return grid.locator(f"#glide-cell-{col}-{row}")


def edit_grid_cell(page: Page, grid: Locator, col: int, row: int, value: str) -> None:
    """Type ``value`` into a data_editor cell: select, Enter, fill the overlay, Enter.

    The grid is a canvas; its accessible table (``#glide-cell-COL-ROW``) says which cell is
    selected. Typing before the overlay editor has focus would lose keys, so each step
    waits for the one before.
    """
    first = grid_cell(grid, 0, row)
    first.wait_for(state="attached", timeout=TIMEOUT_MS)
    canvas = grid.locator("[data-testid=data-grid-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    if box is None:
        raise AssertionError("the grid is not on screen")
    # The accessible table is not laid out; rows are drawn below a header of the same height.
    x = box["x"] + 20  # inside the first column
    y = box["y"] + GRID_ROW_PX * (row + 1) + GRID_ROW_PX / 2
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    expect(first).to_have_attribute("aria-selected", "true", timeout=TIMEOUT_MS)
    for _ in range(col):
        page.keyboard.press("ArrowRight")
    expect(grid_cell(grid, col, row)).to_have_attribute("aria-selected", "true",
                                                        timeout=TIMEOUT_MS)
    page.keyboard.press("Enter")
    editor = page.locator("#portal textarea.gdg-input")
    expect(editor).to_be_focused(timeout=TIMEOUT_MS)
    editor.fill(value)
    expect(editor).to_have_value(value)
    with rerun(page):
        page.keyboard.press("Enter")
    expect(editor).to_have_count(0, timeout=TIMEOUT_MS)


def settle_visuals(page: Page) -> None:
    """Wait until every visible chart has drawn its marks and every table its canvas."""
    charts = page.locator("[data-testid=stMain] [data-testid=stVegaLiteChart]:visible")
    for i in range(charts.count()):
        expect(charts.nth(i).locator("[role=graphics-symbol]")).not_to_have_count(
            0, timeout=TIMEOUT_MS)
    tables = page.locator("[data-testid=stMain] [data-testid=stDataFrame]:visible")
    for i in range(tables.count()):
        expect(tables.nth(i).locator("[data-testid=data-grid-canvas]")).to_be_visible(
            timeout=TIMEOUT_MS)


def full_page_screenshot(page: Page, path: str) -> None:
    """The whole page: the viewport grows to the main area's scroll height first."""
    settle_visuals(page)
    width = page.viewport_size["width"] if page.viewport_size else 1280
    height = page.evaluate(
        "() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(int(height), 600)})
    wait_idle(page)
    settle_visuals(page)
    page.screenshot(path=path, full_page=True)
