"""Account names show what they are: characters that display as nothing are refused, so no
new account can display as "rita" while being another name."""

from __future__ import annotations

import unicodedata

import pytest

from review.accounts import auth
from review.accounts.names import (
    DEFAULT_IGNORABLE,
    invisible_problem,
    is_default_ignorable,
    is_invisible,
    name_key,
)
from review.accounts.permissions import SYSTEM_ACTOR
from review.core.errors import InputError
from review.services import Workbench


@pytest.mark.parametrize("name", [
    "rita\u3164", "rita\u115f", "rita\u2800", "rita\u17b4", "ri\u034fta", "rita\u200b",
    "rita\u2060", "rita\ufeff", "rita\u00ad", "rita\ufe0f", "rita\U000e0061", "rita\u202e",
    "rita\u061c", "rita\u180e", "rita\uffa0", "rita\u1160", "rita\U0001d173", "rita\u2064",
    "ri\u2028ta", "rita\ue000", "rita\u0378", "rita\U0001bca0", "\u0301rita",
    "ri\u0301\u0301\u0301\u0301\u0301ta",
])
def test_invisible_characters_are_refused(name: str) -> None:
    with pytest.raises(InputError, match="account name may not"):
        auth.validate_name(name)


@pytest.mark.parametrize("name", [
    "rita", "Rita Levi", "Jos\u00e9", "\u738b\u4f1f", "\u0420\u0438\u0442\u0430",
    "\u0e2a\u0e38\u0e14\u0e32", "\ud55c\uc9c0\ubbfc", "O'Brien-Smith",
    "\u0928\u093f\u0927\u093f"])
def test_ordinary_names_in_many_scripts_are_kept(name: str) -> None:
    assert auth.validate_name(name) == unicodedata.normalize("NFKC", name)


def test_the_table_is_the_whole_default_ignorable_class() -> None:
    """Checked against the regex module's Unicode property where it is installed."""
    regex = pytest.importorskip("regex")
    pattern = regex.compile(r"\p{Default_Ignorable_Code_Point}")
    for code in range(0x110000):
        ch = chr(code)
        assert is_default_ignorable(ch) == bool(pattern.match(ch)), f"U+{code:04X}"
        if pattern.match(ch):
            assert is_invisible(ch), f"U+{code:04X}"


def test_every_format_control_and_unassigned_character_is_invisible() -> None:
    for code in range(0x110000):
        ch = chr(code)
        if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}:
            assert is_invisible(ch), f"U+{code:04X}"
    assert len(DEFAULT_IGNORABLE) == 17


def test_the_message_names_the_character() -> None:
    assert "U+3164 HANGUL FILLER at position 5" in invisible_problem("rita\u3164")


def test_an_older_name_with_an_invisible_character_still_collides(bench: Workbench,
                                                                  fast_hashing: None) -> None:
    assert name_key("rita\u3164") == name_key("ri\u034fta") == name_key("rita")
    bench.accounts.add_user(SYSTEM_ACTOR, "rita", "reviewer", "rita-password")
    with pytest.raises(InputError):
        bench.accounts.add_user(SYSTEM_ACTOR, "rita\u2800", "reviewer", "rita-password")
    with pytest.raises(InputError):
        bench.invitations.invite(SYSTEM_ACTOR, "ri\u034fta")
