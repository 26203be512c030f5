"""Teams and articles for service tests, defined once instead of copied into every file.

Each factory goes through the Workbench as a user would (accounts through ``add_user``,
articles through an import), so what a test builds is what the app would have stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from review.accounts.permissions import SYSTEM_ACTOR, Actor
from review.formats.base import DocArticle, DocSegment, ReadOptions
from review.services import Workbench

WUZHEN = Path(__file__).resolve().parent / "data" / "wuzhen.en.txt"


def password_of(name: str) -> str:
    """The password every factory account gets: long enough for the rules, easy to guess."""
    return f"{name}-password"


def make_team(bench: Workbench, roles: Mapping[str, str], *,
              emails: Mapping[str, str] | None = None) -> dict[str, Actor]:
    """Accounts ``{name: role}`` added in the given order (so their ids follow it), each with
    ``password_of(name)``; returns the actor of each, as a login would give it."""
    emails = emails or {}
    team = {}
    for name, role in roles.items():
        user = bench.accounts.add_user(SYSTEM_ACTOR, name, role, password_of(name),
                              email=emails.get(name, ""))
        team[name] = Actor(name, role, user.id)
    return team


def article_doc(segments: Sequence[DocSegment | str], *, title: str = "Article",
                source_lang: str = "zh", target_lang: str = "en",
                mt_system: str = "") -> DocArticle:
    """An article as a reader would give it; plain strings become body segments."""
    parts = [s if isinstance(s, DocSegment) else DocSegment(mt=s) for s in segments]
    return DocArticle(title=title, source_lang=source_lang, target_lang=target_lang,
                      segments=parts, mt_system=mt_system)


def make_articles(bench: Workbench, docs: Sequence[DocArticle],
                  actor: Actor = SYSTEM_ACTOR) -> list[int]:
    """Import ``docs`` in one go; their ids in order."""
    return [a.id for a in bench.imports.import_articles(actor, list(docs)).articles]


def make_article(bench: Workbench, segments: Sequence[DocSegment | str], *,
                 actor: Actor = SYSTEM_ACTOR, title: str = "Article", source_lang: str = "zh",
                 target_lang: str = "en", mt_system: str = "") -> int:
    """Import one article made of ``segments``; its id."""
    doc = article_doc(segments, title=title, source_lang=source_lang,
                      target_lang=target_lang, mt_system=mt_system)
    return make_articles(bench, [doc], actor)[0]


def short_article(bench: Workbench, title: str = "Chess", n: int = 6) -> int:
    """``n`` segments: a title, sentences with a Chinese source, a boilerplate line at the end
    (the shape of a scraped news article, small enough to assign and review by hand)."""
    segments = [DocSegment(mt=f"{title} title", kind="title")]
    segments += [DocSegment(mt=f"{title} sentence {i}.", source=f"源 {i}。")
                 for i in range(1, n - 1)]
    segments.append(DocSegment(mt="Share so more people can see it", kind="boilerplate"))
    return make_article(bench, segments, title=title)


def import_wuzhen(bench: Workbench, actor: Actor = SYSTEM_ACTOR, *, data: bytes | None = None,
                  name: str = "wuzhen.en.txt") -> int:
    """Import the Wuzhen sample (English MT, no source) as a file; its article id."""
    raw = WUZHEN.read_bytes() if data is None else data
    report = bench.imports.import_file(actor, raw, name, None, ReadOptions(target_lang="en"))
    assert len(report.articles) == 1
    return report.articles[0].id
