"""Accounts, logins, assignments and settings."""

from __future__ import annotations

from review.service_base import ServiceBase


class TeamServices(ServiceBase):
    """Accounts, logins, assignments and settings."""
