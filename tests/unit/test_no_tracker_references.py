"""Code, tests and documents explain themselves: they never point at a tracker that is not in
the repository ("Issue 13, item 4")."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CITATION = re.compile(r"\bissue\s*#?\d+|\bitem \d+:", re.IGNORECASE)


def test_no_file_cites_an_issue_number() -> None:
    folders = [ROOT / name for name in ("review", "tests", "bench", "docs", "tools")]
    files = [p for folder in folders for p in folder.rglob("*")
             if p.suffix in {".py", ".md", ".js", ".css", ".html", ".toml"}]
    files += [ROOT / "README.md", ROOT / "BENCHMARKS.md", ROOT / "Makefile"]
    cited = [f"{p.relative_to(ROOT)}:{n}" for p in files if p.is_file()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if CITATION.search(line) and p.name != Path(__file__).name]
    assert cited == []
