"""Workspace events beyond one segment: find and replace across the article, the
concordance over the library's corrected segments, and the glossary panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from review.accounts.permissions import Actor
from review.services import Workbench


def _replace(workbench: Workbench, actor: Actor, e: dict) -> dict:
    """Apply the replacements the reviewer confirmed: one revision per changed segment."""
    changes: list[dict[str, Any]] = [
        {"segment_id": int(c["segment_id"]), "text": str(c["text"]),
         "version": int(c["version"])} for c in e["changes"]]
    done = []
    for change in changes:
        was = workbench.reading.segment(actor, change["segment_id"]).row.current
        detail = workbench.editing.save_segment(actor, change["segment_id"], change["text"],
                                        change["version"], action="replace")
        done.append({"segment_id": detail.row.id, "was": was, "version": detail.row.version})
    undo = [{"segment_id": d["segment_id"], "text": d["was"], "version": d["version"]}
            for d in done]
    what = f"{len(done)} segment{'s' if len(done) != 1 else ''}"
    return {"message": f"Replaced in {what}." if not e.get("undo") else "",
            "changed": [d["segment_id"] for d in done],
            "undo": {"label": f"the replacement in {what}",
                     "event": {"type": "replace", "changes": undo}}}


def _concordance(workbench: Workbench, actor: Actor, e: dict) -> dict:
    hits = workbench.workspace.concordance(actor, str(e.get("query") or ""),
                                 segment_id=e.get("segment_id"))
    return {"concordance": hits, "changed": []}


def _glossary(workbench: Workbench, actor: Actor, e: dict) -> dict:
    return {"glossary": workbench.workspace.glossary_terms(actor, int(e["segment_id"])),
            "changed": []}


EXTRA_HANDLERS: dict[str, Callable[[Workbench, Actor, dict], dict]] = {
    "replace": _replace, "concordance": _concordance, "glossary": _glossary,
}
