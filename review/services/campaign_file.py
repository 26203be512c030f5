"""Reading a campaign file (TOML or JSON) into a checked ``CampaignSpec``.

The whole file is checked before anything is stored, so a typo in the last key cannot leave
half a campaign behind; each error is one line naming the key.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from review.accounts import auth
from review.core.errors import InputError
from review.core.vocab import ASSIGNMENT_MODES, CHECK_MODES, MAX_CHECK_RATE

TOP_KEYS = {"name", "articles", "reviewers", "mode", "attention_checks", "due",
            "second_pass", "link_hours"}
ARTICLE_KEYS = {"id", "title", "file", "format", "source_lang", "target_lang", "encoding",
                "again"}
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class ArticleRef:
    """One ``articles`` entry: an existing article (by id or title) or a file to import."""

    id: int | None = None
    title: str | None = None
    file: Path | None = None
    format: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    again: bool = False

    @property
    def label(self) -> str:
        return (f"article {self.id}" if self.id is not None
                else f"file {self.file}" if self.file is not None else repr(self.title))


@dataclass(frozen=True)
class CampaignSpec:
    """A campaign as the file describes it, every value checked."""

    name: str
    articles: list[ArticleRef]
    reviewers: list[str]
    mode: str = "post_edit"
    check_rate: float = 0.0
    check_mode: str = "silent"
    due: date | None = None
    second_reviewer: str | None = None
    link_hours: float = 72.0


def _fail(key: str, why: str) -> InputError:
    return InputError(f"campaign file: {key}: {why}")


def load_campaign_file(path: Path) -> CampaignSpec:
    """Parse ``path`` (``.toml`` or ``.json``) and check it; relative article files are
    taken from the campaign file's folder."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such campaign file: {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"campaign file: {path.name} is over {MAX_FILE_BYTES:,} bytes")
    text = path.read_bytes()
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text.decode("utf-8"))
        else:
            data = tomllib.loads(text.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"campaign file: {path.name} cannot be read: {first}") from None
    return parse_campaign(data, path.parent)


def parse_campaign(data: object, folder: Path) -> CampaignSpec:
    """Check a parsed campaign document key by key."""
    if not isinstance(data, dict):
        raise _fail("(top)", "the file must hold a table of keys")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise _fail(unknown[0], f"unknown key; use {', '.join(sorted(TOP_KEYS))}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
        raise _fail("name", "a campaign needs a name (1-200 characters)")
    mode = data.get("mode", "post_edit")
    if mode not in ASSIGNMENT_MODES:
        raise _fail("mode", f"use {' or '.join(ASSIGNMENT_MODES)}, not {mode!r}")
    reviewers = _reviewers(data.get("reviewers"))
    articles = _articles(data.get("articles"), folder)
    rate, check_mode = _checks(data.get("attention_checks", {}))
    second = _second(data.get("second_pass"), reviewers)
    hours = data.get("link_hours", 72)
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 336:
        raise _fail("link_hours", f"hours a link stays open, 1-336, not {hours!r}")
    return CampaignSpec(name.strip(), articles, reviewers, mode, rate, check_mode,
                        _due(data.get("due")), second, float(hours))


def _reviewers(value: object) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _fail("reviewers", "a list of one or more account names")
    names: list[str] = []
    for i, raw in enumerate(value):
        if not isinstance(raw, str):
            raise _fail(f"reviewers[{i}]", f"an account name, not {raw!r}")
        try:
            name = auth.validate_name(raw)
        except InputError as exc:
            raise _fail(f"reviewers[{i}]", str(exc)) from None
        if name in names:
            raise _fail(f"reviewers[{i}]", f"{name!r} is listed twice")
        names.append(name)
    return names


def _articles(value: object, folder: Path) -> list[ArticleRef]:
    if not isinstance(value, list) or not value:
        raise _fail("articles", "a list of one or more articles ({id=N}, {title=...} or "
                    "{file=PATH, format=...})")
    refs: list[ArticleRef] = []
    for i, raw in enumerate(value):
        key = f"articles[{i}]"
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = {"id": raw}
        if not isinstance(raw, dict):
            raise _fail(key, f"an article id or a table, not {raw!r}")
        unknown = sorted(set(raw) - ARTICLE_KEYS)
        if unknown:
            raise _fail(f"{key}.{unknown[0]}",
                        f"unknown key; use {', '.join(sorted(ARTICLE_KEYS))}")
        given = [k for k in ("id", "title", "file") if k in raw]
        if len(given) != 1:
            raise _fail(key, "give exactly one of id, title or file")
        if "id" in raw:
            if not isinstance(raw["id"], int) or isinstance(raw["id"], bool) or raw["id"] < 1:
                raise _fail(f"{key}.id", f"an article id, not {raw['id']!r}")
            refs.append(ArticleRef(id=raw["id"]))
            continue
        if "title" in raw:
            if not isinstance(raw["title"], str) or not raw["title"].strip():
                raise _fail(f"{key}.title", "an article's title")
            refs.append(ArticleRef(title=raw["title"]))
            continue
        refs.append(_file_ref(raw, key, folder))
    return refs


def _file_ref(raw: dict, key: str, folder: Path) -> ArticleRef:
    from review.formats.registry import FORMATS

    if not isinstance(raw["file"], str) or not raw["file"]:
        raise _fail(f"{key}.file", "a path to the file to import")
    path = Path(raw["file"])
    path = path if path.is_absolute() else folder / path
    if not path.is_file():
        raise _fail(f"{key}.file", f"no such file: {raw['file']}")
    fmt = raw.get("format")
    if fmt is not None and (fmt not in FORMATS or not FORMATS[fmt].can_read):
        raise _fail(f"{key}.format", f"use one of {', '.join(FORMATS)}, not {fmt!r}")
    options = {}
    for opt in ("source_lang", "target_lang", "encoding"):
        if opt in raw:
            if not isinstance(raw[opt], str):
                raise _fail(f"{key}.{opt}", f"a string, not {raw[opt]!r}")
            options[opt] = raw[opt]
    again = raw.get("again", False)
    if not isinstance(again, bool):
        raise _fail(f"{key}.again", "true or false")
    return ArticleRef(file=path, format=fmt, options=options, again=again)


def _checks(value: object) -> tuple[float, str]:
    if not isinstance(value, dict):
        raise _fail("attention_checks", "a table with rate and mode")
    unknown = sorted(set(value) - {"rate", "mode"})
    if unknown:
        raise _fail(f"attention_checks.{unknown[0]}", "unknown key; use rate and mode")
    rate = value.get("rate", 0.0)
    if isinstance(rate, bool) or not isinstance(rate, int | float) \
            or not 0 <= rate <= MAX_CHECK_RATE:
        raise _fail("attention_checks.rate",
                    f"a share from 0 to {MAX_CHECK_RATE:g} of the segments, not {rate!r}")
    mode = value.get("mode", "silent")
    if mode not in CHECK_MODES:
        raise _fail("attention_checks.mode", f"use {' or '.join(CHECK_MODES)}, not {mode!r}")
    return float(rate), mode


def _second(value: object, reviewers: list[str]) -> str | None:
    if value is None:
        return None
    raw = value.get("reviewer") if isinstance(value, dict) else value
    if not isinstance(raw, str):
        raise _fail("second_pass.reviewer", "the account name of the second reviewer")
    try:
        name = auth.validate_name(raw)
    except InputError as exc:
        raise _fail("second_pass.reviewer", str(exc)) from None
    if name in reviewers:
        raise _fail("second_pass.reviewer", f"{name!r} is a first-pass reviewer; a second "
                    "pass needs somebody else")
    return name


def _due(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail("due", f"a date like 2027-01-31, not {value!r}")
