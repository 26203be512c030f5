"""The Python side of the workspace's events: one service call per event, one answer each.

The component's trigger callback only files the event in an inbox; the fragment that draws
the workspace handles the inbox first, so the rows it then sends are already fresh. Tests
put events in the same inbox.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ConflictError, ReviewError
from review.services import Workbench
from review.ui.workspace_tools import EXTRA_HANDLERS

INBOX = "review_ws_inbox"
ACKS = "review_ws_acks"
DETAIL = "review_ws_detail"
TOUCHED = "review_ws_touched"
"""Segments changed outside the workspace's events (a restore in the details below it)."""
KEPT_ACKS = 10
"""Answers kept for the browser: one rerun may carry several if events came quickly."""


def receive(key: str) -> Callable[[], None]:
    """The trigger callback for the component mounted under ``key``."""
    def callback() -> None:
        result = st.session_state.get(key)
        event = (result.get("event") if result is not None and hasattr(result, "get")
                 else None)
        if isinstance(event, dict):
            st.session_state.setdefault(INBOX, []).append(event)
    return callback


@dataclass
class Outcome:
    """What one rerun's events did: the answers, and which rows the browser must get again
    (``everything`` after a merge or split, whose positions shift)."""

    acks: list[dict] = field(default_factory=list)
    changed: set[int] = field(default_factory=set)
    everything: bool = False
    have: int = -1
    """The newest patch the browser had applied when it sent these events."""


def touched(segment_id: int) -> None:
    """Say that a segment changed outside the events, so its row is sent again."""
    st.session_state.setdefault(TOUCHED, set()).add(segment_id)


def process(workbench: Workbench, actor: Actor) -> Outcome:
    """Handle every waiting event; returns the answers the browser has not seen yet."""
    out = Outcome()
    out.changed.update(st.session_state.pop(TOUCHED, set()))
    answers = list(st.session_state.get(ACKS, []))
    for event in st.session_state.pop(INBOX, []):
        if isinstance(event.get("have"), int):
            out.have = max(out.have, event["have"])
        ack = handle(workbench, actor, event)
        if ack.pop("details", None) is not None:
            st.session_state[DETAIL] = event.get("segment_id")
        changed = ack.pop("changed", None)
        if changed == "all":
            out.everything = True
        elif changed is not None:
            out.changed.update(int(i) for i in changed)
        elif event.get("segment_id") is not None:
            out.changed.add(int(event["segment_id"]))
        answers.append(ack)
    st.session_state[ACKS] = answers[-KEPT_ACKS:]
    out.acks = st.session_state[ACKS]
    return out


def handle(workbench: Workbench, actor: Actor, event: dict) -> dict:
    """Run one event; the answer says what happened in words meant for the reviewer."""
    kind = str(event.get("type", ""))
    ack: dict = {"rid": event.get("rid"), "type": kind, "ok": True, "message": ""}
    handler = HANDLERS.get(kind)
    if handler is None:
        return {**ack, "ok": False, "message": f"unknown action {kind!r}"}
    try:
        ack.update(handler(workbench, actor, event))
        if event.get("undo") and ack["ok"]:
            ack["message"] = f"Undid {event['undo']}."
            ack.pop("undo", None)  # undoing an undo is not offered
    except ConflictError as exc:
        segment_id = int(event["segment_id"])
        if kind == "save":
            workbench.workspace.record_conflict(actor, segment_id, int(event.get("version", 0)),
                                      exc.theirs_version, exc.theirs_author)
        ack.update(ok=False, message=str(exc), conflict={
            "message": str(exc), "theirs_text": exc.theirs_text,
            "theirs_version": exc.theirs_version, "theirs_author": exc.theirs_author})
    except (ReviewError, KeyError, TypeError, ValueError) as exc:
        ack.update(ok=False, message=str(exc) if isinstance(exc, ReviewError)
                   else f"the {kind} request was incomplete ({exc})")
    return ack


def _undo(label: str, **event: object) -> dict:
    """The event that reverses an action, and how the workspace names it when undone."""
    return {"undo": {"label": label, "event": event}}


def _save(workbench: Workbench, actor: Actor, e: dict) -> dict:
    detail = workbench.editing.save_segment(actor, int(e["segment_id"]), str(e["text"]),
                                            int(e["version"]),
                                float(e.get("seconds") or 0.0))
    return {"message": f"Saved segment {detail.row.position + 1}.",
            "segment_id": detail.row.id, "version": detail.row.version}


def _approve(workbench: Workbench, actor: Actor, e: dict) -> dict:
    detail = workbench.editing.set_status(actor, int(e["segment_id"]), "approved",
                                          int(e["version"]))
    return {"message": f"Approved segment {detail.row.position + 1}."}


def _flag_add(workbench: Workbench, actor: Actor, e: dict) -> dict:
    flag_id = workbench.workspace.add_span_flag(actor, int(e["segment_id"]), str(e["on"]),
                                                int(e["start"]),
                                      int(e["end"]), str(e["category"]), str(e["severity"]),
                                      str(e.get("note") or ""))
    what = f"{e['severity']} {e['category']}"
    return {"flag_id": flag_id, "message": f"Flagged: {what}.",
            **_undo(f"the {what} flag", type="flag_delete", flag_id=flag_id,
                    segment_id=int(e["segment_id"]))}


def _flag_edit(workbench: Workbench, actor: Actor, e: dict) -> dict:
    workbench.workspace.update_flag(actor, int(e["flag_id"]), category=e.get("category"),
                          severity=e.get("severity"), note=e.get("note"))
    prev = e.get("prev") or {}
    return {"message": "Flag changed.",
            **_undo("the change to a flag", type="flag_edit", flag_id=int(e["flag_id"]),
                    segment_id=e.get("segment_id"), **prev)}


def _flag_delete(workbench: Workbench, actor: Actor, e: dict) -> dict:
    workbench.flags.delete_flag(actor, int(e["flag_id"]))
    snapshot = e.get("snapshot")
    return {"message": "Flag deleted.",
            **(_undo("the deletion of a flag", type="flag_add", **snapshot)
               if isinstance(snapshot, dict) else {})}


def _flag_state(workbench: Workbench, actor: Actor, e: dict) -> dict:
    workbench.flags.set_flag_state(actor, int(e["flag_id"]), str(e["state"]))
    done = (f"Suggestion {e['state']}." if e["state"] != "open" else "Suggestion reopened.")
    prev = e.get("prev")
    return {"message": done,
            **(_undo(f"the {e['state']} suggestion".replace("open suggestion",
                                                            "reopened suggestion"),
                     type="flag_state", flag_id=int(e["flag_id"]), state=prev,
                     segment_id=e.get("segment_id")) if prev else {})}


def _merge(workbench: Workbench, actor: Actor, e: dict) -> dict:
    before = workbench.reading.segment(actor, int(e["segment_id"])).row
    merged = workbench.segments.merge_with_next(actor, int(e["segment_id"]), int(e["version"]),
                                       e.get("next_id"), e.get("next_version"))
    after = workbench.reading.segment(actor, merged).row
    number = before.position + 1
    return {"segment_id": merged, "message": "Merged with the next segment.",
            "changed": "all",
            **_undo(f"the merge of segments {number} and {number + 1}", type="unmerge",
                    segment_id=merged, merged_version=after.version)}


def _unmerge(workbench: Workbench, actor: Actor, e: dict) -> dict:
    """Undo of a merge: both segments come back with their own ids, flags and history."""
    made = e.get("merged_version")
    first, _ = workbench.segments.unmerge(actor, int(e["segment_id"]), int(e["version"]),
                                          None if made is None else int(made))
    return {"segment_id": first, "message": "Split the merged segment again.",
            "changed": "all"}


def _split(workbench: Workbench, actor: Actor, e: dict) -> dict:
    first, _ = workbench.segments.split_segment(actor, int(e["segment_id"]), int(e["at"]),
                                       int(e["version"]))
    number = workbench.reading.segment(actor, first).row.position + 1
    return {"segment_id": first, "message": "Split into two segments.", "changed": "all",
            **_undo(f"the split of segment {number}", type="merge", segment_id=first)}


def _kind(workbench: Workbench, actor: Actor, e: dict) -> dict:
    before = workbench.reading.segment(actor, int(e["segment_id"])).row
    workbench.segments.set_kind(actor, int(e["segment_id"]), str(e["kind"]), int(e["version"]))
    done = ("Marked as web residue." if e["kind"] == "residue" else
            "Marked as body text." if e["kind"] == "body" else f"Marked as {e['kind']}.")
    label = ("the residue mark" if e["kind"] == "residue" else "the body-text mark")
    return {"message": done,
            **_undo(f"{label} on segment {before.position + 1}", type="kind",
                    segment_id=before.id, kind=before.kind)}


def _resolve(workbench: Workbench, actor: Actor, e: dict) -> dict:
    text = e.get("text")
    workbench.workspace.resolve_conflict(actor, int(e["segment_id"]), str(e["choice"]),
                           int(e["theirs_version"]), None if text is None else str(text))
    return {"message": {"take_theirs": "Their text is in the editor; your next save builds "
                        "on their version.", "keep_mine": "Kept your text.",
                        "merge": "Saved the merged text."}.get(e["choice"], "")}


def _details(workbench: Workbench, actor: Actor, e: dict) -> dict:
    return {"details": int(e["segment_id"])}


def _sync(workbench: Workbench, actor: Actor, e: dict) -> dict:
    """The browser lost its copy of the rows (a new tab or a remount): send them all."""
    return {"changed": "all"}


def _suspect(workbench: Workbench, actor: Actor, e: dict) -> dict:
    """Rows of a long article, now drawn, read again with their suspect spans."""
    return {"changed": [int(i) for i in e["ids"]][:1000]}


def _rank(workbench: Workbench, actor: Actor, e: dict) -> dict:
    ranking = workbench.ranking.risk_ranking(actor, int(e["article_id"]))
    how = ranking[0]["ranked_by"] if ranking else ""
    note = ranking[0]["ranking_note"] if ranking else ""
    return {"message": "Worst first" + (f", {how}" if how else "") + " (expected errors per "
            "word read; web residue and captions last)." + (f" {note}" if note else ""),
            "changed": "all"}


HANDLERS: dict[str, Callable[[Workbench, Actor, dict], dict]] = {
    "save": _save, "approve": _approve, "flag_add": _flag_add, "flag_edit": _flag_edit,
    "flag_delete": _flag_delete, "flag_state": _flag_state, "merge": _merge, "split": _split,
    "unmerge": _unmerge,
    "kind": _kind, "resolve": _resolve, "details": _details, "sync": _sync, "rank": _rank,
    "suspect": _suspect,
    **EXTRA_HANDLERS,
}
