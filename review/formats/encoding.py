"""Turn uploaded bytes into text, or say clearly why not.

Scraped articles arrive as UTF-8, UTF-16 from Windows tools, GB18030 from Chinese sites and
the odd Latin-1 file; guessing wrong silently would put mojibake in front of reviewers, so
every guess is either confident or refused with advice to pass ``--encoding``.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from review.core.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CONTROL_BYTES = frozenset(range(0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CJK = re.compile(
    r"[\u1100-\u11ff\u3000-\u303f\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]"
)
_CJK_CODECS = ("gb18030", "big5", "cp932", "euc_jp", "cp949")
_NEWLINES = re.compile(r"\r\n?")

MAX_CONTROL_SHARE = 0.05
"""Above this share of control characters a file is treated as binary."""

MAX_CHAOS = 0.1
"""charset-normalizer's "mess" ratio above which its guess is not trusted."""

MIN_COHERENCE = 0.2
"""Language-model fit a guess needs when several code pages read the bytes differently."""

_ADVICE = "pass --encoding (e.g. gb18030, utf-16, latin-1)"


def check_size(nbytes: int, limit: int, what: str) -> None:
    """Refuse files above ``limit`` bytes before reading them into memory."""
    if nbytes > limit:
        mb = limit / (1024 * 1024)
        raise InputError(
            f"{what} is larger than the {mb:g} MB limit; split it into smaller files "
            "and import them one at a time."
        )


def text_codec(encoding: str) -> str:
    """The codec's canonical name; refuses unknown codecs and bytes-to-bytes or
    str-to-str ones (``rot13``, ``hex``, ``zlib``) that cannot read a file as text."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        raise InputError(
            f"Unknown encoding {encoding!r}; use a name such as utf-8, gb18030, utf-16 or "
            "latin-1."
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(
            f"{encoding!r} is not a text encoding (it turns bytes into bytes or text into "
            "text); use a name such as utf-8, gb18030, utf-16 or latin-1."
        )
    return info.name


PLAUSIBILITY_SAMPLE = 1 << 20
"""Bytes of a file looked at to judge whether a given encoding reads it sensibly."""


def check_plausible(data: bytes, encoding: str, what: str = "file") -> None:
    """Refuse a given ``encoding`` that turns valid UTF-8 into different text (mojibake).

    Non-ASCII text in a legacy code page, or UTF-16 text, is almost never valid UTF-8; so
    when the bytes are UTF-8 and ``encoding`` reads them differently (``utf-16`` on an
    English file gives lines of Han characters, ``latin-1`` on Chinese gives ``ä¸­``), the
    given encoding is the mistake. Only the first ``PLAUSIBILITY_SAMPLE`` bytes are read.
    """
    name = text_codec(encoding)
    if name in ("utf-8", "utf-8-sig") or not data:
        return
    sample = data[:PLAUSIBILITY_SAMPLE]
    final = len(data) <= PLAUSIBILITY_SAMPLE
    try:
        as_utf8 = codecs.getincrementaldecoder("utf-8")().decode(sample, final=final)
    except UnicodeDecodeError:
        return  # not UTF-8: nothing to compare with
    as_given = sample.decode(name, errors="replace").removeprefix("\ufeff")
    as_utf8 = as_utf8.removeprefix("\ufeff")
    if as_given == as_utf8:
        return
    differ = next((i for i, (a, b) in enumerate(zip(as_given, as_utf8)) if a != b),
                  min(len(as_given), len(as_utf8)))
    if not final and differ >= min(len(as_given), len(as_utf8)) - 4:
        return  # only the character cut at the end of the sample differs
    raise InputError(
        f"{what} is valid UTF-8 but reads as different text in {encoding}, which would "
        "import mojibake; leave --encoding out (or pass utf-8)."
    )


def decode_text(data: bytes, encoding: str | None = None, *, what: str = "file") -> str:
    """Decode ``data`` to text with ``\\n`` newlines; ``encoding`` overrides detection."""
    if encoding:
        check_plausible(data, encoding, what)
        text = _decode_given(data, encoding, what)
    else:
        text = _detect_and_decode(data, what)
    text = text.removeprefix("\ufeff")
    _refuse_controls(text, what)
    return _NEWLINES.sub("\n", text)


def _decode_given(data: bytes, encoding: str, what: str) -> str:
    text_codec(encoding)
    try:
        return data.decode(encoding)
    except UnicodeError as err:
        raise InputError(
            f"{what} is not valid {encoding} ({_position(err)}); check the file's encoding "
            "or leave --encoding out to detect it."
        ) from None


def detect_encoding(head: bytes, *, final: bool = True, what: str = "file") -> str:
    """The codec to read a file with, judged from ``head``, its first bytes.

    ``final`` says ``head`` is the whole file; otherwise it may end inside a character or a
    line, and the guess looks at whole lines only. The same rules as ``decode_text``: a
    byte-order mark (the codec name skips it), UTF-16 without one, UTF-8, then the East
    Asian and single-byte code pages; binary-looking data and bytes no guess reads
    confidently are refused (``InputError``), as for a whole file.
    """
    if not head:
        return "utf-8"
    name, text = _detect(head, what, final=final)
    _refuse_controls(text.removeprefix("\ufeff"), what)
    return name


_STREAM_BOM_CODECS = {"utf-32-le": "utf-32", "utf-32-be": "utf-32", "utf-8": "utf-8-sig",
                      "utf-16-le": "utf-16", "utf-16-be": "utf-16"}
"""For a file that starts with a byte-order mark: the codec that reads it, mark included."""


def _detect_and_decode(data: bytes, what: str) -> str:
    if not data:
        return ""
    return _detect(data, what)[1]


def _detect(data: bytes, what: str, *, final: bool = True) -> tuple[str, str]:
    """``(codec, text)``: the codec that reads ``data`` and the text it reads.

    With a byte-order mark the text starts after it and the codec is one that skips it.
    When not ``final``, ``data`` is the head of a longer file, and the text may be cut short.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = _decoder(name).decode(data[len(bom):], final=final)
            except UnicodeDecodeError:
                raise InputError(
                    f"{what} starts with a {name} byte-order mark but is not valid {name}; "
                    f"{_ADVICE}."
                ) from None
            return _STREAM_BOM_CODECS[name], text
    utf16 = _utf16_without_bom(data, final=final)
    if utf16 is not None:
        return utf16
    if b"\x00" in data or _control_share(data) > MAX_CONTROL_SHARE:
        raise _binary(what)
    try:
        return "utf-8", _decoder("utf-8").decode(data, final=final)
    except UnicodeDecodeError:
        pass
    if not final:
        # Guess from whole lines: a cut character would count against its code page. No
        # byte of a multi-byte character in these code pages is a line feed.
        cut = data.rfind(b"\n")
        data = data[: cut + 1] if cut > 0 else data
    cjk = _cjk_guess(data)
    if cjk is not None:
        return cjk
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        return guess
    raise InputError(f"{what}: could not tell the encoding; {_ADVICE}.")


def _decoder(name: str) -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder(name)()


def _utf16_without_bom(data: bytes, *, final: bool = True) -> tuple[str, str] | None:
    """UTF-16 without a BOM: every NUL byte sits on the same parity (high byte of ASCII)."""
    if not final:
        data = data[: len(data) & ~1]
    if len(data) < 2 or len(data) % 2:
        return None
    nul_even, nul_odd = data[0::2].count(0), data[1::2].count(0)
    if nul_odd and nul_even <= 0.02 * nul_odd:
        name = "utf-16-le"
    elif nul_even and nul_odd <= 0.02 * nul_even:
        name = "utf-16-be"
    else:
        return None
    try:
        text = _decoder(name).decode(data, final=final)
    except UnicodeDecodeError:
        return None
    return None if _CONTROL_CHARS.search(text) else (name, text)


def _control_share(data: bytes) -> float:
    return sum(1 for b in data if b in _CONTROL_BYTES) / len(data)


def _mostly_cjk(text: str) -> bool:
    non_ascii = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    if not non_ascii:
        return False
    cjk = sum(1 for ch in non_ascii if _CJK.match(ch))
    letters = sum(1 for ch in text if ch.isalpha())
    return cjk / len(non_ascii) >= 0.9 and cjk >= 0.3 * max(letters, 1)


_STEPS = 5
"""Samples charset-normalizer judges a guess by (its default), spread over the data."""


def _readings(data: bytes, **options: Any) -> tuple[list, int]:
    """charset-normalizer's matches for ``data`` and the spaces added to its end.

    It samples ``_STEPS`` chunks at ``len // _STEPS`` intervals, plus the few bytes left
    over after the last as a chunk of their own; such a tail (``".\n"``) reads as all
    punctuation and pushes a clean file over ``MAX_CHAOS``. Spaces up to a whole number
    of steps leave no tail and read the same in every code page tried (all ASCII-based).
    """
    from charset_normalizer import from_bytes

    pad = -len(data) % _STEPS
    return list(from_bytes(data + b" " * pad, steps=_STEPS, **options)), pad


def _reading(match, pad: int) -> str:
    text = str(match)
    return text[: len(text) - pad] if pad and text.endswith(" " * pad) else text


def _cjk_guess(data: bytes) -> tuple[str, str] | None:
    """GB18030 when it reads as CJK, unless another East Asian codec reads it more cleanly.

    GB18030 decodes most byte strings (Shift-JIS included) into plausible-looking Han
    characters, so charset-normalizer ranks the East Asian codecs and GB18030 wins ties.
    """
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    found, pad = _readings(data, cp_isolation=list(_CJK_CODECS))
    matches = [m for m in found if m.chaos <= MAX_CHAOS]
    if matches:
        least = min(m.chaos for m in matches)
        tied = [m for m in matches if m.chaos <= least + 0.01]
        best = next((m for m in tied if m.encoding == "gb18030"), tied[0])
        text = _reading(best, pad)
        if _mostly_cjk(text):
            return best.encoding, text
    return ("gb18030", gb) if gb is not None and _mostly_cjk(gb) else None


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    found, pad = _readings(data)
    matches = [m for m in found if m.chaos <= MAX_CHAOS and _ascii_compatible(m.encoding)]
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    ranked = [m for m in matches if m.chaos <= least + 0.01]
    texts = {_reading(m, pad): m.encoding for m in reversed(ranked)}  # first codec per text
    if len(texts) == 1:
        return next((name, text) for text, name in texts.items())
    # Single-byte code pages tie on short or clean text; Windows-1252 (a superset of
    # Latin-1's printable range) is by far the most common of them.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western in texts:
        return "cp1252", western
    # Several readings that differ: trust one only if it reads as a known language.
    top = max(m.coherence for m in ranked)
    readings = {_reading(m, pad): m.encoding for m in reversed(ranked) if m.coherence == top}
    if top >= MIN_COHERENCE and len(readings) == 1:
        return next((name, text) for text, name in readings.items())
    return None


def _ascii_compatible(encoding: str) -> bool:
    """Plain-text articles are never EBCDIC; short inputs make such code pages tie."""
    probe = b"Aa Zz 09 .,;:!?()\n"
    try:
        return probe.decode(encoding) == probe.decode("ascii")
    except (LookupError, UnicodeDecodeError):
        return False


def _refuse_controls(text: str, what: str) -> None:
    if not text:
        return
    if "\x00" in text or len(_CONTROL_CHARS.findall(text)) / len(text) > MAX_CONTROL_SHARE:
        raise _binary(what)


def _binary(what: str) -> InputError:
    return InputError(
        f"{what} looks binary, not text (an image, archive or word-processor file?); "
        "save it as plain text (.txt) and import that."
    )


def _position(err: UnicodeError) -> str:
    start = getattr(err, "start", None)
    return f"byte {start}" if start is not None else str(err)
