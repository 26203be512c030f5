"""Database failures a user can cause or meet, said in one line instead of a traceback.

A wrong ``--db`` (unreachable server, a file that is not a database, a folder, an unknown
scheme) and a database busy with a long write are everyday situations, not bugs: they
become ``ReviewError`` subclasses with the URL shown without its password.
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


def opening_error(err: BaseException, url: str) -> ReviewError:
    """The one-line error for a failure while connecting to or migrating ``url``."""
    if is_busy(err):
        return DatabaseBusy(BUSY_MESSAGE)
    where = shown_url(url)
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
