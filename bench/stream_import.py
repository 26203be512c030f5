"""Streaming import of big files: peak resident memory and speed, vs ``pandas.read_csv``.

For each format a file of N segments is written to disk line by line (the generator never
holds the file), then imported in a fresh process with ``Workbench.import_path`` into a
fresh SQLite database, and read in another fresh process by ``pandas.read_csv`` of the same
bytes: CSV, TSV and MQM TSV with their own separator; JSONL, XLIFF and TMX as lines
(``sep="\\x01", header=None``: the same bytes read as lines). Fresh processes, because the
peak resident set (``ru_maxrss``) only ever grows: each number is one job's own.

Files (one Chinese source sentence of about 25 characters and an English MT of about 90 per
segment, both carrying the segment's number so no two segments and no two files are alike):

- csv, tsv: ``id, source, mt``, one row per segment, one article;
- jsonl: ``{"id", "source", "mt"}`` per line, one article;
- xliff: XLIFF 1.2, one ``<file>``, one ``<trans-unit>`` per segment, a ``<group>`` (a
  paragraph) per 20 units;
- tmx: TMX 1.4, one ``<tu>`` (``tuid``, a zh and an en ``<tuv>``) per segment;
- mqm-tsv: the plain WMT variant; N is its number of annotation rows: N/2 segments, each
  rated on 2 systems by 1 rater, one row per system and segment, every 4th an error with a
  ``<v>`` span in the target (the rest ``No-error``), documents of 100 segments.

Imports of more than 20,000 segments leave their QA checks to a job, which is not run here:
the table is the import alone. Times are wall seconds (the ratio the budget is about); on a
shared machine the CPU seconds of each child give a steadier second ratio. The first line
printed is the peak resident set of a process that only imports the modules and migrates an
empty database: what every import starts from.

    .venv/bin/python -m bench.stream_import [--sizes 100000,1000000] [--formats csv,tmx]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

FORMATS = ("csv", "tsv", "jsonl", "xliff", "tmx", "mqm-tsv")
SUFFIX = {"csv": ".csv", "tsv": ".tsv", "jsonl": ".jsonl", "xliff": ".xlf", "tmx": ".tmx",
          "mqm-tsv": ".tsv"}
if TYPE_CHECKING:
    from review.services import Workbench

PEAK_BUDGET_MIB = 300
RATIO_BUDGET = 20

_SOURCES = (
    "欧盟峰会第{n}轮谈判围绕难民政策展开激烈讨论",
    "长三角数字文明论坛第{n}届会议在乌镇隆重开幕",
    "国家统计局第{n}号报告显示本季度经济稳步回升",
    "科研团队在第{n}次实验中发现一种新型电池材料",
    "市政府宣布第{n}批老旧小区改造工程全面启动了",
)
_TARGETS = (
    "EU leaders opened round {n} of the summit talks on refugee policy, and the debate was "
    "heated.",
    "Session {n} of the Yangtze River Delta digital civilisation forum opened in Wuzhen on "
    "Tuesday.",
    "Report No. {n} from the statistics bureau shows the economy recovering steadily this "
    "quarter.",
    "In experiment {n}, the research team found a battery material that charges \"twice as "
    "fast\".",
    "The city government said batch {n} of the old housing renovation projects has begun in "
    "full.",
)


def source_text(i: int) -> str:
    """A Chinese sentence of about 25 characters, unique to ``i``."""
    return _SOURCES[i % len(_SOURCES)].format(n=i + 1)


def mt_text(i: int, system: int = 0) -> str:
    """An English MT of about 90 characters, unique to ``i`` (and to ``system``)."""
    return _TARGETS[(i + system) % len(_TARGETS)].format(n=i + 1)


def _write_table(out: TextIO, n: int, delimiter: str) -> int:
    if delimiter == ",":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "source", "mt"])
        for i in range(n):
            writer.writerow([f"s{i + 1}", source_text(i), mt_text(i)])
    else:  # TSV has no quoting: the texts hold no tabs or line breaks
        out.write("id\tsource\tmt\n")
        for i in range(n):
            out.write(f"s{i + 1}\t{source_text(i)}\t{mt_text(i)}\n")
    return n


def _write_jsonl(out: TextIO, n: int) -> int:
    for i in range(n):
        out.write(json.dumps({"id": f"s{i + 1}", "source": source_text(i), "mt": mt_text(i)},
                             ensure_ascii=False))
        out.write("\n")
    return n


def _write_xliff(out: TextIO, n: int) -> int:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
              '<file original="bench.txt" source-language="zh" target-language="en" '
              'datatype="plaintext">\n<body>\n')
    for i in range(n):
        if i % 20 == 0:
            out.write(f'<group id="p{i // 20 + 1}">\n')
        out.write(f'<trans-unit id="s{i + 1}"><source>{escape(source_text(i))}</source>'
                  f'<target>{escape(mt_text(i))}</target></trans-unit>\n')
        if i % 20 == 19 or i == n - 1:
            out.write("</group>\n")
    out.write("</body>\n</file>\n</xliff>\n")
    return n


def _write_tmx(out: TextIO, n: int) -> int:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
              '<header creationtool="bench" creationtoolversion="1" segtype="sentence" '
              'adminlang="en" srclang="zh" datatype="plaintext" o-tmf="bench"/>\n<body>\n')
    for i in range(n):
        out.write(f'<tu tuid="s{i + 1}"><tuv xml:lang="zh"><seg>{escape(source_text(i))}'
                  f'</seg></tuv><tuv xml:lang="en"><seg>{escape(mt_text(i))}</seg></tuv>'
                  "</tu>\n")
    out.write("</body>\n</tmx>\n")
    return n


MQM_SYSTEMS = ("sysA", "sysB")
MQM_DOC_SEGMENTS = 100


def _write_mqm(out: TextIO, rows: int) -> int:
    """``rows`` annotation rows: rows/2 segments x 2 systems x 1 rater."""
    out.write("system\tdoc\tdoc_id\tseg_id\trater\tsource\ttarget\tcategory\tseverity\t"
              "comment\n")
    segments = rows // len(MQM_SYSTEMS)
    for i in range(segments):
        doc, number = i // MQM_DOC_SEGMENTS + 1, i % MQM_DOC_SEGMENTS + 1
        for s, system in enumerate(MQM_SYSTEMS):
            target = mt_text(i, s)
            if (i + s) % 4 == 3:
                first, rest = target.split(" ", 1)
                target = f"<v>{first}</v> {rest}"
                category, severity = "Accuracy/Mistranslation", ("Major", "Minor")[i % 2]
            else:
                category = severity = "No-error"
            out.write(f"{system}\tdoc{doc}\t{number}\t{i + 1}\trater1\t{source_text(i)}\t"
                      f"{target}\t{category}\t{severity}\t\n")
    return segments


_WRITERS: dict[str, Callable[[TextIO, int], int]] = {
    "csv": lambda out, n: _write_table(out, n, ","),
    "tsv": lambda out, n: _write_table(out, n, "\t"),
    "jsonl": _write_jsonl,
    "xliff": _write_xliff,
    "tmx": _write_tmx,
    "mqm-tsv": _write_mqm,
}


def write_file(fmt: str, path: Path, n: int) -> int:
    """Write an ``fmt`` file of ``n`` segments (rows for ``mqm-tsv``) to ``path``, line by
    line so that files of any size take no memory; returns the segments it holds."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        return _WRITERS[fmt](out, n)


# ---------------------------------------------------------------------- the measured children
def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fresh_workbench(db: str) -> Workbench:
    """Imported here, not at the top: the generator and the pandas child do without it."""
    from review.db.store import Store
    from review.services import Workbench

    store = Store(f"sqlite:///{db}")
    store.migrate()
    return Workbench(store)


def _child_baseline(db: str) -> dict:
    from review.accounts.permissions import SYSTEM_ACTOR  # noqa: F401
    from review.formats.base import ReadOptions  # noqa: F401 - what the import child loads

    _fresh_workbench(db)
    return {"peak_mib": _peak_mib()}


def _child_import(fmt: str, path: str, db: str) -> dict:
    from review.accounts.permissions import SYSTEM_ACTOR
    from review.core.errors import ReviewError
    from review.formats.base import ReadOptions

    bench = _fresh_workbench(db)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        report = bench.imports.import_path(SYSTEM_ACTOR, Path(path), fmt,
                                   ReadOptions(source_lang="zh", target_lang="en"))
    except ReviewError as err:
        return {"error": str(err), "seconds": time.perf_counter() - start,
                "peak_mib": _peak_mib()}
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "peak_mib": _peak_mib(), "segments": report.segments,
            "articles": len(report.articles), "deferred": bool(report.checks_deferred)}


def read_csv_options(fmt: str) -> dict:
    """How ``pandas.read_csv`` reads the same bytes: tables by their separator, the rest as
    lines (a separator that never occurs, no header, no quoting)."""
    common = {"dtype": str, "keep_default_na": False}
    if fmt == "csv":
        return common
    if fmt in ("tsv", "mqm-tsv"):
        return {**common, "sep": "\t", "quoting": csv.QUOTE_NONE}
    return {**common, "sep": "\x01", "header": None, "quoting": csv.QUOTE_NONE}


def _child_read_csv(fmt: str, path: str) -> dict:
    import pandas as pd

    start, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, **read_csv_options(fmt))
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "peak_mib": _peak_mib(), "rows": len(frame)}


_CHILDREN: dict[str, Callable[..., dict]] = {
    "baseline": _child_baseline, "import": _child_import, "read_csv": _child_read_csv}


def _run_child(kind: str, *args: str) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "bench.stream_import", "--child", kind, *args],
                          capture_output=True, text=True, cwd=REPO, env=env)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1],
                "peak_mib": float("nan"), "seconds": float("nan")}
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------- the run
def _row(fmt: str, n: int, size_mib: float, ours: dict, theirs: dict) -> str:
    if "error" in ours:
        return (f"| {fmt} | {n:,} | | {size_mib:,.0f} | failed after {ours['seconds']:.1f} s, "
                f"peak {ours['peak_mib']:.0f} MiB: {ours['error']} | | | | "
                f"{theirs['seconds']:.2f} | {theirs['peak_mib']:.0f} | | |")
    ratio = ours["seconds"] / theirs["seconds"]
    cpu_ratio = ours["cpu"] / theirs.get("cpu", float("nan"))
    over = []
    if ours["peak_mib"] > PEAK_BUDGET_MIB:
        over.append(f"over {PEAK_BUDGET_MIB} MiB")
    if ratio > RATIO_BUDGET:
        over.append(f"over {RATIO_BUDGET}x")
    return (f"| {fmt} | {n:,} | {ours['segments']:,} | {size_mib:,.0f} | "
            f"{ours['seconds']:.1f} | {ours['segments'] / ours['seconds']:,.0f} | "
            f"{ours['peak_mib']:.0f} | {theirs['seconds']:.2f} | {theirs['peak_mib']:.0f} | "
            f"{ratio:.1f}x{' (' + ', '.join(over) + ')' if over else ''} | "
            f"{cpu_ratio:.1f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000",
                        help="comma-separated segment counts (annotation rows for mqm-tsv)")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help=f"comma-separated, from {', '.join(FORMATS)}")
    parser.add_argument("--child", choices=tuple(_CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_CHILDREN[args.child](*args.args)))
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown formats {sorted(unknown)}; use {', '.join(FORMATS)}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="stream-import-") as folder:
        base = _run_child("baseline", str(Path(folder) / "baseline.db"))
        print(f"baseline: modules imported and an empty database migrated: peak "
              f"{base['peak_mib']:.0f} MiB", flush=True)
        for n in sizes:
            for fmt in formats:
                path = Path(folder) / f"bench-{n}{SUFFIX[fmt]}"
                db = Path(folder) / f"{fmt}-{n}.db"
                write_file(fmt, path, n)
                size_mib = path.stat().st_size / 2**20
                ours = _run_child("import", fmt, str(path), str(db))
                theirs = _run_child("read_csv", fmt, str(path))
                path.unlink()
                db.unlink(missing_ok=True)
                rows.append(_row(fmt, n, size_mib, ours, theirs))
                print(rows[-1], flush=True)
    print()
    print(f"baseline process (modules + migrated empty database): {base['peak_mib']:.0f} MiB")
    print("| format | N | segments | file MiB | import s | segments/s | import peak MiB | "
          "read_csv s | read_csv peak MiB | ratio | CPU ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
