"""Each domain list is defined once, in review/core/vocab.py (or its registry), and nowhere else.

A copy of a list drifts: a value added in one place is rejected in another. The test looks
for any literal tuple, list or set in the package that spells out one of these lists.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from review.core import vocab
from review.formats.registry import FORMATS

PACKAGE = Path(__file__).resolve().parents[2] / "review"

DOMAIN_LISTS = {
    "segment kinds": vocab.SEGMENT_KINDS,
    "content kinds": vocab.CONTENT_KINDS,
    "residue kinds": vocab.RESIDUE_KINDS,
    "segment statuses": vocab.SEGMENT_STATUSES,
    "severities": vocab.SEVERITIES,
    "MQM categories": vocab.MQM_CATEGORIES,
    "roles": vocab.ROLES,
    "retranslation modes": vocab.RETRANSLATION_MODES,
    "MQM groupings": vocab.MQM_GROUPINGS,
    "flag states": vocab.FLAG_STATES,
    "flag origins": vocab.FLAG_ORIGINS,
    "formats": tuple(FORMATS),
}


def literal_lists(tree: ast.AST) -> list[tuple[int, frozenset[str]]]:
    """Every literal tuple/list/set of two or more strings, with its line."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) >= 2 and all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
            found.append((node.lineno, frozenset(e.value for e in node.elts)))
    return found


def copies(source: str) -> list[str]:
    wanted = {frozenset(values): name for name, values in DOMAIN_LISTS.items()}
    return [f"line {line}: {wanted[values]}" for line, values in literal_lists(ast.parse(source))
            if values in wanted]


def test_each_domain_list_is_spelled_out_only_in_the_vocabulary() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "vocab.py" or "migrations" in path.parts:
            continue
        offenders += [f"{path.relative_to(PACKAGE.parent)} {hit}"
                      for hit in copies(path.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize("source, found", [
    ('ROLES = ("reviewer", "lead", "admin")', ["line 1: roles"]),
    ('x = {"admin", "lead", "reviewer"}', ["line 1: roles"]),
    ('ok = status in ("todo", "flagged")', []),
])
def test_copies_are_recognised(source: str, found: list[str]) -> None:
    assert copies(source) == found
