"""First-start content: the sample articles in ``samples/`` go into an empty database."""

from __future__ import annotations

from pathlib import Path

from review.formats.base import ReadOptions
from review.permissions import SYSTEM_ACTOR
from review.services import Workbench

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"

SAMPLE_FILES: tuple[tuple[str, str, ReadOptions], ...] = (
    ("wuzhen-digital-yrd-conference.en.txt", "text", ReadOptions(target_lang="en")),
    ("wmt23/wmt23-zhen-sample.tsv", "mqm-tsv", ReadOptions(source_lang="zh", target_lang="en")),
)


def seed_samples(workbench: Workbench, samples_dir: Path = SAMPLES_DIR) -> int:
    """Import the samples when the database holds no article yet; returns articles added."""
    if not workbench.is_empty():
        return 0
    added = 0
    for name, fmt, options in SAMPLE_FILES:
        path = samples_dir / name
        if not path.is_file():
            continue
        report = workbench.import_file(SYSTEM_ACTOR, path.read_bytes(), path.name, fmt, options)
        added += len(report.articles)
    return added
