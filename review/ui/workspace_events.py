"""The Python side of the workspace's events: one service call per event, one answer each.

The component's trigger callback only files the event in an inbox; the fragment that draws
the workspace handles the inbox first, so the rows it then sends are already fresh. Tests
put events in the same inbox.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from review.accounts.permissions import Actor
from review.core.errors import ConflictError, ReviewError
from review.services import Workbench

INBOX = "review_ws_inbox"
ACKS = "review_ws_acks"
DETAIL = "review_ws_detail"
KEPT_ACKS = 10
"""Answers kept for the browser: one rerun may carry several if events came quickly."""


def receive(key: str) -> Callable[[], None]:
    """The trigger callback for the component mounted under ``key``."""
    def callback() -> None:
        result = st.session_state.get(key)
        event = result.get("event") if hasattr(result, "get") else None
        if isinstance(event, dict):
            st.session_state.setdefault(INBOX, []).append(event)
    return callback


def process(workbench: Workbench, actor: Actor) -> list[dict]:
    """Handle every waiting event; returns the answers the browser has not seen yet."""
    answers = list(st.session_state.get(ACKS, []))
    for event in st.session_state.pop(INBOX, []):
        ack = handle(workbench, actor, event)
        if ack.pop("details", None) is not None:
            st.session_state[DETAIL] = event.get("segment_id")
        answers.append(ack)
    st.session_state[ACKS] = answers[-KEPT_ACKS:]
    return st.session_state[ACKS]


def handle(workbench: Workbench, actor: Actor, event: dict) -> dict:
    """Run one event; the answer says what happened in words meant for the reviewer."""
    kind = str(event.get("type", ""))
    ack: dict = {"rid": event.get("rid"), "type": kind, "ok": True, "message": ""}
    handler = HANDLERS.get(kind)
    if handler is None:
        return {**ack, "ok": False, "message": f"unknown action {kind!r}"}
    try:
        ack.update(handler(workbench, actor, event))
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
    return {"flag_id": flag_id, "message": f"Flagged: {e['severity']} {e['category']}."}


def _flag_edit(workbench: Workbench, actor: Actor, e: dict) -> dict:
    workbench.workspace.update_flag(actor, int(e["flag_id"]), category=e.get("category"),
                      severity=e.get("severity"), note=e.get("note"))
    return {"message": "Flag changed."}


def _flag_delete(workbench: Workbench, actor: Actor, e: dict) -> dict:
    workbench.flags.delete_flag(actor, int(e["flag_id"]))
    return {"message": "Flag deleted."}


def _flag_state(workbench: Workbench, actor: Actor, e: dict) -> dict:
    workbench.flags.set_flag_state(actor, int(e["flag_id"]), str(e["state"]))
    return {"message": f"Suggestion {e['state']}." if e["state"] != "open"
            else "Suggestion reopened."}


def _merge(workbench: Workbench, actor: Actor, e: dict) -> dict:
    merged = workbench.segments.merge_with_next(actor, int(e["segment_id"]), int(e["version"]),
                                   e.get("next_id"), e.get("next_version"))
    return {"segment_id": merged, "message": "Merged with the next segment."}


def _split(workbench: Workbench, actor: Actor, e: dict) -> dict:
    first, _ = workbench.segments.split_segment(actor, int(e["segment_id"]), int(e["at"]),
                                                int(e["version"]))
    return {"segment_id": first, "message": "Split into two segments."}


def _kind(workbench: Workbench, actor: Actor, e: dict) -> dict:
    workbench.segments.set_kind(actor, int(e["segment_id"]), str(e["kind"]), int(e["version"]))
    return {"message": "Marked as web residue." if e["kind"] == "residue"
            else "Marked as body text."}


def _resolve(workbench: Workbench, actor: Actor, e: dict) -> dict:
    text = e.get("text")
    workbench.workspace.resolve_conflict(actor, int(e["segment_id"]), str(e["choice"]),
                           int(e["theirs_version"]), None if text is None else str(text))
    return {"message": {"take_theirs": "Their text is in the editor; your next save builds "
                        "on their version.", "keep_mine": "Kept your text.",
                        "merge": "Saved the merged text."}.get(e["choice"], "")}


def _details(workbench: Workbench, actor: Actor, e: dict) -> dict:
    return {"details": int(e["segment_id"])}


HANDLERS: dict[str, Callable[[Workbench, Actor, dict], dict]] = {
    "save": _save, "approve": _approve, "flag_add": _flag_add, "flag_edit": _flag_edit,
    "flag_delete": _flag_delete, "flag_state": _flag_state, "merge": _merge, "split": _split,
    "kind": _kind, "resolve": _resolve, "details": _details,
}
