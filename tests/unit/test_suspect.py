"""Suspect spans: MT words a single retranslation does not support."""

import pytest

from review.ranking.suspect import suspect_spans, unsupported, unsupported_share, words


def texts(mt, spans):
    return [mt[s:e] for s, e in spans]


@pytest.mark.parametrize("mt, rt, lang, expected", [
    # a wrong number and a wrong word; "will" is a function word, never suspect alone
    ("In 2022, the digital economy will account for 1% of the country's total.",
     "In 2022, the digital economy accounted for 41% of the national total.", "en",
     ["1", "country's"]),
    # identical texts: nothing to suspect
    ("The conference was held in Wuzhen.", "The conference was held in Wuzhen.", "en", []),
    # inflection shares a stem: supported
    ("Exports increased sharply.", "Exports were increasing sharply.", "en", []),
    # neighbours merge into one span
    ("He played a game of chess together with friends.",
     "He met his friends for a board game.", "en", ["played", "chess together"]),
    # German register error
    ("Ich möchte euch alle bitten, die Tatsache zu bedenken.",
     "Ich möchte Sie alle bitten, die Tatsachen zu betrachten.", "de", ["euch", "bedenken"]),
    # each Chinese character is a word
    ("今天天气很好", "今天天气不错", "zh", ["很好"]),
    # no retranslation: no suspicion
    ("Anything at all.", "", "en", []),
])
def test_suspect_spans(mt, rt, lang, expected):
    assert texts(mt, suspect_spans(mt, rt, lang)) == expected


def test_each_retranslation_word_supports_one_mt_word():
    found = unsupported("growth growth growth", "growth", "en")
    assert [w.text for w in found] == ["growth", "growth"]


def test_words_keep_offsets():
    text = "It's 3.5% — 今天 ok"
    assert [text[w.start:w.end] for w in words(text)] == ["It's", "3.5", "今", "天", "ok"]


def test_unsupported_share():
    assert unsupported_share("a b c d", "", "en") is None
    assert unsupported_share("red blue", "red green", "en") == pytest.approx(0.5)
