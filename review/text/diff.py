"""Word-level differences between two texts, as escaped HTML or as plain operations.

Kept out of the UI so the escaping (untrusted text) is tested without a browser.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Words, single punctuation marks and whitespace runs; CJK characters one by one."""
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if any("\u3400" <= ch <= "\u9fff" for ch in tok) and len(tok) > 1:
            out.extend(tok)
        else:
            out.append(tok)
    return out


@dataclass(frozen=True)
class DiffOp:
    kind: str  # "equal", "insert", "delete"
    text: str


def word_diff(old: str, new: str) -> list[DiffOp]:
    """Operations that turn ``old`` into ``new``; joining equal+delete gives old back."""
    a, b = tokens(old), tokens(new)
    ops: list[DiffOp] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(DiffOp("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            ops.append(DiffOp("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            ops.append(DiffOp("insert", "".join(b[j1:j2])))
    return ops


def diff_html(old: str, new: str) -> str:
    """The diff as HTML: deletions in ``<del>``, insertions in ``<ins>``, all text escaped."""
    parts = []
    for op in word_diff(old, new):
        text = html.escape(op.text, quote=True)
        if op.kind == "equal":
            parts.append(text)
        elif op.kind == "delete":
            parts.append(f'<del class="diff-del">{text}</del>')
        else:
            parts.append(f'<ins class="diff-ins">{text}</ins>')
    return "".join(parts)


def highlight_html(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` escaped, with each (start, end, label) span wrapped in ``<mark>``."""
    spans = sorted((s, e, label) for s, e, label in spans if 0 <= s < e <= len(text))
    out: list[str] = []
    pos = 0
    for start, end, label in spans:
        if start < pos:
            continue  # overlapping spans: keep the first
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark title="{html.escape(label, quote=True)}">'
                   f"{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


DIFF_CSS = """
<style>
.diff-box { line-height: 1.6; padding: 0.5rem 0.75rem; border-radius: 0.4rem;
            border: 1px solid rgba(128,128,128,0.3); white-space: pre-wrap; }
.diff-del { background: #ffd7d5; color: #82071e; text-decoration: line-through; }
.diff-ins { background: #ccffd8; color: #055d20; text-decoration: none; }
.diff-box mark { background: #fff3b0; }
</style>
"""
