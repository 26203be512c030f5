"""Inline tags cost linear time, and what a file's tags carry counts against the limits.

- A segment of 50,000 inline tags sharing one id was read by a loop that compared each new
  tag's key with every earlier one, growing the key each time (cubic): it ran for minutes,
  before the segment length check. Now each tag costs the same, and the reading stops at the
  segment length limit.
- Tag attributes went into the stored metadata whole: 30 units with an 8.9 MB attribute
  each took an import past 1 GiB. Now a segment keeps a bounded share of its tags' data, and
  the file (when small enough to keep) holds the rest.

The big cases run in a fresh process whose own peak resident set (VmHWM) is read at the
end, importing and then exporting through the services.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review.core.errors import InputError
from review.core.limits import MAX_SEGMENT_CHARS
from review.formats.base import ReadOptions
from review.formats.xliff import FORMAT
from review.formats.xliff.inline import MAX_SEGMENT_TAG_CHARS
from tests.conftest import REPO_DIR

pytestmark = pytest.mark.system  # a subprocess measures the import's memory

GIB_KIB = 1024 * 1024
NS12 = "urn:oasis:names:tc:xliff:document:1.2"


def _xliff(units: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="{NS12}" version="1.2">'
            '<file original="f" source-language="en" target-language="de" '
            f'datatype="plaintext"><body>\n{units}</body></file></xliff>\n').encode()


def _most_tags() -> int:
    """How many ``{n/}`` markers fit in one segment: the largest accepted tag count."""
    total, count = 0, 0
    while total + len(f"{{{count + 1}/}}") <= MAX_SEGMENT_CHARS:
        count += 1
        total += len(f"{{{count}/}}")
    return count


def _unit(ident: int, tags: int, attribute: str = "") -> str:
    extra = f' ctype="{attribute}"' if attribute else ""
    codes = f'<x id="1"{extra}/>' * tags
    return (f'<trans-unit id="u{ident}"><source>{codes}</source>'
            f'<target>{codes}</target></trans-unit>\n')


def test_fifty_thousand_tags_sharing_one_id_are_refused_in_well_under_ten_seconds() -> None:
    data = _xliff(_unit(1, 50_000))
    started = time.perf_counter()
    with pytest.raises(InputError, match="longer than the limit"):
        list(FORMAT.read(io.BytesIO(data), ReadOptions()))
    assert time.perf_counter() - started < 2


def test_the_most_tags_a_segment_may_hold_read_in_linear_time() -> None:
    most = _most_tags()
    [article] = FORMAT.read(io.BytesIO(_xliff(_unit(1, most))), ReadOptions())
    [segment] = article.segments
    assert len(segment.mt) <= MAX_SEGMENT_CHARS and segment.mt.endswith(f"{{{most}/}}")
    assert segment.source == segment.mt  # the n-th tag of one id is the same on both sides
    timings = []
    for count in (most // 4, most):
        data = _xliff("".join(_unit(n, count) for n in range(40)))
        started = time.perf_counter()
        list(FORMAT.read(io.BytesIO(data), ReadOptions()))
        timings.append((time.perf_counter() - started) / count)
    assert timings[1] < 3 * timings[0], timings  # per tag: flat, not growing with the count


def test_a_huge_attribute_is_kept_by_name_and_id_only() -> None:
    data = _xliff(_unit(1, 2, attribute="a" * 100_000) + _unit(2, 1))
    [article] = FORMAT.read(io.BytesIO(data), ReadOptions())
    first, second = article.segments
    assert len(json.dumps(first.meta)) < MAX_SEGMENT_TAG_CHARS
    assert first.meta["xliff"]["tags"]["1"] == {"kind": "single", "tag": f"{{{NS12}}}x",
                                                "attrib": {"id": "1"}, "cut": True}
    assert second.meta["xliff"]["tags"]["1"]["attrib"] == {"id": "1"}
    assert "cut" not in second.meta["xliff"]["tags"]["1"]


CHILD = """
import json, sys, time
from pathlib import Path
from review.accounts.permissions import SYSTEM_ACTOR
from review.services import Workbench
from review.db.store import Store

store = Store(sys.argv[2])
store.migrate()
bench = Workbench(store)
started = time.perf_counter()
report = bench.imports.import_path(SYSTEM_ACTOR, Path(sys.argv[1]))
imported = time.perf_counter() - started
exported = bench.exports.export_article(SYSTEM_ACTOR, report.articles[0].id, "xliff", record=False)
doc = bench.exports.document(SYSTEM_ACTOR, report.articles[0].id)
metas = [len(json.dumps(s.meta)) for s in doc.segments]
with open("/proc/self/status", encoding="ascii") as status:  # this process's own peak
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"segments": report.segments, "import_s": imported, "peak_kb": peak_kb,
                  "export_bytes": len(exported.data), "max_meta": max(metas),
                  "notes": report.notes}))
"""


def _run(tmp_path: Path, name: str, units) -> dict:
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as out:
        out.write(_xliff("").decode().split("</body>")[0])
        for unit in units:
            out.write(unit)
        out.write("</body></file></xliff>\n")
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(path),
                           f"sqlite:///{tmp_path / 'memory.db'}"], capture_output=True,
                          text=True, timeout=900, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    path.unlink()
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_the_largest_accepted_inline_tag_input_stays_under_a_gib_and_ten_seconds(
        tmp_path: Path) -> None:
    most = _most_tags()
    result = _run(tmp_path, "tags.xlf", (_unit(n, most) for n in range(20)))
    print(f"20 units of {most} tags: import {result['import_s']:.1f} s, peak "
          f"{result['peak_kb'] / 1024:.0f} MiB")
    assert result["segments"] == 20
    assert result["import_s"] < 10
    assert result["peak_kb"] < GIB_KIB


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from /proc")
def test_thirty_units_with_a_9_mb_attribute_each_stay_under_a_gib(tmp_path: Path) -> None:
    """About 270 MB of XML: the size is the point (a minute on a shared 2-core machine)."""
    attribute = "a" * 8_900_000
    result = _run(tmp_path, "attributes.xlf", (_unit(n, 1, attribute) for n in range(30)))
    print(f"30 units with an 8.9 MB attribute: peak {result['peak_kb'] / 1024:.0f} MiB, "
          f"largest segment metadata {result['max_meta']:,} characters")
    assert result["segments"] == 30
    assert result["peak_kb"] < GIB_KIB
    assert result["max_meta"] < MAX_SEGMENT_TAG_CHARS
    assert any("carry more than the workbench keeps" in n for n in result["notes"])
