"""Seeding: exactly once, however many processes start on the same empty database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from review.db.models import Article
from review.db.store import Store
from review.seed import SAMPLE_FILES, seed_samples
from review.services import Workbench
from tests.conftest import REPO_DIR

CHILD = """
import sys, time
from pathlib import Path
from review.seed import seed_samples
from review.services import Workbench
from review.db.store import Store
url, samples, start = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
store = Store(url)
store.migrate()
bench = Workbench(store)
time.sleep(max(0.0, start - time.time()))
print(seed_samples(bench, samples))
"""


def _tiny_samples(folder: Path) -> Path:
    """The first sample's name with a three-sentence text: quick to import."""
    name = SAMPLE_FILES[0][0]
    (folder / name).write_text("One sentence here.\n\nAnother one there. A third.\n",
                               encoding="utf-8")
    return folder


def _articles(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Article))


@pytest.mark.system
def test_three_concurrent_seeds_import_the_samples_once(any_store: Store,
                                                         tmp_path: Path) -> None:
    """Three processes seeding an empty database at the same moment."""
    samples = _tiny_samples(tmp_path)
    url = any_store.url.replace("postgresql+psycopg://", "postgresql://")
    start = time.time() + 3.0
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    children = [subprocess.Popen([sys.executable, "-c", CHILD, url, str(samples), str(start)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=env, cwd=tmp_path)
                for _ in range(3)]
    outputs = [child.communicate(timeout=120) for child in children]
    assert all(child.returncode == 0 for child in children), outputs
    added = sorted(int(out.strip()) for out, _ in outputs)
    assert added == [0, 0, 1]
    assert _articles(any_store) == 1


def test_seed_adds_nothing_to_a_database_seeded_before(store: Store, tmp_path: Path) -> None:
    samples = _tiny_samples(tmp_path)
    bench = Workbench(store)
    assert seed_samples(bench, samples) == 1
    assert seed_samples(bench, samples) == 0
    assert _articles(store) == 1


def test_a_failed_seed_gives_its_claim_back(store: Store, tmp_path: Path) -> None:
    (tmp_path / SAMPLE_FILES[0][0]).write_bytes(b"\x00\x01\x02 binary")
    bench = Workbench(store)
    try:
        seed_samples(bench, tmp_path)
    except Exception:  # noqa: BLE001 - the import refuses the binary file
        pass
    _tiny_samples(tmp_path)
    assert seed_samples(bench, tmp_path) == 1
