"""Team glossaries: required renderings of source terms, forbidden target terms, case rules.

Two file formats:
- CSV (UTF-8, header row): ``source,target[,forbidden][,case_sensitive][,note]``. ``target``
  may list accepted renderings separated by ``|``; ``forbidden`` lists target terms never to
  use (``|`` or ``;`` separated). A row with an empty ``source`` only forbids terms.
  ``case_sensitive`` is ``yes``/``true``/``1`` when the rendering must keep its capitals.
- TBX (TermBase eXchange, v2 ``martif`` or v3 ``tbx``): each concept's source-language terms
  map to its target-language terms; a target term whose administrative status is
  ``deprecatedTerm-admn`` or ``supersededTerm-admn`` (or ``termNote`` ``normativeAuthorization``
  ``deprecated``) is forbidden.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from review.core.errors import InputError

MAX_GLOSSARY_BYTES = 5 * 1024 * 1024
_TRUE = {"1", "yes", "y", "true", "x", "case", "case-sensitive"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class GlossaryEntry:
    source: str
    targets: list[str]
    forbidden: list[str] = field(default_factory=list)
    case_sensitive: bool = False
    note: str = ""


@dataclass
class Glossary:
    entries: list[GlossaryEntry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)


def contains_term(text: str, term: str, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Spans where ``term`` occurs as a whole word (CJK terms: as a substring)."""
    term = term.strip()
    if not term or not text:
        return []
    flags = 0 if case_sensitive else re.IGNORECASE
    left = r"(?<!\w)" if re.match(r"\w", term[0]) and term[0].isascii() else ""
    right = r"(?!\w)" if re.match(r"\w", term[-1]) and term[-1].isascii() else ""
    pattern = left + r"\s+".join(re.escape(p) for p in term.split()) + right
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags)]


def _split(cell: str | None, seps: str = "|") -> list[str]:
    if not cell:
        return []
    return [p.strip() for p in re.split(f"[{re.escape(seps)}]", cell) if p.strip()]


def read_glossary_csv(text: str) -> Glossary:
    """Parse a CSV glossary (see the module docstring for the columns)."""
    try:
        return _read_csv(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    except csv.Error as exc:
        raise InputError(f"The glossary is not a readable CSV file: {exc}.") from None


def _read_csv(text: str) -> Glossary:
    if not text.strip():
        raise InputError("The glossary file is empty; give a header row source,target.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if "source" not in header or ("target" not in header and "forbidden" not in header):
        raise InputError(
            "The glossary needs a header row with the columns source,target "
            "(optional: forbidden, case_sensitive, note)."
        )
    entries = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "") for k, v in row.items()
               if isinstance(v, str) or v is None}
        source = row.get("source", "").strip()
        targets = _split(row.get("target"))
        forbidden = _split(row.get("forbidden"), "|;")
        if source and not targets:
            raise InputError(f"The glossary row for {source!r} has no target term.")
        if not forbidden and not targets:
            continue
        entries.append(GlossaryEntry(
            source=source, targets=targets, forbidden=forbidden,
            case_sensitive=row.get("case_sensitive", "").strip().lower() in _TRUE,
            note=row.get("note", "").strip(),
        ))
    return Glossary(entries)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _lang_of(el) -> str:
    return (el.get(_XML_LANG) or el.get("lang") or "").lower().split("-")[0]


def read_tbx(data: bytes, source_lang: str, target_lang: str) -> Glossary:
    """Parse TBX bytes (untrusted XML: parsed with defusedxml)."""
    from defusedxml import ElementTree as SafeET

    try:
        root = SafeET.fromstring(data)
    except Exception as exc:  # defusedxml raises several types for hostile or broken XML
        raise InputError(f"The TBX file cannot be read as XML: {exc}") from None
    src, tgt = source_lang.lower().split("-")[0], target_lang.lower().split("-")[0]
    entries = []
    for concept in root.iter():
        if _local(concept.tag) not in ("termEntry", "conceptEntry"):
            continue
        by_lang: dict[str, list[tuple[str, bool]]] = {}
        for lang_el in concept:
            if _local(lang_el.tag) not in ("langSet", "langSec"):
                continue
            terms = by_lang.setdefault(_lang_of(lang_el), [])
            for holder in lang_el.iter():
                if _local(holder.tag) not in ("tig", "ntig", "termSec"):
                    continue
                term, banned = "", False
                for child in holder.iter():
                    name = _local(child.tag)
                    if name == "term" and child.text:
                        term = child.text.strip()
                    elif name == "termNote":
                        value = (child.text or "").strip().lower()
                        if value in ("deprecatedterm-admn", "supersededterm-admn",
                                     "deprecated", "deprecatedterm", "forbidden"):
                            banned = True
                if term:
                    terms.append((term, banned))
        sources = [t for t, banned in by_lang.get(src, []) if not banned]
        targets = [t for t, banned in by_lang.get(tgt, []) if not banned]
        forbidden = [t for t, banned in by_lang.get(tgt, []) if banned]
        for source in sources or ([""] if forbidden else []):
            if targets or forbidden:
                entries.append(GlossaryEntry(source, targets, forbidden))
    return Glossary(entries)


def load_glossary(path: str | Path, source_lang: str = "zh", target_lang: str = "en") -> Glossary:
    """Read a ``.csv``/``.tsv`` or ``.tbx`` glossary file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"No glossary file at {path}.")
    if path.stat().st_size > MAX_GLOSSARY_BYTES:
        raise InputError("The glossary is larger than 5 MB; split it or remove unused terms.")
    data = path.read_bytes()
    if path.suffix.lower() in (".tbx", ".xml"):
        return read_tbx(data, source_lang, target_lang)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("The glossary must be saved as UTF-8 text.") from None
    return read_glossary_csv(text)
