"""Names for exported files and titles for imported ones.

Article titles come from scraped pages and uploads, so they may hold slashes, ``..``, control
characters or nothing but Chinese; a download name built from one must stay a single plain
file name on every operating system, and must never be empty.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePath, PurePosixPath, PureWindowsPath

MAX_STEM = 80
"""Characters kept of the title; the extension comes on top."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RUNS = re.compile(r"([-_.])[-_.]+")
_EXT = re.compile(r"[^A-Za-z0-9.]+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)


def safe_filename(title: str, ext: str) -> str:
    """An ASCII file name for ``title`` with extension ``ext`` (``"csv"`` or ``".csv"``).

    Letters with accents lose them, everything else outside ``A-Z a-z 0-9 . _ -`` becomes a
    dash, and a title with nothing left (e.g. all Chinese) becomes ``article-<hash>`` so that
    two such titles still get different names.
    """
    ascii_title = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    stem = _UNSAFE.sub("-", ascii_title)
    stem = _RUNS.sub(r"\1", stem).strip("-_. ")
    stem = stem[:MAX_STEM].rstrip("-_. ")
    if not stem or not any(ch.isalnum() for ch in stem):
        digest = hashlib.sha1((title or "").encode("utf-8")).hexdigest()[:8]
        stem = f"article-{digest}"
    if stem.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
        stem = f"article-{stem}"
    suffix = re.sub(r"\.{2,}", ".", _EXT.sub("", ext or "")).strip(".")[:16].strip(".")
    return f"{stem}.{suffix}" if suffix else stem


EXPORT_EXTENSIONS: dict[str, str] = {"xliff": "xlf", "xliff2": "xliff", "mqm-tsv": "mqm.tsv"}
"""Download extensions where two formats share their first import extension: without them
XLIFF 1.2 and 2.0 (or TSV and MQM TSV) downloads of one article get the same name."""


def export_extension(format_name: str, default_ext: str) -> str:
    """The extension (no dot) of a ``format_name`` download; ``default_ext`` otherwise."""
    return EXPORT_EXTENSIONS.get(format_name, default_ext.lstrip("."))


def export_filename(title: str, format_name: str, default_ext: str) -> str:
    """The download name of ``title`` exported in ``format_name``: distinct per format."""
    return safe_filename(title, export_extension(format_name, default_ext))


def title_from_name(name: str | None, fallback: str = "Untitled") -> str:
    """A readable article title from an uploaded file's name: its last part without suffixes.

    ``name`` may be a path from either operating system; ``archive.tsv.tar.gz`` gives
    ``archive``.
    """
    if not name or not isinstance(name, str):
        return fallback
    base: PurePath = PureWindowsPath(name) if "\\" in name else PurePosixPath(name)
    stem = base.name
    for suffix in (".tar.gz", ".tgz", ".gz"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = PurePosixPath(stem).stem if "." in stem.lstrip(".") else stem
    stem = " ".join(stem.split())
    return stem or fallback


def stream_title(stream: object, fallback: str = "Untitled") -> str:
    """The title an import falls back to: the name of the file behind ``stream``, if any."""
    return title_from_name(getattr(stream, "name", None), fallback)
