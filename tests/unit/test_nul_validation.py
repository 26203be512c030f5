"""NUL characters are refused the same way on SQLite and PostgreSQL, naming the field."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import InputError
from review.db.models import Article, Setting
from review.formats.base import ReadOptions
from review.services import Workbench


def _jsonl(*records: dict) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()


def _articles(bench: Workbench) -> int:
    with bench.store.read() as session:
        return session.scalar(select(func.count()).select_from(Article))


@pytest.mark.parametrize(("data", "title", "field"), [
    (_jsonl({"mt": "Fine."}), "Bad\x00title", "title"),
    (_jsonl({"mt": "Fine.", "candidates": {"sys": "nul\x00inside"}}), "T", "text"),
    (_jsonl({"mt": "Fine.", "candidates": {"sys\x00tem": "text"}}), "T", "system"),
    (_jsonl({"mt": "NUL\x00in the MT"}), "T", "segment"),
])
def test_nul_in_any_text_field_is_refused_on_both_backends(
        any_bench: Workbench, data: bytes, title: str, field: str) -> None:
    """A raw psycopg.DataError on PostgreSQL, stored on SQLite."""
    with pytest.raises(InputError, match=rf"{field}\b.*NUL character"):
        any_bench.imports.import_file(SYSTEM_ACTOR, data, "x.jsonl", "jsonl",
                                      ReadOptions(title=title))
    assert _articles(any_bench) == 0


def test_nul_inside_json_metadata_is_refused(any_bench: Workbench) -> None:
    with pytest.raises(InputError, match=r"value\.note.*NUL character"):
        with any_bench.store.write() as session:
            session.add(Setting(key="probe", value={"note": "a\x00b"}))
