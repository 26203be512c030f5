"""A stand-in for one app server process, driven by a test over stdin and stdout.

It opens its own store from ``REVIEW_DATABASE_URL`` and its own Workbench the way the app's
``workbench_for`` does (migrated store, the embedded job thread only where the queue is
embedded), so two of them are two app servers sharing a database and a broker. Each line on
stdin is one JSON command; each answer is one JSON line on stdout. Logs go to stderr.

Run: ``python -m tests.app_process NAME ROLE`` (the account the process acts as).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

from review.accounts.permissions import Actor
from review.core.errors import ConflictError
from review.db.store import open_store
from review.formats.base import DocArticle, DocSegment
from review.services import Workbench
from review.worker.embedded import start_embedded

FINISHED = ("done", "failed", "cancelled")


def _import(bench: Workbench, actor: Actor, cmd: dict) -> dict:
    docs = [DocArticle(title=a["title"], source_lang="zh", target_lang="en", segments=[
        DocSegment(mt=mt, source=source) for mt, source in a["segments"]])
        for a in cmd["articles"]]
    ids = [a.id for a in bench.imports.import_articles(actor, docs).articles]
    return {"articles": {str(i): [r.id for r in bench.reading.article(actor, i).rows] for i in ids}}


def _start_jobs(bench: Workbench, actor: Actor, cmd: dict) -> dict:
    return {"jobs": [bench.jobs.start_retranslation_job(actor, [i], mode="source",
                                                   model=cmd["model"]).id
                     for i in cmd["article_ids"]]}


def _read(bench: Workbench, actor: Actor, cmd: dict) -> dict:
    row = bench.reading.segment(actor, cmd["segment_id"]).row
    return {"version": row.version, "text": row.current}


def _save(bench: Workbench, actor: Actor, cmd: dict) -> dict:
    """One save with the version the caller read: landed, or refused as a conflict."""
    try:
        row = bench.editing.save_segment(actor, cmd["segment_id"], cmd["text"], cmd["version"]).row
    except ConflictError as exc:
        return {"outcome": "conflict", "theirs_version": exc.theirs_version,
                "theirs_text": exc.theirs_text}
    return {"outcome": "landed", "version": row.version}


def _jobs_finished(bench: Workbench, actor: Actor, job_ids: list[int]) -> bool:
    return all(bench.jobs.job(actor, j).state in FINISHED for j in job_ids)


def _edit_while_jobs_run(bench: Workbench, actor: Actor, cmd: dict) -> dict:
    """Save the given segments round-robin, as a reviewer would (read, change, save), until
    the jobs have ended and at least ``min_saves`` saves were made; report every save."""
    saves: list[dict] = []
    saw_running = False
    deadline = time.monotonic() + cmd.get("timeout", 180)
    k = 0
    while time.monotonic() < deadline:
        finished = _jobs_finished(bench, actor, cmd["job_ids"])
        saw_running = saw_running or not finished
        if finished and k >= cmd["min_saves"]:
            break
        segment_id = cmd["segment_ids"][k % len(cmd["segment_ids"])]
        version = bench.reading.segment(actor, segment_id).row.version
        text = f"{cmd['tag']} save {k}"
        saves.append({"segment_id": segment_id, "text": text, "read_version": version,
                      **_save(bench, actor, {"segment_id": segment_id, "text": text,
                                             "version": version})})
        k += 1
    return {"saves": saves, "saw_running": saw_running,
            "jobs_finished": _jobs_finished(bench, actor, cmd["job_ids"])}


def _wait_jobs(bench: Workbench, actor: Actor, cmd: dict) -> dict:
    """Poll the jobs as the Jobs panel does until they end; then what the pages show."""
    deadline = time.monotonic() + cmd.get("timeout", 180)
    while not _jobs_finished(bench, actor, cmd["job_ids"]):
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    jobs = [bench.jobs.job(actor, j) for j in cmd["job_ids"]]
    retranslations = {str(a): [r.retranslation for r in bench.reading.article(actor, a).rows]
                      for a in cmd["article_ids"]}
    return {"states": [j.state for j in jobs], "errors": [j.error for j in jobs],
            "retranslations": retranslations}


def _history(bench: Workbench, actor: Actor, cmd: dict) -> dict:
    detail = bench.reading.segment(actor, cmd["segment_id"])
    return {"version": detail.row.version, "text": detail.row.current,
            "revisions": sorted([r.version, r.text] for r in detail.revisions)}


COMMANDS: dict[str, Callable[[Workbench, Actor, dict], dict]] = {
    "import": _import, "start_jobs": _start_jobs, "read": _read, "save": _save,
    "edit_while_jobs_run": _edit_while_jobs_run, "wait_jobs": _wait_jobs,
    "history": _history,
}


def main(argv: list[str]) -> int:
    name, role = argv
    actor = Actor(name, role)
    store = open_store()
    bench = Workbench(store)
    embedded = start_embedded(store)
    print(json.dumps({"ready": True, "embedded_jobs": embedded}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["do"] == "quit":
            break
        try:
            answer = COMMANDS[cmd["do"]](bench, actor, cmd)
        except Exception as exc:  # reported to the test, which fails with it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)
    store.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
