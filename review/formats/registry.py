"""The ``FORMATS`` registry: every file format the Library, Export and CLI offer."""

from __future__ import annotations

from pathlib import Path

from review.core.errors import InputError
from review.formats.base import Format
from review.formats.jsonl import FORMAT as JSONL
from review.formats.mqm_tsv import FORMAT as MQM_TSV
from review.formats.table import CSV_FORMAT, TSV_FORMAT
from review.formats.text import FORMAT as TEXT
from review.formats.tmx import FORMAT as TMX
from review.formats.xliff import XLIFF12_FORMAT, XLIFF20_FORMAT

FORMATS: dict[str, Format] = {
    f.name: f for f in (TEXT, CSV_FORMAT, TSV_FORMAT, JSONL, XLIFF12_FORMAT, XLIFF20_FORMAT,
                        TMX, MQM_TSV)
}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise InputError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}") from None


def detect_format(filename: str, data: bytes = b"") -> Format:
    """Pick the format from the file name; MQM TSV files are told apart by their header."""
    name = Path(filename).name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return MQM_TSV
    suffix = Path(name).suffix
    if suffix == ".tsv" and _looks_like_mqm(data):
        return MQM_TSV
    for format_ in FORMATS.values():
        if suffix in format_.extensions and format_.can_read:
            return format_
    raise InputError(f"cannot tell the format of {Path(filename).name!r} from its name; "
                     f"pass --format ({', '.join(FORMATS)})")


def _looks_like_mqm(data: bytes) -> bool:
    header = data[:400].split(b"\n", 1)[0].lower()
    return header.startswith(b"system\tdoc\t") and b"severity" in header
