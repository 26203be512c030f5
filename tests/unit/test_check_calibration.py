"""Check defaults come from calibration: a check shown to meet expert errors less often than
a random word does is off; one the evidence cannot tell from the base rate stays on."""

import json

import pytest

from bench.calibrate_checks import Observation, base_rate, calibration_table, overlaps
from review.checks import CheckContext, Suggestion, run_checks
from review.checks import defaults as check_defaults
from review.checks.defaults import calibrated, defaults, enabled_by_default

# two MT segments with expert spans: "sie" (Major register) and "Hause gehn" (Minor spelling)
TEXTS = ["Ich bitte sie alle um Ruhe.", "Er ist zu Hause gehn."]
SPANS = [[(9, 12, "Major", "Fluency/Register")], [(10, 20, "Minor", "Fluency/Spelling")]]


def _observe(check, start, end, seg):
    met = overlaps(start, end, SPANS[seg])
    return Observation("fixture", check, bool(met), tuple((m[2], m[3]) for m in met))


def _table():
    obs = [_observe("register", 9, 12, 0), _observe("register", 13, 17, 0),
           _observe("spelling", 16, 20, 1),
           *[_observe("doubled_words", 0, 3, 0), _observe("doubled_words", 0, 2, 1)] * 6,
           _observe("tense", 9, 12, 0), *[_observe("tense", 0, 3, 0)] * 4]
    return calibration_table(obs, {"fixture": base_rate(TEXTS, SPANS)},
                             min_suggestions=2)


def test_overlap_by_characters():
    assert overlaps(9, 12, SPANS[0]) and not overlaps(0, 9, SPANS[0])
    assert overlaps(None, None, SPANS[1]) == SPANS[1]  # whole segment


def test_base_rate_is_the_share_of_words_in_error_spans():
    assert base_rate(TEXTS, SPANS) == pytest.approx(3 / 11)


def test_zero_precision_check_is_off_by_default(tmp_path, monkeypatch):
    table = _table()
    assert table["doubled_words"]["precision"] == 0.0
    # 0 of 12: even the interval's upper end (0.24) is under the base rate (3/11)
    assert table["doubled_words"]["precision_high"] < table["doubled_words"]["base_rate"]
    assert table["doubled_words"]["enabled"] is False
    assert table["register"]["enabled"] is True
    assert table["register"]["severity"] == "Major"
    assert table["register"]["category"] == "Fluency/Register"
    assert "enabled" not in table["spelling"]  # too few suggestions to judge: kept on
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps({"checks": table}))
    loaded = defaults(path)
    assert not enabled_by_default("doubled_words", loaded)
    assert enabled_by_default("spelling", loaded)

    monkeypatch.setattr(check_defaults, "defaults", lambda path=None: loaded)
    ctx = CheckContext(mt="He said the the answer was clear.")
    assert not [s for s in run_checks(ctx) if s.check == "doubled_words"]
    assert [s for s in run_checks(ctx, names=["doubled_words"]) if s.check == "doubled_words"]


def test_a_check_below_the_base_rate_by_chance_stays_on():
    tense = _table()["tense"]
    # 1 of 5 is under the base rate, but its 95% interval (0.04 to 0.62) reaches above it
    assert tense["precision"] < tense["base_rate"] < tense["precision_high"]
    assert tense["precision_low"] < tense["precision"]
    assert tense["enabled"] is True


def test_suggestions_take_the_calibrated_severity():
    table = {"numbers": {"severity": "Major", "category": "Accuracy/Mistranslation"}}
    s = Suggestion("numbers", "Accuracy/Mistranslation", "Minor", 0, 2, "x")
    assert calibrated(s, table).severity == "Major"
    assert calibrated(s, {}).severity == "Minor"


def test_shipped_calibration_names_real_checks():
    from review.checks import CHECKS

    assert set(defaults()) <= set(CHECKS)
