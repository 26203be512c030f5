"""``python -m review campaign create FILE`` and ``campaign status NAME``."""

from __future__ import annotations

import argparse
import json
import sys

from review.accounts.permissions import SYSTEM_ACTOR
from review.cli.terminal import terminal_safe
from review.db.store import open_store
from review.services import Workbench
from review.services.campaign_file import load_campaign_file

DEFAULT_APP_URL = "http://localhost:8501/"


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def cmd_campaign_create(args: argparse.Namespace) -> int:
    spec = load_campaign_file(args.file)  # the whole file is checked before anything else
    result = Workbench(open_store(args.db)).campaigns.create_campaign(SYSTEM_ACTOR, spec)
    base = args.app_url.rstrip("/") + "/"
    if args.json:
        data = result.to_json()
        for link in data["links"]:
            link["url"] = base + link["link"] if link["link"] else None
        _print_json(data)
        return 0
    print(f"campaign {terminal_safe(result.name)}: {len(result.article_ids)} articles "
          f"({', '.join(map(str, result.article_ids))}), {result.assignments} assignments")
    for link in result.links:
        role = "second pass" if link.second_pass else "reviewer"
        if link.path is None:
            print(f"  {terminal_safe(link.name)} ({role}): logs in with their password")
        else:
            print(f"  {terminal_safe(link.name)} ({role}): {base}{link.path}")
    print("each link works once and sets the reviewer's password; send it to that person only")
    return 0


def cmd_campaign_status(args: argparse.Namespace) -> int:
    status = Workbench(open_store(args.db)).campaigns.campaign_status(SYSTEM_ACTOR, args.name)
    if args.json:
        _print_json(status.to_json())
        return 0
    due = status.due_at.date().isoformat() if status.due_at else "none"
    print(f"campaign {terminal_safe(status.name)}: mode {status.mode}, due {due}")
    for r in status.rows:
        checks = f", checks {r.checks_caught}/{r.checks} caught" if r.checks else ""
        stage = " (second pass)" if r.review_pass == 2 else ""
        print(f"  {terminal_safe(r.reviewer):<20} article {r.article_id:>4}{stage}: "
              f"{r.done}/{r.segments} done{checks}  {terminal_safe(r.title)}")
    if status.second_reviewer and not any(r.review_pass == 2 for r in status.rows):
        print(f"  second pass: {terminal_safe(status.second_reviewer)}, once an article's "
              "first pass is done (Quality page)")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("campaign", help="evaluation campaigns from one file")
    campaign_sub = p.add_subparsers(dest="campaign", required=True)
    c = campaign_sub.add_parser("create", parents=[common],
                                help="set up a campaign from a TOML or JSON file")
    c.add_argument("file")
    c.add_argument("--app-url", default=DEFAULT_APP_URL,
                   help=f"the app's address, put before each link (default {DEFAULT_APP_URL})")
    c.set_defaults(func=cmd_campaign_create)
    s = campaign_sub.add_parser("status", parents=[common], help="a campaign's progress")
    s.add_argument("name")
    s.set_defaults(func=cmd_campaign_status)
