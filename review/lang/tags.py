"""Language codes: well-formed BCP 47 tags (RFC 5646 syntax), in their usual case.

Codes come from files (XLIFF ``srclang``, TMX ``xml:lang``, CSV columns) and from options;
they end up in exports, model names and page captions, so anything that is not a tag
(``[x](http://…)``, ``en; DROP``) is refused at import instead of being carried along.
"""

from __future__ import annotations

import re

from review.core.errors import InputError

_TAG = re.compile(
    r"""^(?:
        (?P<lang>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})
        (?:-(?P<script>[a-z]{4}))?
        (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
        (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*
        (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*
        (?:-x(?:-[a-z0-9]{1,8})+)?
      |x(?:-[a-z0-9]{1,8})+
    )$""",
    re.VERBOSE,
)
MAX_TAG = 64


def normalise_tag(code: str | None, what: str = "language code") -> str:
    """``code`` as a well-formed tag (``zh-hans-cn`` → ``zh-Hans-CN``); "" stays "".

    ``_`` is read as ``-`` (``zh_CN`` from POSIX locales). Anything else raises an
    ``InputError`` that says what was wrong.
    """
    raw = (code or "").strip()
    if not raw:
        return ""
    candidate = raw.replace("_", "-").lower()
    match = _TAG.match(candidate) if len(candidate) <= MAX_TAG else None
    if match is None:
        shown = raw[:40] + ("…" if len(raw) > 40 else "")
        raise InputError(f"{what} {shown!r} is not a BCP 47 language tag; use a code such "
                         "as en, zh, zh-Hans or pt-BR")
    parts = candidate.split("-")
    out = [parts[0]]
    for part in parts[1:]:
        if out[-1] in ("x",) or any(len(p) == 1 for p in out[1:]):
            out.append(part)  # extensions and private use keep lower case
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)
