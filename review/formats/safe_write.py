"""Write an export file without following planted links or replacing files silently.

The bytes go to a temporary file created exclusively (``O_EXCL``, a random name) next to
the destination, then move into place: with ``overwrite`` by an atomic rename (which
replaces a link itself, never its target), otherwise by a hard link that fails when the
name is taken, so a file that appeared meanwhile is never clobbered.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from review.core.errors import InputError


def resolve_destination(output: str | Path, filename: str | None = None) -> Path:
    """The file to write for ``-o output``: inside it when it is a folder.

    Refuses a missing parent folder before any work is done, so nothing is exported (or
    audited) for a path that can never be written.
    """
    out = Path(output)
    if out.is_dir() and not out.is_symlink():
        return out / filename if filename else out
    if not out.parent.is_dir():
        raise InputError(f"the folder {str(out.parent)!r} does not exist; create it first")
    return out


def check_free(out: Path, overwrite: bool) -> None:
    """Refuse an existing name (or any link) unless the caller asked to replace it."""
    if out.is_symlink():
        raise InputError(f"{out} is a symbolic link; refusing to write through it")
    if out.is_dir():
        raise InputError(f"{out} is a folder; name a file inside it")
    if out.exists() and not overwrite:
        raise InputError(f"{out} exists already; pass --force to replace it, or choose "
                         "another name")


def write_exclusive(out: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Put ``data`` at ``out`` whole or not at all; returns ``out``."""
    check_free(out, overwrite)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name[:40]}.", suffix=".part",
                                    dir=out.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, out)
        else:
            _link_new(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return out


def _link_new(tmp: Path, out: Path) -> None:
    try:
        os.link(tmp, out, follow_symlinks=False)
    except FileExistsError:
        raise InputError(f"{out} exists already; pass --force to replace it, or choose "
                         "another name") from None
    except OSError as err:
        if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        _copy_new(tmp, out)  # a file system without hard links


def _copy_new(tmp: Path, out: Path) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(out, flags, 0o644)
    except FileExistsError:
        raise InputError(f"{out} exists already; pass --force to replace it") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(tmp.read_bytes())
