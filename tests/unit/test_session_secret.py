"""The session signing key lives outside the database: from the environment or a file made
on first start, readable by its owner only, created atomically."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from review.accounts import secret as session_secret
from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import InputError
from review.services import Workbench

REPO = Path(__file__).resolve().parents[2]


def test_the_file_is_made_once_with_owner_only_permissions(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "session.key"
    env = {session_secret.FILE_ENV: str(path)}
    first = session_secret.load_secret(env)
    assert path.is_file() and len(first) >= session_secret.MIN_CHARS
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert session_secret.load_secret(env) == first
    assert [p.name for p in path.parent.iterdir()] == ["session.key"]  # no temporary left


def test_the_default_file_lies_beside_the_configuration(tmp_path: Path) -> None:
    config = tmp_path / "etc" / "review.toml"
    assert session_secret.secret_file({session_secret.CONFIG_ENV: str(config)}) == \
        tmp_path / "etc" / session_secret.DEFAULT_FILE
    assert session_secret.secret_file({}) == Path.cwd() / session_secret.DEFAULT_FILE


def test_the_variable_wins_and_must_be_long_enough(tmp_path: Path) -> None:
    path = tmp_path / "session.key"
    env = {session_secret.SECRET_ENV: "k" * 40, session_secret.FILE_ENV: str(path)}
    assert session_secret.load_secret(env) == b"k" * 40
    assert not path.exists()
    with pytest.raises(InputError, match="at least 32 characters"):
        session_secret.load_secret({session_secret.SECRET_ENV: "short"})


def test_a_file_given_by_the_operator_is_read_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "given.key"
    path.write_text("  " + "z" * 48 + "\n")
    path.chmod(0o600)
    assert session_secret.load_secret({session_secret.FILE_ENV: str(path)}) == b"z" * 48
    path.write_text("too short\n")
    with pytest.raises(InputError, match="at least 32"):
        session_secret.load_secret({session_secret.FILE_ENV: str(path)})


def test_threads_starting_at_once_agree_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "session.key"
    env = {session_secret.FILE_ENV: str(path)}
    barrier = threading.Barrier(8)
    keys: list[bytes] = []

    def start() -> None:
        barrier.wait()
        keys.append(session_secret.load_secret(env))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(keys) == 8 and len(set(keys)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.key"]


@pytest.mark.system  # starts processes
def test_processes_starting_at_once_agree_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "session.key"
    code = "from review.accounts.secret import load_secret; print(load_secret().decode())"
    env = {**os.environ, session_secret.FILE_ENV: str(path), "PYTHONPATH": str(REPO)}
    env.pop(session_secret.SECRET_ENV, None)
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                              text=True) for _ in range(4)]
    outputs = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert len(outputs) == 1 and outputs == {path.read_text().strip()}


def test_replacing_the_key_ends_every_session(bench: Workbench, fast_hashing: None,
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(session_secret.FILE_ENV, str(tmp_path / "session.key"))
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "rita-password")
    rita = bench.logins.login("rita", "rita-password")
    token = bench.sessions.issue_session(rita)
    assert bench.sessions.resume_session(token) == rita
    (tmp_path / "session.key").unlink()
    assert bench.sessions.resume_session(token) is None
