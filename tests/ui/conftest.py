"""AppTest fixtures: the real app on a fresh database per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("REVIEW_DATABASE_URL", url)
    monkeypatch.chdir(REPO)
    return url


@pytest.fixture
def make_app(app_db: str):  # noqa: ANN201
    def make() -> AppTest:
        return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    return make
