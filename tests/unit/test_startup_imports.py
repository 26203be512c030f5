"""The app starts without importing torch or transformers (they cost seconds to import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.system

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120).run()
pages = {}
for page in ("review/ui/pages/library.py", "review/ui/pages/export.py"):
    at.switch_page(page).run()
    pages[page] = [str(e.value) for e in at.exception]
print(json.dumps({"exceptions": [str(e.value) for e in at.exception], "pages": pages,
                  "heavy": sorted(m for m in ("torch", "transformers") if m in sys.modules)}))
"""


def test_first_pages_render_without_torch_or_transformers(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO),
           "REVIEW_DATABASE_URL": f"sqlite:///{tmp_path / 'start.db'}"}
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["exceptions"] == []
    assert all(errors == [] for errors in report["pages"].values()), report["pages"]
    assert report["heavy"] == []


def test_importing_the_package_stays_light() -> None:
    code = ("import sys, review.services, review.cli.main, review.services.retranslation; "
            "print(sorted(m for m in ('torch', 'transformers', 'streamlit') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
