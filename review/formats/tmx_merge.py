"""Export into the original TMX file: the reviewed targets, statuses and notes written into
the memory the import read, every other language, date, tool, property and note kept.

Each stored segment knows its ``<tu>`` (``meta["tmx"]["loc"]``: its number in the body) and
the article the pair under review (``meta["tmx"]``: source and target language as the file
spells them). Per unit, as the XLIFF merge (``review.formats.xliff.merge``):

- target: the corrected text (split parts joined again) replaces the content of the target
  ``<seg>`` where it differs from the target as imported, inline codes (``bpt ept it ph ut
  hi``) copied from the original; a unit without a target in that language gets a new
  ``<tuv>``; a unit merged into the one before it gets an empty target and a note.
- status: a ``<prop type="x-status">`` is written only where the status differs from the
  one the file gave (none: to do).
- notes: reviewer notes the unit does not have yet, and the flags (as ``MQM flag:`` notes)
  where they differ from the unit's.
- dates: a unit where any of this was written gets the edit's date and editor as
  ``changedate``/``changeid``, on the ``<tu>`` and on the target ``<tuv>`` rewritten or
  created (``review.formats.tmx_stamp``).
Every other date, id and everything else stay as they were.
"""

from __future__ import annotations

from collections import defaultdict

from lxml import etree

from review.formats.base import DocArticle, DocFlag, DocSegment, WriteOptions
from review.formats.tmx import XML_LANG, pick_tuvs, read_segs, tu_status, tuvs_of
from review.formats.tmx_stamp import Stamp, apply_stamp, stamp_of
from review.formats.xliff.inline import _check_same_tags, _fill, _tokens
from review.formats.xliff.merge import joined
from review.formats.xliff.reader import parse_flag
from review.formats.xliff.writer import flag_note
from review.formats.xmlsafe import local_name, parse_xml, xml_text
from review.formats.xmlwrite import serialise_like


def merge_tmx(original: bytes, articles: list[DocArticle], options: WriteOptions,
              what: str = "The original TMX file") -> bytes:
    """``original`` with the articles' reviewed segments written into it."""
    root = parse_xml(original, what=what, kind="TMX")
    stored: dict[int, list[DocSegment]] = defaultdict(list)
    source_lang = target_lang = ""
    for article in articles:
        pair = article.meta.get("tmx") if isinstance(article.meta, dict) else None
        if isinstance(pair, dict):
            source_lang = source_lang or str(pair.get("source") or "")
            target_lang = target_lang or str(pair.get("target") or "")
        for segment in article.segments:
            info = segment.meta.get("tmx") if isinstance(segment.meta, dict) else None
            if isinstance(info, dict) and isinstance(info.get("loc"), int):
                stored[info["loc"]].append(segment)
        source_lang = source_lang or article.source_lang
        target_lang = target_lang or article.target_lang
    body = next((c for c in root if local_name(c) == "body"), None)
    units = [tu for tu in body if local_name(tu) == "tu"] if body is not None else []
    last: Stamp | None = None
    for number, tu in enumerate(units):
        parts = stored.get(number, [])
        last = stamp_of(parts) or last
        _merge_tu(tu, parts, source_lang, target_lang, what, last)
    return serialise_like(root, original)


def _merge_tu(tu: etree._Element, parts: list[DocSegment], source_lang: str,
              target_lang: str, what: str, stamp: Stamp | None) -> None:
    """Write the review into one unit; ``stamp`` (the unit's latest edit, or for a unit
    merged into the one before, that unit's) dates whatever changed."""
    source, target = pick_tuvs(tuvs_of(tu), source_lang, target_lang)
    if source is None or any(part.held for part in parts):
        return  # nothing to write into, or not released: the unit stays as the file has it
    where = f"Unit {tu.get('tuid') or ''!r} ({what}, line {tu.sourceline})"
    elements: tuple[dict, dict] = ({}, {})
    _, old_text, info = read_segs(source[0], target[0] if target else None, where, elements)
    notes: list[str] = []
    if parts:
        text, flags, status = joined(parts)
        notes = [n for p in parts for n in p.notes]
    else:
        if not old_text:
            return
        text, flags, status = "", None, None
        notes = ["The reviewer merged this unit into the one before it: its translation is "
                 "in that unit's target."]
    changed = False
    if text != old_text:
        tuv = _write_target(tu, target[0] if target else None, text, info,
                            {**elements[0], **elements[1]}, target_lang, where)
        if stamp is not None:
            apply_stamp(tuv, stamp, created=target is None)
        changed = True
    if status is not None and status != (tu_status(tu) or "todo"):
        _set_status(tu, status)
        changed = True
    changed = _notes(tu, notes, flags) or changed
    if changed and stamp is not None:
        apply_stamp(tu, stamp)


def _write_target(tu: etree._Element, tuv: etree._Element | None, text: str, info: dict,
                  templates: dict, target_lang: str, where: str) -> etree._Element:
    """The target ``<tuv>`` (created when the unit had none) holding ``text``."""
    if info.get("tags"):
        parts = _tokens(text, info, where)
        _check_same_tags(parts, info, where)
    else:
        parts = [text]
    if tuv is None:
        last = [t for t in tu if local_name(t) == "tuv"][-1]
        tuv = etree.Element("tuv", {XML_LANG: target_lang})
        tuv.tail = last.tail
        last.addnext(tuv)
    seg = next((c for c in tuv if local_name(c) == "seg"), None)
    if seg is None:
        seg = etree.SubElement(tuv, "seg")
    seg.text = None
    for node in list(seg):
        seg.remove(node)
    _fill(seg, parts, info, "tmx", templates)
    return tuv


def _set_status(tu: etree._Element, status: str) -> None:
    prop = next((p for p in tu if local_name(p) == "prop" and p.get("type") == "x-status"),
                None)
    if prop is None:
        prop = etree.Element("prop", type="x-status")
        _before_tuvs(tu, prop)
    prop.text = status


def _notes(tu: etree._Element, notes: list[str], flags: list[DocFlag] | None) -> bool:
    """Add the notes and flags the unit lacks; whether anything was written."""
    elements = [n for n in tu if local_name(n) == "note"]
    texts = [n.text or "" for n in elements]
    old_flags = [(n, f) for n, t in zip(elements, texts) if (f := parse_flag(t)) is not None]
    added = [text for text in notes if text not in texts]
    for text in added:
        note = etree.Element("note")
        note.text = xml_text(text)
        _before_tuvs(tu, note)
    if flags is None:
        return bool(added)
    key = _flag_key
    if sorted(map(key, flags)) == sorted(key(f) for _, f in old_flags):
        return bool(added)
    for note, _ in old_flags:
        tu.remove(note)
    for flag in flags:
        note = etree.Element("note")
        note.text = xml_text(flag_note(flag))
        _before_tuvs(tu, note)
    return True


def _flag_key(flag: DocFlag) -> tuple:
    return (flag.category, flag.severity, flag.start, flag.end, flag.note, flag.span_in,
            flag.target)


def _before_tuvs(tu: etree._Element, element: etree._Element) -> None:
    """Insert a ``<note>`` or ``<prop>`` where the DTD wants them: before the ``<tuv>``s."""
    first = next(t for t in tu if local_name(t) == "tuv")
    previous = first.getprevious()
    element.tail = previous.tail if previous is not None else tu.text
    first.addprevious(element)
