"""The command line's job commands: ``worker``, ``jobs [cancel|retry ID]``, ``models pull``."""

from __future__ import annotations

import argparse
import json
import sys

from review.accounts.permissions import SYSTEM_ACTOR
from review.db.store import open_store
from review.services import Workbench


def _workbench(args: argparse.Namespace) -> Workbench:
    return Workbench(open_store(args.db))


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _line(job) -> str:  # noqa: ANN001
    progress = f"{job.done}/{job.total}" if job.total else ""
    what = job.error if job.state == "failed" else job.message
    return (f"{job.id:>5}  {job.kind:<12} {job.state:<9} {progress:>11}  "
            f"{job.created_by:<12} {what}")


def cmd_worker(args: argparse.Namespace) -> int:
    from review.worker.loop import run_worker

    run_worker(open_store(args.db), workers=args.workers, preload=args.preload or [])
    return 0


def cmd_jobs(args: argparse.Namespace) -> int:
    workbench = _workbench(args)
    action = getattr(args, "jobs_action", None)
    if action == "cancel":
        message = workbench.jobs.cancel_job(SYSTEM_ACTOR, args.job_id)
        if args.json:
            _print_json({"job": args.job_id, "message": message})
        else:
            print(message)
        return 0
    if action == "retry":
        job = workbench.jobs.retry_job(SYSTEM_ACTOR, args.job_id)
        if args.json:
            _print_json(job.to_json())
        else:
            print(f"job {args.job_id} queued again as job {job.id}")
        return 0
    jobs = workbench.jobs.jobs(SYSTEM_ACTOR, limit=args.limit)
    if args.json:
        _print_json([j.to_json() for j in jobs])
        return 0
    if not jobs:
        print("no jobs yet")
    for job in jobs:
        print(_line(job))
    return 0


def cmd_models_pull(args: argparse.Namespace) -> int:
    """Fetch a model now, in this process, with a progress line (no worker needed)."""
    from review.cli.progress import TerminalProgress
    from review.jobs.hub import pull

    bar = None if args.json else TerminalProgress(f"fetching {args.name}")

    def progress(done: int, total: int, message: str | None = None) -> None:
        if bar is not None and total:
            bar(done, total)

    try:
        result = pull(args.name, progress)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        _print_json(result)
    else:
        print(f"{args.name}: {result['bytes'] / 1e6:.1f} MB in {result['path']}")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("worker", parents=[common], help="run jobs until interrupted")
    p.add_argument("--workers", type=int, default=1, help="jobs run at once (threads)")
    p.add_argument("--preload", action="append", metavar="MODEL",
                   help="load this model before taking jobs (repeatable)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("jobs", parents=[common], help="list, cancel or retry jobs")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_jobs)
    jobs_sub = p.add_subparsers(dest="jobs_action")
    for action, text in (("cancel", "cancel a queued or running job"),
                         ("retry", "start a failed or cancelled job again")):
        a = jobs_sub.add_parser(action, parents=[common], help=text)
        a.add_argument("job_id", type=int)
        a.set_defaults(func=cmd_jobs)

    p = sub.add_parser("models", help="translation models")
    models_sub = p.add_subparsers(dest="models", required=True)
    m = models_sub.add_parser("pull", parents=[common],
                              help="download a model from the hub or $HF_ENDPOINT")
    m.add_argument("name", help="hub id, e.g. Helsinki-NLP/opus-mt-zh-en")
    m.set_defaults(func=cmd_models_pull)
