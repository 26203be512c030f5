"""The key that signs session tokens: from the environment or a file, never from the database.

Whoever holds the key can forge a session for any account, so it must not travel with the
database (a copy or a backup of it). In order:

1. ``REVIEW_SESSION_SECRET``: the key itself (at least 32 characters), e.g. from a secret
   manager; every server process of one installation sets the same value.
2. ``REVIEW_SESSION_SECRET_FILE``: a file holding the key.
3. ``review-session.key`` beside the configuration file (the folder of ``REVIEW_CONFIG``, else
   the working directory, where ``review.toml`` is read).

A missing file is created on first use with a random key, readable by its owner only (0600),
atomically: it is written under a temporary name and linked into place, so a process never
reads half a key, and two processes starting at once end up with the same one. Replacing the
file (or the variable) ends every session at once.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
import time
from collections.abc import Mapping
from pathlib import Path

from review.core.errors import InputError

SECRET_ENV = "REVIEW_SESSION_SECRET"
FILE_ENV = "REVIEW_SESSION_SECRET_FILE"
CONFIG_ENV = "REVIEW_CONFIG"
DEFAULT_FILE = "review-session.key"
MIN_CHARS = 32
MAX_BYTES = 4096
_READ_TRIES = 20

log = logging.getLogger(__name__)


def secret_file(environ: Mapping[str, str] | None = None) -> Path:
    """Where the key file is (or will be created)."""
    env = os.environ if environ is None else environ
    named = (env.get(FILE_ENV) or "").strip()
    if named:
        return Path(named).expanduser()
    config = (env.get(CONFIG_ENV) or "").strip()
    folder = Path(config).expanduser().parent if config else Path.cwd()
    return folder / DEFAULT_FILE


def load_secret(environ: Mapping[str, str] | None = None) -> bytes:
    """The signing key: the variable's value, else the file's content (made when missing)."""
    env = os.environ if environ is None else environ
    configured = env.get(SECRET_ENV)
    if configured:
        return _checked(configured.strip(), f"{SECRET_ENV}")
    path = secret_file(env)
    if not path.exists():
        _create(path)
    return _read(path)


def _checked(text: str, where: str) -> bytes:
    if len(text) < MIN_CHARS:
        raise InputError(f"{where} must hold at least {MIN_CHARS} characters (for example "
                         "the output of `python -c 'import secrets; print(secrets.token_hex"
                         "(32))'`)")
    return text.encode("utf-8")


def _create(path: Path) -> None:
    """Write a fresh random key to ``path`` unless another process got there first."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as err:
        raise InputError(f"cannot create the folder {folder} for the session key: "
                         f"{err.strerror or err}; set {FILE_ENV} to a writable place") from None
    temporary = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(temporary, flags, 0o600)
    except OSError as err:
        raise InputError(f"cannot write the session key in {folder}: {err.strerror or err}; "
                         f"set {FILE_ENV} to a writable place or {SECRET_ENV}") from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temporary, path)  # atomic, and refuses to replace an existing file
        except FileExistsError:
            pass  # another process made it first: use theirs
        except OSError:
            _create_in_place(path, temporary)  # a file system without hard links
    finally:
        temporary.unlink(missing_ok=True)
    log.info("created the session key %s", path)


def _create_in_place(path: Path, temporary: Path) -> None:
    """Without hard links: exclusive create, then copy (readers retry while it is empty)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(temporary.read_text(encoding="ascii"))
        fh.flush()
        os.fsync(fh.fileno())


def _read(path: Path) -> bytes:
    text = ""
    for _ in range(_READ_TRIES):
        try:
            with path.open("rb") as fh:
                info = os.fstat(fh.fileno())
                if not stat.S_ISREG(info.st_mode):
                    raise InputError(f"the session key {path} is not a regular file")
                raw = fh.read(MAX_BYTES + 1)
        except OSError as err:
            raise InputError(f"cannot read the session key {path}: {err.strerror or err}"
                             ) from None
        if len(raw) > MAX_BYTES:
            raise InputError(f"the session key {path} is larger than {MAX_BYTES} bytes")
        try:
            text = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise InputError(f"the session key {path} is not UTF-8 text") from None
        if text:
            break
        time.sleep(0.05)  # another process is still writing it (no hard links there)
    if os.name == "posix" and info.st_mode & 0o077:
        log.warning("the session key %s can be read by other users (mode %o); "
                    "chmod 600 it", path, stat.S_IMODE(info.st_mode))
    return _checked(text, f"the session key {path}")
