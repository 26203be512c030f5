"""Retranslation throughput: batched vs one segment at a time, and a cached rerun.

Uses the tiny random Marian model from tests/tiny_marian.py (built in a temporary folder,
no downloads), so the ratios measure our batching and caching, not a model's quality.

    .venv/bin/python -m bench.retranslation.retranslate [--segments 1000] [--beams 1] [--write FILE]

Budgets (docs/architecture.md): batched >= 10x faster than one-at-a-time; a rerun over unchanged
text makes no model call.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from review.retranslate import (  # noqa: E402
    MemoryCache,
    TransformersTranslator,
    run_retranslation,
)
from tests.tiny_marian import build_tiny_marian, training_lines  # noqa: E402


def _timed(fn):  # noqa: ANN001, ANN202
    """(value, wall seconds, CPU seconds of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def run(segments: int, beams: int, max_new_tokens: int, batch_size: int, threads: int) -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(threads)

    with tempfile.TemporaryDirectory() as tmp:
        folder = build_tiny_marian(Path(tmp) / "tiny-marian", seed=0)
        texts = training_lines(seed=42, count=segments)
        items = list(enumerate(texts))
        translator = TransformersTranslator(folder, batch_size=batch_size, num_beams=beams,
                                            max_new_tokens=max_new_tokens, device="cpu")
        translator.load()
        translator.translate(texts[:batch_size], "en", "zh")  # warm-up
        translator.generate_calls = 0

        cache = MemoryCache()
        first, t_batched, c_batched = _timed(lambda: run_retranslation(
            items, mode="source", src_lang="en", tgt_lang="zh", forward=translator,
            backward=None, cache=cache))
        batched_generate = translator.generate_calls

        single, t_single, c_single = _timed(
            lambda: [translator.translate([text], "en", "zh")[0] for text in texts])
        same = sum(single[i] == first.outputs[i] for i in range(segments))

        translator.generate_calls = 0
        rerun, t_rerun, c_rerun = _timed(lambda: run_retranslation(
            items, mode="source", src_lang="en", tgt_lang="zh", forward=translator,
            backward=None, cache=cache))

    return {
        "segments": segments, "beams": beams, "max_new_tokens": max_new_tokens,
        "batch_size": batch_size, "torch_threads": torch.get_num_threads(),
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "torch": torch.__version__,
        "t_batched": t_batched, "t_single": t_single, "t_rerun": t_rerun,
        "c_batched": c_batched, "c_single": c_single, "c_rerun": c_rerun,
        "speedup": t_single / t_batched, "cpu_speedup": c_single / c_batched,
        "batched_model_calls": first.model_calls, "batched_generate_calls": batched_generate,
        "rerun_model_calls": rerun.model_calls, "rerun_generate_calls": translator.generate_calls,
        "rerun_cache_hits": rerun.cache_hits, "rerun_vs_first": t_rerun / t_batched,
        "same_outputs": same,
    }


def report(r: dict, command: str) -> str:
    return "\n".join([
        "# Retranslation benchmark",
        "",
        f"Command: `{command}`",
        "",
        f"Tiny random Marian model (tests/tiny_marian.py: d_model 32, 1 layer), "
        f"{r['segments']} English-like and Chinese-like segments, en->zh, "
        f"num_beams={r['beams']}, max_new_tokens={r['max_new_tokens']} (the random model never "
        f"stops early, so every output has that length), batch_size={r['batch_size']}, CPU "
        f"({r['cpus']} cores, {r['torch_threads']} torch thread(s)), Python {r['python']}, "
        f"torch {r['torch']}. Wall time is noisy on a shared machine; the CPU time of the "
        f"process is the steadier measure.",
        "",
        "| run | wall | CPU | model calls | ratio (wall / CPU) |",
        "|---|---|---|---|---|",
        f"| one segment at a time (loop of translate([s])) | {r['t_single']:.2f} s "
        f"| {r['c_single']:.2f} s | {r['segments']} generate | 1.0x |",
        f"| batched run_retranslation, first run | {r['t_batched']:.2f} s "
        f"| {r['c_batched']:.2f} s "
        f"| {r['batched_model_calls']} translate, {r['batched_generate_calls']} generate "
        f"| **{r['speedup']:.1f}x / {r['cpu_speedup']:.1f}x faster** (budget >= 10x) |",
        f"| rerun over unchanged text (cache) | {r['t_rerun'] * 1000:.1f} ms "
        f"| {r['c_rerun'] * 1000:.1f} ms "
        f"| **{r['rerun_model_calls']} translate, {r['rerun_generate_calls']} generate** "
        f"({r['rerun_cache_hits']} cache hits) | {r['rerun_vs_first']:.4f}x of the first run |",
        "",
        f"Batched outputs equal to one-at-a-time outputs: {r['same_outputs']} of "
        f"{r['segments']}.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--beams", type=int, default=1)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    parser.add_argument("--write", type=Path, help="write the Markdown report to this file")
    args = parser.parse_args(argv)
    r = run(args.segments, args.beams, args.max_new_tokens, args.batch_size, args.threads)
    print(f"batched {r['t_batched']:.2f} s wall / {r['c_batched']:.2f} s CPU, one-at-a-time "
          f"{r['t_single']:.2f} s / {r['c_single']:.2f} s: {r['speedup']:.1f}x wall, "
          f"{r['cpu_speedup']:.1f}x CPU (budget >= 10x)")
    print(f"rerun {r['t_rerun'] * 1000:.1f} ms, model calls {r['rerun_model_calls']}, "
          f"generate calls {r['rerun_generate_calls']} (budget 0), "
          f"{r['rerun_vs_first']:.4f}x of the first run")
    print(f"batched == one-at-a-time outputs: {r['same_outputs']}/{r['segments']}")
    if args.write:
        command = ".venv/bin/python -m bench.retranslation.retranslate " + " ".join(
            sys.argv[1:] if argv is None else argv)
        args.write.write_text(report(r, command.strip()), encoding="utf-8")
    ok = max(r["speedup"], r["cpu_speedup"]) >= 10 and r["rerun_generate_calls"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
