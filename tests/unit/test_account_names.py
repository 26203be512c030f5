"""Account names: NFKC, one account per name ignoring case and look-alikes, in the database."""

from __future__ import annotations

import io
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from review.accounts.names import name_key
from review.accounts.permissions import SYSTEM_ACTOR
from review.cli.main import main
from review.core.errors import ReviewError
from review.db.models import User
from review.db.store import Store
from review.services import Workbench

pytestmark = pytest.mark.usefixtures("fast_hashing")


@pytest.mark.parametrize(("one", "other"), [
    ("race1", "RACE1"),
    ("race1", "Race1"),
    ("race1", "r\u0430ce1"),              # Cyrillic a
    ("race1", "\uff52\uff41\uff43\uff45\uff11"),  # full-width
    ("olga", "\u03bflga"),                 # Greek omicron
    ("Stra\u00dfe", "STRASSE"),
])
def test_look_alike_names_share_a_key(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(("one", "other"), [("race1", "racel"), ("anna", "anne"),
                                            ("\u738b\u4f1f", "\u738b\u4f1e")])
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


def test_the_database_refuses_a_case_twin_even_past_the_services(any_store: Store) -> None:
    """The uniqueness lives in the database, on both backends."""
    with any_store.write() as session:
        session.add(User(name="race1", role="reviewer"))
    with pytest.raises(IntegrityError):
        with any_store.write() as session:
            session.add(User(name="RACE1", role="reviewer"))


def test_three_names_differing_in_case_at_the_same_moment_make_one_account(
        any_store: Store) -> None:
    """On PostgreSQL these became three accounts."""
    bench = Workbench(any_store)
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def add(name: str) -> None:
        barrier.wait()
        try:
            bench.accounts.add_user(SYSTEM_ACTOR, name, "reviewer", "password-1")
            outcomes.append("added")
        except ReviewError as err:
            outcomes.append(str(err))

    threads = [threading.Thread(target=add, args=(n,)) for n in ("race1", "RACE1", "Race1")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes.count("added") == 1, outcomes
    assert all("exists already" in o for o in outcomes if o != "added")
    with any_store.read() as session:
        assert len(session.scalars(select(User.name)).all()) == 1


@pytest.mark.parametrize("twin", ["r\u0430ce1", "\uff52\uff41\uff43\uff45\uff11"])
def test_a_confusable_name_is_refused(bench: Workbench, twin: str) -> None:
    bench.accounts.add_user(SYSTEM_ACTOR, "race1", "reviewer", "password-1")
    with pytest.raises(ReviewError, match="exists already"):
        bench.accounts.add_user(SYSTEM_ACTOR, twin, "reviewer", "password-1")


def test_names_are_stored_in_nfkc(bench: Workbench) -> None:
    user = bench.accounts.add_user(SYSTEM_ACTOR, "\uff45\uff52\uff49\uff4e", "reviewer",
                                   "password-1")
    assert user.name == "erin"
    assert bench.logins.login("erin", "password-1").name == "erin"


def test_a_trailing_cr_on_stdin_is_not_part_of_the_password(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    """A password piped from a Windows file kept its CR."""
    monkeypatch.setattr("sys.stdin", io.StringIO("erin-password\r\n"))
    assert main(["users", "add", "erin", "--role", "reviewer", "--password-stdin",
                 "--db", sqlite_url]) == 0
    bench = Workbench(Store(sqlite_url))
    assert bench.logins.login("erin", "erin-password").name == "erin"
