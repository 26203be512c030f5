"""Drive the Review page's workspace in AppTest: read what it sends to the browser, and put
events in its inbox the way the browser's trigger does."""

from __future__ import annotations

import json
from itertools import count

from streamlit.testing.v1 import AppTest

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import open_store
from review.services import Workbench
from review.ui.workspace_events import INBOX

_RIDS = count(1)
_ROWS: dict[str, dict] = {}


def workspace_data(at: AppTest) -> dict:
    """The data the workspace component was mounted with in the last run."""
    found = [node for node in _walk(at._tree) if type(node).__name__ == "UnknownElement"
             and node.type == "bidi_component"
             and node.proto.component_name == "review_workspace"]
    assert found, "the page mounted no workspace"
    data = json.loads(found[-1].proto.json)
    epoch = data["epoch"]
    if data.get("full") is not None:
        _ROWS[epoch] = {"seq": data["seq"], "rows": data["full"]}
    held = _ROWS.get(epoch)
    if held is None:  # rows sent in a run this helper did not read: ask, as the browser does
        at.session_state[INBOX] = [{"type": "sync", "rid": f"sync{next(_RIDS)}"}]
        at.run()
        return workspace_data(at)
    for patch in data["patches"]:  # fold the patches in, as the browser does
        if patch["seq"] <= held["seq"]:
            continue
        fresh = {r["id"]: r for r in patch["rows"]}
        held["rows"] = [fresh.get(r["id"], r) for r in held["rows"]
                        if r["id"] not in set(patch["gone"])]
        held["seq"] = patch["seq"]
    return {**data, "rows": held["rows"]}


def _walk(node):  # noqa: ANN001, ANN202
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def send(at: AppTest, event: dict) -> dict:
    """Handle one event as the page does after a trigger; returns its answer."""
    event = {**event, "rid": f"r{next(_RIDS)}"}
    at.session_state[INBOX] = [event]
    at.run()
    assert not at.exception, at.exception
    acks = [a for a in workspace_data(at)["acks"] if a["rid"] == event["rid"]]
    assert acks, f"no answer to {event}"
    return acks[0]


def open_wuzhen(make_app, app_db: str):  # noqa: ANN001, ANN201
    """The app on the Wuzhen sample article; returns (app, workbench, article id)."""
    at = make_app().run()
    bench = Workbench(open_store(app_db))
    article = next(a for a in bench.reading.summaries(SYSTEM_ACTOR)
                   if a.title.startswith("Playing"))
    at.selectbox(key="review_article").set_value(article.id).run()
    assert not at.exception, at.exception
    return at, bench, article.id


def body_rows(bench: Workbench, article_id: int) -> list:
    return [r for r in bench.reading.article(SYSTEM_ACTOR, article_id).rows if r.kind == "body"]
