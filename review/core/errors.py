"""Domain errors: each carries a message written for the person who caused it.

Pages show them with ``st.error``; the command line prints them on stderr and exits 2.
"""


class ReviewError(Exception):
    """Base of every error a user can cause; ``str(err)`` is the message to show."""


class InputError(ReviewError):
    """A file or value that cannot be used as given (wrong format, encoding, size...)."""


class ConflictError(ReviewError):
    """A save that lost a race: somebody else changed the segment first."""

    def __init__(self, message: str, *, theirs_text: str = "", theirs_version: int = 0,
                 theirs_author: str = "") -> None:
        super().__init__(message)
        self.theirs_text = theirs_text
        self.theirs_version = theirs_version
        self.theirs_author = theirs_author


class PermissionDenied(ReviewError):
    """The acting user's role or assignments do not allow the action."""


class NotFound(ReviewError):
    """An id that names nothing in the store."""


class ModelUnavailable(ReviewError):
    """A translation model that cannot be loaded here (offline, missing folder...)."""


class AuthError(ReviewError):
    """A failed or throttled login."""
