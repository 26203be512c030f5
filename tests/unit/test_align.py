"""Length-based alignment of source sentences with MT segments."""

from __future__ import annotations

from review.text.align import Bead, align_lengths, source_per_segment


def test_one_to_one_when_lengths_agree() -> None:
    beads = align_lengths([10, 30, 20], [31, 92, 58])
    assert beads == [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))]


def test_one_source_sentence_split_into_two_segments() -> None:
    # "...1% of the country's total. / The ratios are about 3/5 and 1/3" was one sentence
    beads = align_lengths([20, 40, 20], [60, 55, 65, 60])
    assert Bead((1,), (1, 2)) in beads
    assert beads[0] == Bead((0,), (0,)) and beads[-1] == Bead((2,), (3,))


def test_two_source_sentences_in_one_segment() -> None:
    beads = align_lengths([20, 15, 15, 20], [60, 92, 60])
    assert Bead((1, 2), (1,)) in beads


def test_empty_sides() -> None:
    assert align_lengths([], []) == []
    assert align_lengths([10], []) == [Bead((0,), ())]
    assert align_lengths([], [10, 12]) == [Bead((), (0,)), Bead((), (1,))]


def test_source_per_segment_chinese_to_english() -> None:
    source = ["乌镇是一个美丽的地方。", "会议在二〇二二年举行，吸引了很多人参加。",
              "占全国总量的百分之一，比例约为五分之三和三分之一。", "下一篇"]
    segments = ["Wuzhen is a beautiful place.",
                "The conference was held in 2022 and attracted many people.",
                "It will account for 1% of the country's total.",
                "The ratios are about 3/5 and 1/3.",
                "NEXT"]
    out = source_per_segment(source, segments, joiner="")
    assert out[0] == source[0] and out[1] == source[1]
    assert out[2] == source[2] and out[3] == ""
    assert out[4] == source[3]


def test_source_per_segment_keeps_every_sentence() -> None:
    source = ["Eins.", "Zwei zwei zwei.", "Drei drei drei drei drei drei drei."]
    out = source_per_segment(source, ["One two three four five six seven eight nine ten."])
    assert out == [" ".join(source)]
