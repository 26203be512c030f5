"""First-start content: the sample articles in ``samples/`` go into an empty database.

Several processes may start on the same empty database at once (two app servers, a
``seed`` run beside the app). One of them claims the seeding by inserting a marker row
whose primary key is fixed; the others hit the unique key, see the claim and add nothing,
so the samples are imported exactly once on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.models import Article, Setting, utcnow
from review.db.store import Store
from review.formats.base import ReadOptions
from review.services import Workbench

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
SEED_MARKER = "samples_seeded"
"""Settings key whose row says the samples were (or are being) imported."""

SAMPLE_FILES: tuple[tuple[str, str, ReadOptions], ...] = (
    ("wuzhen-digital-yrd-conference.en.txt", "text", ReadOptions(target_lang="en")),
    ("wmt23/wmt23-zhen-sample.tsv", "mqm-tsv", ReadOptions(source_lang="zh", target_lang="en")),
)


def claim_seeding(store: Store) -> bool:
    """Whether this process may seed: the database is empty and nobody claimed it before."""
    try:
        with store.write() as session:
            if session.scalar(select(func.count()).select_from(Article)):
                return False
            if session.get(Setting, SEED_MARKER) is not None:
                return False
            session.add(Setting(key=SEED_MARKER, value={"at": utcnow().isoformat()}))
    except IntegrityError:  # another process inserted the marker first
        return False
    return True


def release_claim(store: Store) -> None:
    """Give the claim back after a failed seeding so a later start can try again."""
    with store.write() as session:
        session.execute(delete(Setting).where(Setting.key == SEED_MARKER))


def seed_samples(workbench: Workbench, samples_dir: Path = SAMPLES_DIR) -> int:
    """Import the samples when the database holds no article yet; returns articles added."""
    if not workbench.library.is_empty() or not claim_seeding(workbench.store):
        return 0
    added = 0
    try:
        for name, fmt, options in SAMPLE_FILES:
            path = samples_dir / name
            if not path.is_file():
                continue
            report = workbench.imports.import_path(SYSTEM_ACTOR, path, fmt,
                                           ReadOptions(**vars(options)))
            added += len(report.articles)
    except BaseException:
        if not added:
            release_claim(workbench.store)
        raise
    return added
