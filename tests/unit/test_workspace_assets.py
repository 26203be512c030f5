"""The workspace component's files: all present, nothing fetched, no HTML built from data."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ASSETS = Path(__file__).resolve().parents[2] / "review" / "ui" / "components" / "workspace"


def _js_files() -> tuple[str, ...]:
    """The wrapper's list, read without importing Streamlit."""
    tree = ast.parse((ASSETS.parent / "workspace.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "JS_FILES":
            return tuple(ast.literal_eval(node.value))
    raise AssertionError("workspace.py names no JS_FILES")


JS_FILES = _js_files()


def test_every_file_is_there_and_fetches_nothing() -> None:
    for name in (*JS_FILES, "workspace.css", "workspace.html"):
        text = (ASSETS / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://|fetch\(|XMLHttpRequest|import\(|@import", text), name


def test_no_markup_is_built_from_strings() -> None:
    for name in JS_FILES:
        text = (ASSETS / name).read_text(encoding="utf-8")
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", text), (
            f"{name} builds markup from a string; set textContent instead")


@pytest.mark.system
def test_the_module_parses(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the browser tests load the module instead")
    module = tmp_path / "workspace.mjs"
    module.write_text("\n".join((ASSETS / n).read_text(encoding="utf-8") for n in JS_FILES),
                      encoding="utf-8")
    done = subprocess.run([node, "--check", str(module)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_wrapper_loads_the_same_files() -> None:
    wrapper = (ASSETS.parent / "workspace.py").read_text(encoding="utf-8")
    assert all(name in wrapper for name in JS_FILES)
