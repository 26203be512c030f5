"""Thin command line over the services (``python -m review --help``).

Every command takes ``--db URL``; ``--json`` prints one JSON document on stdout; errors
print one line on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path

from review.accounts.permissions import SYSTEM_ACTOR
from review.cli.campaigns import register as register_campaign_commands
from review.cli.jobs import register as register_job_commands
from review.cli.terminal import terminal_safe
from review.core.errors import ReviewError
from review.core.vocab import (
    ESA_GROUPINGS,
    MQM_GROUPINGS,
    MT_VS_CORRECTED,
    RETRANSLATION_MODES,
    ROLES,
)
from review.db.faults import database_fault, shown_url
from review.db.store import database_url, open_store
from review.formats.base import ReadOptions
from review.formats.registry import FORMATS
from review.formats.safe_write import resolve_destination, write_exclusive
from review.metrics import METRICS
from review.services import Workbench

FORMAT_CHOICES = tuple(FORMATS)


def _formats_help(ability: str) -> str:
    """The formats that can be read (or written), each with what it holds."""
    return "; ".join(f"{name}: {f.label}, {f.description}" for name, f in FORMATS.items()
                     if getattr(f, ability))


def _workbench(args: argparse.Namespace) -> Workbench:
    return Workbench(open_store(args.db))


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise ReviewError(f"no such file: {args.file}")
    options = ReadOptions(source_lang=args.source_lang, target_lang=args.target_lang,
                          title=args.title, encoding=args.encoding, origin=path.name)
    report = _workbench(args).imports.import_path(SYSTEM_ACTOR, path, args.format, options,
                                          again=args.again)
    if args.json:
        _print_json(report.to_json())
    else:
        for a in report.articles:
            print(f"imported article {a.id}: '{terminal_safe(a.title)}' "
                  f"({terminal_safe(a.source_lang or '?')}->{terminal_safe(a.target_lang)}, "
                  f"{a.body_segments} segments to review, "
                  f"{a.residue_segments} residue)")
        print(f"{report.segments} segments, {report.candidates} candidates, {report.flags} "
              f"flags, {report.suggested_flags} suggested by checks")
    for note in report.notes:
        print(f"warning: {terminal_safe(note)}", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    articles = _workbench(args).reading.summaries(SYSTEM_ACTOR)
    if args.json:
        _print_json([a.to_json() for a in articles])
        return 0
    if not articles:
        print("no articles yet; import one with `python -m review import FILE`")
    for a in articles:
        done = a.by_status.get("approved", 0)
        source, target = terminal_safe(a.source_lang or "?"), terminal_safe(a.target_lang)
        print(f"{a.id:>5}  {source:>3}->{target:<3} {a.status:<9} "
              f"{done}/{a.body_segments} approved  {terminal_safe(a.title)}")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    workbench = _workbench(args)
    scores = workbench.scoring.score_article(SYSTEM_ACTOR, args.article_id, args.comparison)
    risk = workbench.ranking.risk_ranking(SYSTEM_ACTOR, args.article_id)
    if args.json:
        data = scores.to_json()
        risk_by_id = {r["segment_id"]: r for r in risk}
        for row in data["segments"]:
            row.update({k: v for k, v in risk_by_id.get(row["segment_id"], {}).items()
                        if k != "segment_id"})
        data["risk"] = risk
        _print_json(data)
        return 0
    for name, score in scores.corpus.items():
        print(f"{METRICS[name].label:>7} {score.value:7.2f}  {terminal_safe(score.signature)}")
    print(f"{len(scores.segments)} segments scored ({terminal_safe(scores.comparison)})")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    to_stdout = args.output in (None, "-")
    if not to_stdout:
        resolve_destination(args.output)  # a missing folder: refuse before exporting
    workbench = _workbench(args)
    options = {"include_residue": args.include_residue,
               "include_suggestions": args.include_suggestions,
               "approved_only": args.approved_only}
    ids = list(dict.fromkeys(args.article_id))
    if len(ids) == 1:
        result = workbench.exports.export_article(SYSTEM_ACTOR, ids[0], args.format,
                                                  raw_cells=args.raw_cells, **options)
    else:
        result = workbench.exports.export_articles(SYSTEM_ACTOR, ids, args.format, **options)
    if to_stdout:
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
    else:
        out = write_exclusive(resolve_destination(args.output, result.filename), result.data,
                              overwrite=args.force)
        print(f"wrote {terminal_safe(out)} ({len(result.data)} bytes)", file=sys.stderr)
    for article_id in [] if args.approved_only else ids:
        warning = workbench.exports.unfinished(SYSTEM_ACTOR, article_id)
        if warning:
            print(f"article {article_id}: {warning}", file=sys.stderr)
    return 0


def cmd_retranslate(args: argparse.Namespace) -> int:
    from review.cli.progress import TerminalProgress

    workbench = _workbench(args)
    progress = None if args.json else TerminalProgress("retranslating")
    try:
        report = workbench.retranslation.retranslate(SYSTEM_ACTOR, args.article_id, mode=args.mode,
                                   model=args.model, back_model=args.back_model,
                                   progress=progress)
    finally:
        if progress:
            progress.close()
    if args.json:
        _print_json(report.to_json())
    else:
        print(f"{report.stored} candidates stored by {terminal_safe(report.system)} "
              f"({report.model_calls} model calls, {report.cache_hits} from cache, "
              f"{report.skipped_residue} residue segments skipped)")
        if report.truncated:
            print(f"warning: {len(report.truncated)} segments were too long and truncated",
                  file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    workbench = _workbench(args)
    table = workbench.reports.mqm_report(SYSTEM_ACTOR, by=args.by, per_words=args.per_1000_words)
    if args.json:
        _print_json(table)
        return 0
    if not table["rows"]:
        print("no MQM annotations yet")
    for row in table["rows"]:
        print(f"{terminal_safe(row[args.by]):<40} {row['mqm']:8.3f}  ({row['segments']} segments)")
    print(f"weights: {table['weights']}")
    return 0


def cmd_report_esa(args: argparse.Namespace) -> int:
    table = _workbench(args).ratings.esa_report(SYSTEM_ACTOR, by=args.by)
    if args.json:
        _print_json(table)
        return 0
    if not table["rows"]:
        print("no segment scores yet (rating mode: My queue)")
    for row in table["rows"]:
        print(f"{row['rank']:>3}. {terminal_safe(row[args.by]):<40} {row['mean']:6.1f}  "
              f"95% CI {row['low']:5.1f}-{row['high']:5.1f}  ({row['count']} scores)")
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    workbench = _workbench(args)
    if args.password_stdin or not sys.stdin.isatty():
        # a file written on Windows ends its line with CR LF: neither belongs to the password
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise ReviewError("the two passwords differ; nothing was changed")
    user = workbench.accounts.add_user(SYSTEM_ACTOR, args.name, args.role, password,
                                       email=args.email)
    if args.json:
        _print_json({"id": user.id, "name": user.name, "role": user.role})
    else:
        print(f"added {user.role} {terminal_safe(user.name)} (id {user.id})")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    users = _workbench(args).accounts.list_users(SYSTEM_ACTOR)
    if args.json:
        _print_json([{"id": u.id, "name": u.name, "role": u.role, "active": u.active}
                     for u in users])
    else:
        for u in users:
            inactive = "" if u.active else " (inactive)"
            print(f"{u.id:>4} {u.role:<9} {terminal_safe(u.name)}{inactive}")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    _workbench(args).assignments.assign(SYSTEM_ACTOR, args.article_id, args.user,
                            first=args.first, last=args.last)
    print(f"assigned article {args.article_id} to {terminal_safe(args.user)}")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from review.seed import seed_samples

    added = seed_samples(_workbench(args))
    print(f"seeded {added} sample articles" if added else "database already holds articles")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    print(f"database at the newest schema: {terminal_safe(shown_url(store.url))}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=None,
                        help="database URL (default: $REVIEW_DATABASE_URL or sqlite:///review.db)")
    common.add_argument("--json", action="store_true", help="print one JSON document")

    parser = argparse.ArgumentParser(prog="python -m review",
                                     description="MT Review Workbench command line")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", parents=[common], help="import an article or bilingual file")
    p.add_argument("file")
    p.add_argument("--format", choices=FORMAT_CHOICES, help=_formats_help("can_read"))
    p.add_argument("--source-lang")
    p.add_argument("--target-lang")
    p.add_argument("--title")
    p.add_argument("--encoding", help="the file's text encoding when it cannot be detected")
    p.add_argument("--again", action="store_true",
                   help="import even if an article with the same content exists")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", parents=[common], help="list articles")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("retranslate", parents=[common], help="retranslate with a model")
    p.add_argument("article_id", type=int)
    p.add_argument("--model", help="hub id or local folder (default: from settings)")
    p.add_argument("--back-model", help="target->source model for --mode roundtrip "
                   "(default: the --model itself, right for multilingual models)")
    p.add_argument("--mode", choices=RETRANSLATION_MODES, default=None,
                   help="default: source when the article has source text, else roundtrip")
    p.set_defaults(func=cmd_retranslate)

    p = sub.add_parser("score", parents=[common], help="segment and article scores")
    p.add_argument("article_id", type=int)
    p.add_argument("--comparison", default=MT_VS_CORRECTED,
                   help="mt_vs_corrected (default), mt_vs_candidate:SYSTEM, ...")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("report", help="reports over all articles")
    report_sub = p.add_subparsers(dest="report", required=True)
    r = report_sub.add_parser("mqm", parents=[common], help="MQM scores (WMT weighting)")
    r.add_argument("--by", choices=MQM_GROUPINGS,
                   default="system")
    r.add_argument("--per-1000-words", action="store_true",
                   help="also report points per 1,000 words")
    r.set_defaults(func=cmd_report)
    r = report_sub.add_parser("esa", parents=[common],
                              help="ESA: mean 0-100 segment scores, best first")
    r.add_argument("--by", choices=ESA_GROUPINGS, default="system")
    r.set_defaults(func=cmd_report_esa)

    p = sub.add_parser("export", parents=[common],
                       help="export an article (several: one zip archive)")
    p.add_argument("article_id", type=int, nargs="+")
    p.add_argument("--format", choices=FORMAT_CHOICES, required=True,
                   help=_formats_help("can_write"))
    p.add_argument("-o", "--output", help="file or folder (default: standard output)")
    p.add_argument("--include-residue", action="store_true",
                   help="keep captions, share links and other web residue")
    p.add_argument("--force", action="store_true", help="replace an existing output file")
    p.add_argument("--include-suggestions", action="store_true",
                   help="also write the QA checks' open suggestions as annotations (by "
                   "default only flags a reviewer stands behind leave)")
    p.add_argument("--approved-only", action="store_true",
                   help="release only approved segments: the others are left out (written "
                   "into a kept XLIFF or TMX file, their units stay as the file had them)")
    p.add_argument("--raw-cells", action="store_true",
                   help="CSV/TSV: write cells verbatim, formulas included (for programs, "
                   "not spreadsheets)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("users", help="accounts")
    users_sub = p.add_subparsers(dest="users", required=True)
    u = users_sub.add_parser("add", parents=[common],
                             help="add an account (password from a prompt or stdin)")
    u.add_argument("name")
    u.add_argument("--role", choices=ROLES, required=True)
    u.add_argument("--email", default="")
    u.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of stdin")
    u.set_defaults(func=cmd_users_add)
    u = users_sub.add_parser("list", parents=[common], help="list accounts")
    u.set_defaults(func=cmd_users_list)

    p = sub.add_parser("assign", parents=[common], help="assign an article to a reviewer")
    p.add_argument("article_id", type=int)
    p.add_argument("user")
    p.add_argument("--first", type=int, help="first segment number (1-based)")
    p.add_argument("--last", type=int, help="last segment number (1-based)")
    p.set_defaults(func=cmd_assign)

    p = sub.add_parser("seed", parents=[common], help="load samples/ into an empty database")
    p.set_defaults(func=cmd_seed)
    p = sub.add_parser("migrate", parents=[common], help="bring the schema up to date")
    p.set_defaults(func=cmd_migrate)
    register_job_commands(sub, common)
    register_campaign_commands(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        return handler(args)
    except ReviewError as exc:
        print(f"error: {terminal_safe(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # a fault of the database in use: one line, no traceback
        fault = database_fault(exc, database_url(getattr(args, "db", None)))
        if fault is None:
            raise
        print(f"error: {terminal_safe(fault)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; nothing half-done was kept", file=sys.stderr)
        return 130
