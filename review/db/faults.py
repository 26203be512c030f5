"""Database failures a user can cause or meet, said in one line instead of a traceback.

A wrong ``--db`` (unreachable server, a file that is not a database, a folder, an unknown
scheme) and a database busy with a long write are everyday situations, not bugs: they
become ``ReviewError`` subclasses with the URL shown without its password. So do the
faults of a database in use: a damaged file ("database disk image is malformed"), one
written by a newer version of the workbench (a schema revision this one does not know),
a read-only or immutable file, a full disk (``database_fault``).
"""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from review.core.errors import InputError, ReviewError

SUPPORTED = ("sqlite", "postgresql")


class DatabaseUnavailable(InputError):
    """The database named by the URL cannot be opened or used."""


class DatabaseBusy(ReviewError):
    """Another task holds the write lock longer than a save may wait: try again."""


BUSY_MESSAGE = ("the database is busy with another task (an import or a scoring run); "
                "nothing was saved, try again in a moment")
_BUSY_MARKERS = ("database is locked", "database table is locked", "lock timeout",
                 "canceling statement due to lock timeout", "could not obtain lock",
                 "deadlock detected", "could not serialize access")


def shown_url(url: str) -> str:
    """``url`` with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def check_scheme(url: str) -> None:
    """Refuse URLs of database kinds the workbench does not run on."""
    backend = make_url(url).get_backend_name()
    if backend not in SUPPORTED:
        raise DatabaseUnavailable(
            f"unsupported database {backend!r} in {shown_url(url)}; use sqlite:///FILE or "
            "postgresql://USER@HOST/DB")


def is_busy(err: BaseException) -> bool:
    """Whether ``err`` is a lock wait that ran out, as opposed to a broken database."""
    text = str(getattr(err, "orig", err)).lower()
    return isinstance(err, OperationalError) and any(m in text for m in _BUSY_MARKERS)


class DatabaseFault(ReviewError):
    """The database cannot do what was asked (damaged, newer, read-only, full)."""


_FULL = ("database or disk is full", "no space left on device", "could not extend file",
         "disk full")
_READ_ONLY = ("readonly database", "read-only", "read only", "permission denied")
_DAMAGED = ("malformed", "file is not a database", "not a database", "corrupt")


def is_newer_schema(err: BaseException) -> bool:
    """Whether ``err`` is Alembic not knowing the database's schema revision."""
    return (type(err).__module__.startswith("alembic")
            and "locate revision" in str(err).lower())


def database_fault(err: BaseException, url: str = "") -> ReviewError | None:
    """The one-line error for a fault of a database in use, or None for another error."""
    where = shown_url(url) if url else "the database"
    if is_newer_schema(err):
        revision = str(err).rsplit(" ", 1)[-1].strip("'\".")
        return DatabaseFault(
            f"{where} was written by a newer version of the workbench (schema revision "
            f"{revision} is unknown here); run the newer version, or restore a backup made "
            "with this one")
    if not isinstance(err, DBAPIError):
        return None
    if is_busy(err):
        return DatabaseBusy(BUSY_MESSAGE)
    detail = str(getattr(err, "orig", err)).strip().splitlines()
    reason = detail[0] if detail else type(err).__name__
    lowered = reason.lower()
    if any(m in lowered for m in _FULL):
        return DatabaseFault(f"the disk (or the size limit) of {where} is full ({reason}); "
                             "nothing was saved: free some space and try again")
    if any(m in lowered for m in _READ_ONLY):
        return DatabaseFault(f"{where} cannot be written ({reason}): the file is read-only or "
                             "immutable, or its folder is; nothing was saved")
    if any(m in lowered for m in _DAMAGED):
        return DatabaseFault(f"{where} is damaged ({reason}); restore it from a backup "
                             "(sqlite3's .recover command may save what is left)")
    return DatabaseFault(f"the database {where} failed: {reason}")


def opening_error(err: BaseException, url: str) -> ReviewError:
    """The one-line error for a failure while connecting to or migrating ``url``."""
    if is_busy(err):
        return DatabaseBusy(BUSY_MESSAGE)
    where = shown_url(url)
    if is_newer_schema(err):
        return database_fault(err, url)  # type: ignore[return-value]
    if isinstance(err, (NoSuchModuleError, ImportError)):
        return DatabaseUnavailable(f"cannot use {where}: its database driver is not "
                                   "installed or the scheme is unknown")
    detail = str(getattr(err, "orig", err)).strip().splitlines()
    reason = detail[0] if detail else type(err).__name__
    if isinstance(err, DBAPIError):
        if "not a database" in reason or "malformed" in reason:
            return DatabaseUnavailable(f"{where} is not a workbench database ({reason})")
        if "unable to open" in reason:
            return DatabaseUnavailable(f"cannot open {where} ({reason}); is it a folder, or "
                                       "a file you may not write?")
        return DatabaseUnavailable(f"cannot reach the database {where}: {reason}")
    return DatabaseUnavailable(f"cannot use the database {where}: {reason}")


OPENING_ERRORS = (DBAPIError, NoSuchModuleError, ImportError, ArgumentError)
"""The exceptions ``opening_error`` turns into messages."""
