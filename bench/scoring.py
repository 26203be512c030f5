"""Cost of scoring through review.metrics against calling sacrebleu directly.

10,000 generated English sentence pairs (about 27 words, deterministic), segment + corpus
BLEU, chrF and TER. "direct" is what a caller of sacrebleu would write: one metric object per
metric, ``sentence_score`` per pair plus ``corpus_score``. Budget: review.metrics at most 1.1x.
Times are CPU time of the process (robust to other load on the machine). Also shown:
sacrebleu's segment loop alone (the least any segment scoring can cost) and the
cost of rescoring one edited segment (``score_segment``).

    .venv/bin/python -m bench.scoring [--pairs 10000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import random
import time

from sacrebleu.metrics import BLEU, CHRF, TER

from bench._common import best_of
from review.metrics import score_pairs, score_segment

SUBJECTS = ["The conference", "The city government", "The report", "Local companies",
            "The digital economy", "Representatives of the three provinces", "The alliance",
            "Researchers at the institute", "The ministry", "Guests at the forum"]
VERBS = ["announced", "released", "promoted", "discussed", "signed", "launched", "reviewed",
         "supported", "presented", "highlighted"]
OBJECTS = ["a new cooperation mechanism", "the first batch of typical application scenarios",
           "an annual report on digital development", "several agreements on data sharing",
           "a plan for integrated circuit industries", "measures to attract foreign investment",
           "the results of the digital civilization project", "new rules for online platforms"]
TAILS = ["in Wuzhen, Zhejiang province, on Thursday morning",
         "at the opening ceremony of the summit",
         "after two days of talks", "with partners from Shanghai, Jiangsu and Anhui",
         "to promote high-quality development of the region",
         "according to a statement published by the organizers"]
EXTRAS = ["The figure rose by {n} percent compared with the same period last year.",
          "About {n} companies from across the region took part in the event.",
          "Officials said the work would continue over the next {n} months.",
          "More than {n} experts and officials attended the meeting."]
SYNONYMS = {"announced": "unveiled", "released": "published", "new": "fresh",
            "several": "a number of", "measures": "steps", "companies": "firms",
            "meeting": "gathering", "results": "outcomes", "statement": "notice",
            "promote": "advance", "rose": "increased", "officials": "authorities"}


def make_pairs(n: int, seed: int = 20231110) -> tuple[list[str], list[str]]:
    """Realistic hypothesis/reference pairs: the reference paraphrases and edits the MT."""
    rng = random.Random(seed)
    hyps, refs = [], []
    for _ in range(n):
        sent = (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                f"{rng.choice(TAILS)}. " + rng.choice(EXTRAS).format(n=rng.randint(2, 900)))
        words = sent.split()
        ref = []
        for w in words:
            key = w.lower().strip(".,")
            r = rng.random()
            if key in SYNONYMS and r < 0.5:
                ref.append(SYNONYMS[key] + ("." if w.endswith(".") else ""))
            elif r < 0.05:
                continue  # dropped word
            else:
                ref.append(w)
        if rng.random() < 0.2 and len(ref) > 6:  # a moved phrase
            i = rng.randrange(1, len(ref) - 3)
            ref = ref[:i] + ref[i + 2:i + 4] + ref[i:i + 2] + ref[i + 4:]
        hyps.append(" ".join(words))
        refs.append(" ".join(ref))
    return hyps, refs


def direct(hyps: list[str], refs: list[str], segment_only: bool = False) -> dict:
    out = {}
    for name, seg_metric, corp_metric in (("bleu", BLEU(effective_order=True), BLEU()),
                                          ("chrf", CHRF(), CHRF()), ("ter", TER(), TER())):
        segs = [seg_metric.sentence_score(h, [r]).score for h, r in zip(hyps, refs)]
        corpus = None if segment_only else corp_metric.corpus_score(hyps, [refs]).score
        out[name] = (segs, corpus)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    hyps, refs = make_pairs(args.pairs)
    words = sum(len(h.split()) for h in hyps) / len(hyps)
    print(f"{len(hyps)} pairs, {words:.1f} words per hypothesis on average")

    t_ours, ours = best_of(lambda: score_pairs(hyps, refs, "en"), args.repeat)
    t_direct, theirs = best_of(lambda: direct(hyps, refs), args.repeat)
    t_segonly, _ = best_of(lambda: direct(hyps, refs, segment_only=True), args.repeat)
    for name in ("bleu", "chrf", "ter"):
        assert ours[name][0] == theirs[name][0], name
        assert ours[name][1].value == theirs[name][1], name

    one = (hyps[0], refs[0])
    n_single = 200
    t0 = time.process_time()
    for _ in range(n_single):
        score_segment(*one, "en")
    t_single = (time.process_time() - t0) / n_single
    b, c, t = BLEU(effective_order=True), CHRF(), TER()
    t0 = time.process_time()
    for _ in range(n_single):
        b.sentence_score(one[0], [one[1]])
        c.sentence_score(one[0], [one[1]])
        t.sentence_score(one[0], [one[1]])
    t_single_direct = (time.process_time() - t0) / n_single

    print("identical values: yes (segment lists and corpus scores compared); CPU seconds:")
    print(f"review.metrics.score_pairs (segment + corpus): {t_ours:.2f} s")
    print(f"sacrebleu direct (sentence_score loop + corpus_score): {t_direct:.2f} s")
    print(f"sacrebleu segment loop alone: {t_segonly:.2f} s")
    print(f"ratio review.metrics / direct: {t_ours / t_direct:.2f}x (budget 1.10x)")
    print(f"ratio review.metrics / segment loop alone: {t_ours / t_segonly:.2f}x")
    print(f"score_segment, one pair: {t_single * 1e3:.2f} ms "
          f"(direct sentence_score x3: {t_single_direct * 1e3:.2f} ms, "
          f"ratio {t_single / t_single_direct:.2f}x)")


if __name__ == "__main__":
    main()
