"""Team settings kept in the store (SSO roles, glossary), for admins."""

from __future__ import annotations

import json

from review.accounts import auth
from review.accounts.permissions import Actor, require
from review.core.errors import InputError
from review.db.models import (
    Setting,
)
from review.services.accounts import MAX_SETTING_BYTES
from review.services.base import Service, audit


class SettingServices(Service):
    """Read and write team settings."""

    def get_setting(self, actor: Actor, key: str) -> dict | None:
        require(actor, "settings.manage")
        with self.store.read() as session:
            row = session.get(Setting, key)
            return dict(row.value) if row is not None else None

    def sso_roles_text(self, actor: Actor) -> str:
        """The stored sign-on roles as the Admin page edits them: ``email = role`` lines."""
        stored = (self.get_setting(actor, auth.SSO_SETTING) or {}).get("roles", {})
        return "\n".join(f"{key} = {role}" for key, role in stored.items())

    def set_sso_roles_text(self, actor: Actor, text: str) -> int:
        """Store sign-on roles from ``email = role`` / ``@domain = role`` lines; returns how
        many there are."""
        mapping = auth.parse_sso_roles_text(text)
        self.set_setting(actor, auth.SSO_SETTING, {"roles": mapping})
        return len(mapping)

    def set_setting(self, actor: Actor, key: str, value: dict) -> None:
        """Store one setting (a JSON object), e.g. ``glossary``: {"filename", "content"}."""
        require(actor, "settings.manage")
        key = (key or "").strip()
        if not key or len(key) > 120:
            raise InputError("a setting needs a name of 1 to 120 characters")
        if not isinstance(value, dict):
            raise InputError(f"the setting {key} must be a table of names and values")
        try:
            size = len(json.dumps(value, ensure_ascii=False).encode("utf-8"))
        except (TypeError, ValueError) as exc:
            raise InputError(f"the setting {key} cannot be stored: {exc}") from None
        if size > MAX_SETTING_BYTES:
            raise InputError(f"the setting {key} is {size / 1e6:.1f} MB; the limit is "
                             f"{MAX_SETTING_BYTES // (1024 * 1024)} MB")
        if key == auth.SSO_SETTING:
            value = {**value, "roles": auth.normalise_sso_roles(value.get("roles", {}))}
        with self.store.write() as session:
            row = session.get(Setting, key)
            if row is None:
                session.add(Setting(key=key, value=value))
            else:
                row.value = value
            audit(session, actor, "setting", key=key, bytes=size,
                  **({"filename": value.get("filename")} if "filename" in value else {}))
