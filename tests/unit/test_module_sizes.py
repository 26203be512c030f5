"""No source module grows past 400 lines, Python or JavaScript: a module that big does more
than one job and should be split by responsibility (the migrations, generated one per schema
change, are exempt)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "review"
MAX_LINES = 400


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as fh:
        return sum(1 for _ in fh)


def test_no_source_module_is_over_400_lines() -> None:
    too_big = {
        str(path.relative_to(REPO)): lines
        for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.js")])
        if "migrations" not in path.relative_to(PACKAGE).parts
        and (lines := _lines(path)) > MAX_LINES
    }
    assert too_big == {}, f"split these by responsibility (over {MAX_LINES} lines): {too_big}"
