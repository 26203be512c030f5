"""An account's state as sessions and one-time links see it: two generation counters.

``session_generation`` moves on at logout, password change or reset, role change and
(de)activation; a session (a logged-in page, a session token) carries the number it began
with and ends once the account's number differs. ``rights_generation`` moves on at a role
change and (de)activation only; one-time links carry the maker's (and a reset link the
target's), so a logout does not end the links a lead handed out, but a demotion does.
"""

from __future__ import annotations

from typing import TypeGuard

from review.accounts.permissions import Actor
from review.db.models import User


def session_actor(user: User) -> Actor:
    """The actor of a session of ``user`` as the store knows it now."""
    return Actor(name=user.name, role=user.role, user_id=user.id,
                 generation=user.session_generation or 0)


def end_sessions(user: User) -> None:
    """End every session of ``user`` (inside the caller's transaction)."""
    user.session_generation = (user.session_generation or 0) + 1


def change_rights(user: User) -> None:
    """A role change or (de)activation: sessions end, and so do links made by or for it."""
    end_sessions(user)
    user.rights_generation = (user.rights_generation or 0) + 1


def session_is_current(user: User | None, actor: Actor) -> TypeGuard[User]:
    """Whether ``actor``'s session of ``user`` is still the account's current one (actors
    without a generation, made by the command line or tests, only need the account active)."""
    if user is None or not user.active:
        return False
    return actor.generation is None or actor.generation == (user.session_generation or 0)
