"""Two imports of one file at the same moment store it once, on SQLite as on PostgreSQL.

Both imports stage their rows, then both reach the content check before either has
published: the check must run inside the publishing write, or both find nothing and the
file is stored twice. A barrier holds each import just before that point.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.models import Article
from review.services import Workbench, staging
from review.services.importing.segment_names import DuplicateImport

DATA = "id,source,mt\n" + "".join(f"{i},源文{i},Text {i}.\n" for i in range(50))


def test_two_concurrent_imports_of_one_file_store_one_article(
        url_and_bench: tuple[str, Workbench], monkeypatch: pytest.MonkeyPatch) -> None:
    """Both succeeded on SQLite: two identical articles."""
    _, bench = url_and_bench
    barrier = threading.Barrier(2, timeout=30)
    check_ids = staging._refuse_repeated_ids

    def meet_then_check(session, article, what) -> None:  # noqa: ANN001
        check_ids(session, article, what)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(staging, "_refuse_repeated_ids", meet_then_check)
    outcomes: list[object] = []

    def run() -> None:
        try:
            outcomes.append(bench.imports.import_file(SYSTEM_ACTOR, DATA.encode(), "same.csv",
                                                      "csv"))
        except Exception as err:  # noqa: BLE001 - the outcome is what the test checks
            outcomes.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(outcomes) == 2 and len(refused) == 1, outcomes
    assert isinstance(refused[0], DuplicateImport), refused
    with bench.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
