"""Rows of named fields <-> segments, shared by CSV, TSV and JSONL: the column names
and their aliases, the checks every row passes before anything is imported, and the records
an export writes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator

from review.core import limits
from review.core.errors import InputError
from review.core.vocab import RESIDUE_KINDS, SEGMENT_KINDS, SEGMENT_STATUSES
from review.formats import jsonsafe
from review.formats.base import (
    WARNINGS_KEY,
    DocArticle,
    DocFlag,
    DocSegment,
    ReadOptions,
    WriteOptions,
)
from review.formats.spancheck import first_bad_span
from review.lang.detect import SAMPLE_CHARS, guess_language
from review.lang.tags import normalise_tag

SYSTEM_PREFIX = "system:"
FIELD_ALIASES = {
    "id": "id",
    "source": "source",
    "mt": "mt",
    "target": "mt",
    "translation": "mt",
    "corrected": "corrected",
    "post_edit": "corrected",
    "post-edit": "corrected",
    "postedit": "corrected",
    "reference": "reference",
    "kind": "kind",
    "status": "status",
    "paragraph": "paragraph",
    "article": "article",
    "flags": "flags",
    "notes": "notes",
    "position": "position",
    "source_lang": "source_lang",
    "source_language": "source_lang",
    "source language": "source_lang",
    "target_lang": "target_lang",
    "target_language": "target_lang",
    "target language": "target_lang",
}
"""File column name (lower case) -> field it fills."""

EXPORT_COLUMNS = ("article", "id", "position", "paragraph", "kind", "source", "mt", "corrected",
                  "reference", "status", "notes", "flags")
_FLAG_FIELDS = {f.name for f in dataclasses.fields(DocFlag)}


@dataclasses.dataclass
class RowContext:
    """Where a row came from, for messages: ``line`` counts from 1."""

    what: str
    line: int

    def error(self, message: str) -> InputError:
        return InputError(f"{self.what}, line {self.line}: {message}")


def field_for(column: str, column_map: dict[str, str]) -> str | None:
    """The field a file column fills, ``"system:NAME"`` for candidates, or ``None``."""
    mapped = column_map.get(column, column_map.get(column.strip(), column))
    name = mapped.strip()
    if name.lower().startswith(SYSTEM_PREFIX):
        system = name[len(SYSTEM_PREFIX):].strip()
        return SYSTEM_PREFIX + system if system else None
    return FIELD_ALIASES.get(name.lower())


def check_columns(fields: Iterable[str | None], found: list[str], what: str,
                  noun: str = "column") -> None:
    """Refuse a header without a text column, naming what was found and what is expected."""
    present = set(fields)
    if "mt" not in present and "source" not in present:
        shown = ", ".join(repr(c) for c in found) or "none"
        raise InputError(
            f"{what} has no 'mt' {noun} (found: {shown}); expected 'mt' (or 'target', "
            f"'translation'), optionally 'id', 'source', 'corrected', 'reference', 'kind', "
            f"'status', 'paragraph', 'article' and 'system:NAME' {noun}s. Rename them "
            "or map them with a column map."
        )


class ArticleBuilder:
    """Turns validated rows into ``(article, segment)`` pairs as they are read.

    Rows with the same ``article`` value belong to one article, in order of first
    appearance (articles may interleave); the builder keeps one ``DocArticle`` header per
    value, with no segments, and nothing of the rows it has passed on (see
    ``SegmentStream``). Rules over the whole file (ids unique within an article, the size
    of the import) are the importer's.
    """

    def __init__(self, options: ReadOptions, default_title: str) -> None:
        self.options = options
        self.default_title = default_title
        self.articles: dict[str, DocArticle] = {}
        self.segments = 0
        """How many rows have been passed on."""
        self.samples: dict[str, list[str]] = {}
        """Per article still undecided, translations to tell its target language from."""
        self.decided: dict[str, tuple[str, str]] = {}
        """Per article, the target language told from its translations, and why: decided
        as soon as the text says it, so nothing of the text stays (memory flat per article)."""

    def add(self, record: dict[str, object], ctx: RowContext) -> tuple[DocArticle, DocSegment]:
        """The pair for one row. ``record`` maps field names (and ``system:NAME``) to cell
        values (str or JSON); ``InputError`` with the line for a row that breaks a rule."""
        title = _text(record.get("article")) or self.default_title
        article = self.articles.get(title)
        if article is None:
            article = DocArticle(title=title, origin=self.options.origin, target_lang="")
            if self.options.source_lang:
                article.source_lang = self.options.source_lang
            if self.options.target_lang:
                article.target_lang = self.options.target_lang
            self.articles[title] = article
        self._languages(article, record, ctx)
        segment = build_segment(record, ctx)
        if not article.target_lang and segment.mt and title not in self.decided:
            self._sample(title, segment.mt)
        reason = limits.first_too_long([segment.source, segment.mt, segment.corrected,
                                        segment.reference, *segment.candidates.values()])
        if reason:
            raise ctx.error(f"{reason}; {limits.ADVICE}.")
        self.segments += 1
        return article, segment

    def _sample(self, title: str, text: str) -> None:
        """Add a translation to the article's sample (at most ``SAMPLE_CHARS``) and decide
        the language once the sample tells it."""
        sample = self.samples.setdefault(title, [])
        room = SAMPLE_CHARS - sum(map(len, sample))
        if room <= 0:
            return  # a full sample that does not tell: decided at the end of the file
        sample.append(text[:room])
        told = _told(sample)
        if told is not None:
            self.decided[title] = told
            del self.samples[title]

    def _languages(self, article: DocArticle, record: dict[str, object],
                   ctx: RowContext) -> None:
        """Languages from ``source_lang``/``target_lang`` columns, where the options leave
        them open (the first row that names one decides)."""
        for field, given in (("source_lang", self.options.source_lang),
                             ("target_lang", self.options.target_lang)):
            value = _text(record.get(field)).strip()
            if value and not given and not getattr(article, field):
                try:
                    setattr(article, field, normalise_tag(value, field.replace("_", " ")))
                except InputError as err:
                    raise ctx.error(str(err)) from None

    def finish(self, what: str) -> None:
        """At the end of the file: refuse one that held no rows; name the target language
        from the translations' script where nothing named it, or say it is not known."""
        if not self.segments:
            raise InputError(f"{what} holds no segments; nothing to import.")
        for title, article in self.articles.items():
            if article.target_lang:
                continue
            code, why = self.decided.get(title) or _told(self.samples.get(title, [])) or ("", "")
            if code and code != "en":  # English is what an unnamed target is taken for
                article.target_lang = code
                article.meta.setdefault(WARNINGS_KEY, []).append(
                    f"target language {why}; pass --target-lang to set another")


_FUNCTION_WORDS = {
    "en": "the and of to in is that for with are",
    "fr": "le la les et des est une du pour dans",
    "de": "der die und das ist nicht mit den ein zu",
    "es": "el la los las y que es por para una",
    "it": "il la che di e per una sono non gli",
    "pt": "o os as e que do da em para uma",
    "nl": "de het een en van is dat niet met voor",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}


def _told(texts: list[str]) -> tuple[str, str] | None:
    """(code, why) of the language these translations are in, from their script or, for
    Latin script, their commonest words; None while they do not say."""
    guess = guess_language(texts)
    if guess is not None:
        return guess.code, guess.explain()
    code, why = _latin_language(texts)
    return (code, why) if code else None


def _latin_language(texts: list[str]) -> tuple[str, str]:
    """A Latin-script language told by its commonest words, when one clearly leads
    (at least 20 hits and twice the next); ``("", "")`` otherwise."""
    counts = dict.fromkeys(_WORDS, 0)
    for text in texts:
        for word in text.lower().split():
            word = word.strip(".,;:!?\"'()«»“”")
            for lang, words in _WORDS.items():
                counts[lang] += word in words
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    (best, hits), (_, second) = ranked[0], ranked[1]
    if hits >= 20 and hits >= 2 * second:
        return best, f"{best} (assumed from its commonest words: {hits} of them)"
    return "", ""


def build_segment(record: dict[str, object], ctx: RowContext) -> DocSegment:
    """One validated segment from a row; ``InputError`` (with the line) for bad cells."""
    source = _text(record.get("source"))
    mt = _text(record.get("mt"))
    if not mt and not source:
        raise ctx.error("neither 'source' nor 'mt' has text; fill one in or delete the row.")
    kind = _text(record.get("kind")).strip().lower() or "body"
    if kind not in SEGMENT_KINDS:
        raise ctx.error(f"kind {kind!r} is not one of {', '.join(SEGMENT_KINDS)}.")
    status = _text(record.get("status")).strip().lower() or None
    if status is not None and status not in SEGMENT_STATUSES:
        raise ctx.error(f"status {status!r} is not one of {', '.join(SEGMENT_STATUSES)}.")
    segment = DocSegment(
        mt=mt,
        source=source,
        kind=kind,
        paragraph=_paragraph(record.get("paragraph"), ctx),
        corrected=_text(record.get("corrected")) or None,
        reference=_text(record.get("reference")) or None,
        external_id=_text(record.get("id")).strip(),
        status=status,
        notes=_notes(record.get("notes"), ctx),
        flags=_flags(record.get("flags"), ctx),
    )
    for key, value in record.items():
        if key.startswith(SYSTEM_PREFIX):
            text = _text(value)
            if text:
                segment.candidates[key[len(SYSTEM_PREFIX):]] = text
    extra = record.get("__extra__")
    if extra:
        segment.meta["columns"] = extra
    bad_span = first_bad_span(segment)
    if bad_span:
        raise ctx.error(f"{bad_span}.")
    return segment


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"expected text, found {type(value).__name__} {value!r}")


def _paragraph(value: object, ctx: RowContext) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ctx.error(f"paragraph {value!r} is not a whole number >= 0.")


def _json_cell(value: object, name: str, ctx: RowContext) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = jsonsafe.loads(value)
        except jsonsafe.JsonRefused as err:
            raise ctx.error(f"'{name}': {err.reason}.") from None
        except json.JSONDecodeError as err:
            raise ctx.error(f"'{name}' is not valid JSON ({err.msg}); write a JSON list.") from None
        except jsonsafe.JsonTooDeep as err:
            raise ctx.error(f"'{name}' is {err}; flatten it.") from None
    if not isinstance(value, list):
        raise ctx.error(f"'{name}' must be a JSON list.")
    return value


def _notes(value: object, ctx: RowContext) -> list[str]:
    notes = _json_cell(value, "notes", ctx)
    if not all(isinstance(note, str) for note in notes):
        raise ctx.error("'notes' must be a JSON list of strings.")
    return notes


def _flags(value: object, ctx: RowContext) -> list[DocFlag]:
    flags = []
    for item in _json_cell(value, "flags", ctx):
        if not isinstance(item, dict):
            raise ctx.error("each entry of 'flags' must be a JSON object.")
        unknown = set(item) - _FLAG_FIELDS
        if unknown:
            raise ctx.error(f"unknown flag field(s) {', '.join(sorted(unknown))} in 'flags'.")
        if not isinstance(item.get("category"), str) or not isinstance(item.get("severity"), str):
            raise ctx.error("each flag needs 'category' and 'severity' strings.")
        for key in ("start", "end"):
            if item.get(key) is not None and (not isinstance(item[key], int)
                                              or isinstance(item[key], bool)):
                raise ctx.error(f"flag '{key}' must be a whole number or null.")
        for key in _FLAG_FIELDS - {"start", "end"}:
            if key in item and not isinstance(item[key], str):
                raise ctx.error(f"flag '{key}' must be a string.")
        flags.append(DocFlag(**item))
    return flags


def flag_dicts(flags: list[DocFlag]) -> list[dict]:
    return [dataclasses.asdict(flag) for flag in flags]


def export_segments(articles: list[DocArticle], options: WriteOptions
                    ) -> Iterator[tuple[DocArticle, DocSegment]]:
    """Segments to export in order; residue only when ``options.include_residue``."""
    for article in articles:
        for segment in article.segments:
            if segment.kind in RESIDUE_KINDS and not options.include_residue:
                continue
            yield article, segment


def candidate_names(articles: list[DocArticle], options: WriteOptions) -> list[str]:
    names: dict[str, None] = {}
    for _, segment in export_segments(articles, options):
        for name in segment.candidates:
            names.setdefault(name, None)
    return list(names)


def export_record(article: DocArticle, segment: DocSegment) -> dict[str, object]:
    """The exported fields of one segment (JSON-ready values)."""
    return {
        "article": article.title,
        "id": segment.external_id or (str(segment.id) if segment.id is not None else ""),
        "position": segment.position,
        "paragraph": segment.paragraph,
        "kind": segment.kind,
        "source": segment.source,
        "mt": segment.mt,
        "corrected": segment.corrected,
        "reference": segment.reference,
        "status": segment.status,
        "notes": list(segment.notes),
        "flags": flag_dicts(segment.flags),
    }
