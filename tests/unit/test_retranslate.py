"""Retranslation engine: modes, cache, chunks, truncation and failures, on a tiny real model."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from review.core.digests import input_digest
from review.core.errors import InputError, ModelUnavailable
from review.retranslate import (
    EchoTranslator,
    MemoryCache,
    TransformersTranslator,
    Translations,
    declared_direction,
    language_codes,
    load_translator,
    model_family,
    model_identity,
    run_retranslation,
    system_name,
)
from tests.tiny_marian import build_tiny_marian, training_lines

REPO = Path(__file__).resolve().parents[2]
GREEDY = {"num_beams": 1, "max_new_tokens": 24}

pytestmark = pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random Marian model folder (built once per test session)."""
    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian"), seed=0)


@pytest.fixture(scope="session")
def tiny_marian_seed1(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_marian(tmp_path_factory.mktemp("tiny-marian-seed1"), seed=1)


@pytest.fixture
def tiny(tiny_marian: Path) -> TransformersTranslator:
    translator = TransformersTranslator(tiny_marian, batch_size=4, **GREEDY)
    translator.load()
    return translator


# --- import cost ---------------------------------------------------------------------------

@pytest.mark.system
def test_import_leaves_torch_and_transformers_out() -> None:
    code = ("import sys, review.retranslate, review.core.settings; "
            "print(sorted(m for m in ('torch', 'transformers', 'huggingface_hub') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"


# --- pure helpers ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
])
def test_text_hash_is_sha256_of_utf8(text: str, expected: str) -> None:
    assert input_digest(text) == expected


def test_text_hash_ignores_unicode_normalisation_only() -> None:
    assert input_digest("caf\u00e9") == input_digest("cafe\u0301")
    assert input_digest("café") != input_digest("cafe")


@pytest.mark.parametrize(("model_type", "tokenizer", "has_2en", "family"), [
    ("m2m_100", "NllbTokenizer", False, "nllb"),
    ("m2m_100", "NllbTokenizerFast", False, "nllb"),
    ("m2m_100", "M2M100Tokenizer", False, "m2m100"),
    ("mbart", "MBart50TokenizerFast", False, "mbart50"),
    ("marian", "MarianTokenizer", False, "marian"),
    ("t5", "T5TokenizerFast", True, "madlad"),
    ("t5", "T5TokenizerFast", False, "plain"),
    ("bart", "BartTokenizer", False, "plain"),
])
def test_model_family(model_type: str, tokenizer: str, has_2en: bool, family: str) -> None:
    assert model_family(model_type, tokenizer, lambda tok: has_2en and tok == "<2en>") == family


@pytest.mark.parametrize(("family", "lang", "codes"), [
    ("nllb", "zh", ["zho_Hans"]),
    ("nllb", "en", ["eng_Latn"]),
    ("nllb", "zh-Hant", ["zho_Hant"]),
    ("nllb", "zh-MO", []),
    ("nllb", "en-US", ["eng_Latn"]),
    ("nllb", "deu_Latn", ["deu_Latn"]),
    ("nllb", "xx", []),
    ("m2m100", "zh-Hans", ["zh"]),
    ("mbart50", "zh", ["zh_CN"]),
    ("mbart50", "zh-Hant", []),
    ("mbart50", "de_DE", ["de_DE"]),
    ("madlad", "en", ["<2en>"]),
    ("madlad", "zh-Hans", ["<2zh-Hans>", "<2zh>"]),
    ("marian", "zh", [">>zh<<", ">>cmn_Hans<<", ">>zho_Hans<<", ">>zho<<", ">>cmn<<"]),
    ("plain", "en", []),
])
def test_language_codes(family: str, lang: str, codes: list[str]) -> None:
    assert language_codes(family, lang) == codes


def test_memory_cache_keys_include_model_mode_and_languages() -> None:
    cache = MemoryCache()
    cache.put_many("m1", "translate", "zh", "en", {"h1": "one", "h2": "two"})
    assert cache.get_many("m1", "translate", "zh", "en", ["h1", "h3"]) == {"h1": "one"}
    assert cache.get_many("m2", "translate", "zh", "en", ["h1"]) == {}
    assert cache.get_many("m1", "ape", "zh", "en", ["h1"]) == {}
    assert cache.get_many("m1", "translate", "en", "zh", ["h1"]) == {}


# --- run_retranslation with the echo backend ---------------------------------------------------

@pytest.mark.parametrize(("mode", "items", "outputs", "pivots", "system"), [
    ("source", [(1, "你好"), (2, ""), (3, "世界")],
     {1: "[en] 你好", 2: "", 3: "[en] 世界"}, {}, "fwd"),
    ("roundtrip", [(1, "Hello"), (2, "  ")],
     {1: "[en] [zh] Hello", 2: ""}, {1: "[zh] Hello", 2: ""}, "fwd roundtrip via zh (bwd)"),
    ("ape", [(7, "Playing a game of chess together")],
     {7: "[en] Playing a game of chess together"}, {}, "fwd ape"),
])
def test_modes_with_echo(mode: str, items: list[tuple[int, str]], outputs: dict[int, str],
                         pivots: dict[int, str], system: str) -> None:
    result = run_retranslation(items, mode=mode, src_lang="zh", tgt_lang="en",
                               forward=EchoTranslator("fwd"), backward=EchoTranslator("bwd"),
                               cache=MemoryCache())
    assert result.outputs == outputs
    assert result.pivots == pivots
    assert result.system == system
    assert result.cancelled is False
    assert result.truncated == []


def test_roundtrip_caches_each_leg_and_reruns_without_calls() -> None:
    fwd, bwd, cache = EchoTranslator("fwd"), EchoTranslator("bwd"), MemoryCache()
    items = [(1, "Hello"), (2, "World"), (3, "Hello")]
    first = run_retranslation(items, mode="roundtrip", src_lang="zh", tgt_lang="en",
                              forward=fwd, backward=bwd, cache=cache)
    assert (first.model_calls, first.translated, first.cache_hits) == (2, 6, 0)
    assert bwd.seen == ["Hello", "World"]  # the repeated text is translated once
    second = run_retranslation(items, mode="roundtrip", src_lang="zh", tgt_lang="en",
                               forward=fwd, backward=bwd, cache=cache)
    assert (second.model_calls, second.translated, second.cache_hits) == (0, 0, 6)
    assert (fwd.calls, bwd.calls) == (1, 1)
    assert second.outputs == first.outputs and second.pivots == first.pivots
    # The second leg is an ordinary zh->en translation: source mode reuses its entries.
    source = run_retranslation([(9, "[zh] Hello")], mode="source", src_lang="zh",
                               tgt_lang="en", forward=fwd, backward=None, cache=cache)
    assert (source.model_calls, source.outputs) == (0, {9: "[en] [zh] Hello"})


def test_changing_the_model_misses_the_cache() -> None:
    cache = MemoryCache()
    items = [(1, "你好")]
    run_retranslation(items, mode="source", src_lang="zh", tgt_lang="en",
                      forward=EchoTranslator("model-a"), backward=None, cache=cache)
    other = EchoTranslator("model-b")
    result = run_retranslation(items, mode="source", src_lang="zh", tgt_lang="en",
                               forward=other, backward=None, cache=cache)
    assert (result.model_calls, other.calls) == (1, 1)


def test_chunks_report_progress_in_order() -> None:
    seen: list[tuple[int, int]] = []
    echo = EchoTranslator()
    result = run_retranslation([(i, f"s{i}") for i in range(10)], mode="source",
                               src_lang="zh", tgt_lang="en", forward=echo, backward=None,
                               cache=MemoryCache(), chunk_size=3,
                               progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 10), (3, 10), (6, 10), (9, 10), (10, 10)]
    assert (result.model_calls, echo.calls, len(result.outputs)) == (4, 4, 10)


def test_cancel_after_first_chunk_keeps_what_was_done() -> None:
    asked: list[int] = []

    def should_cancel() -> bool:
        asked.append(1)
        return len(asked) > 1

    result = run_retranslation([(i, f"s{i}") for i in range(10)], mode="source",
                               src_lang="zh", tgt_lang="en", forward=EchoTranslator(),
                               backward=None, cache=MemoryCache(), chunk_size=4,
                               should_cancel=should_cancel)
    assert result.cancelled is True
    assert result.outputs == {0: "[en] s0", 1: "[en] s1", 2: "[en] s2", 3: "[en] s3"}


def test_all_empty_items_make_no_call() -> None:
    echo = EchoTranslator()
    result = run_retranslation([(1, ""), (2, " \n")], mode="source", src_lang="zh",
                               tgt_lang="en", forward=echo, backward=None, cache=MemoryCache())
    assert (result.outputs, result.model_calls, echo.calls) == ({1: "", 2: ""}, 0, 0)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"mode": "pivot"}, "unknown retranslation mode 'pivot'"),
    ({"mode": "roundtrip", "backward": None}, "REVIEW_MODEL_EN_ZH"),
    ({"chunk_size": 0}, "chunk_size must be at least 1"),
])
def test_bad_arguments_raise_input_error(kwargs: dict, message: str) -> None:
    args = {"mode": "source", "src_lang": "zh", "tgt_lang": "en", "forward": EchoTranslator(),
            "backward": EchoTranslator(), "cache": MemoryCache(), **kwargs}
    with pytest.raises(InputError, match=message):
        run_retranslation([(1, "x")], **args)


def test_a_translator_returning_the_wrong_count_is_refused() -> None:
    class Broken(EchoTranslator):
        def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]:
            return texts[:-1]

    with pytest.raises(RuntimeError, match="returned 1 outputs for 2 inputs"):
        run_retranslation([(1, "a"), (2, "b")], mode="source", src_lang="zh",
                          tgt_lang="en", forward=Broken(), backward=None, cache=MemoryCache())


def test_truncated_outputs_are_cached_and_still_reported() -> None:
    class Cutting(EchoTranslator):
        def translate(self, texts: list[str], src_lang: str, tgt_lang: str) -> list[str]:
            out = super().translate(texts, src_lang, tgt_lang)
            return Translations(out, [i for i, t in enumerate(texts) if len(t) > 10])

    cutter, cache = Cutting(), MemoryCache()
    items = [(1, "short"), (2, "a rather long segment")]
    for _ in range(2):
        result = run_retranslation(items, mode="source", src_lang="zh", tgt_lang="en",
                                   forward=cutter, backward=None, cache=cache)
        assert result.truncated == [2]
    assert cutter.seen == ["short", "a rather long segment"]
    assert cutter.calls == 1


def test_system_name() -> None:
    echo = EchoTranslator("m")
    assert system_name("roundtrip", "zh", echo, EchoTranslator("m")) == "m roundtrip via zh"
    assert system_name("source", "zh", echo) == "m"


# --- the transformers backend on the tiny model ------------------------------------------------

def test_tiny_model_outputs_depend_on_the_input(tiny: TransformersTranslator) -> None:
    lines = training_lines(seed=3, count=12)
    outputs = tiny.translate(lines, "en", "zh")
    assert len(outputs) == 12 and all(outputs)
    assert len(set(outputs)) > 6


@pytest.mark.system
@pytest.mark.parametrize("num_beams", [1, 4])
def test_batched_equals_one_at_a_time(tiny_marian: Path, num_beams: int) -> None:
    """Length sorting and padding change nothing: each output lands at its input's index."""
    translator = TransformersTranslator(tiny_marian, batch_size=5, num_beams=num_beams,
                                        max_new_tokens=12)
    lines = training_lines(seed=5, count=12)
    batched = translator.translate(lines, "en", "zh")
    assert translator.generate_calls == 3
    assert len(set(batched)) >= 10
    single = [translator.translate([line], "en", "zh")[0] for line in lines]
    assert list(batched) == single


def test_empty_segments_skip_the_model(tiny: TransformersTranslator) -> None:
    calls = tiny.generate_calls
    assert tiny.translate(["", "  ", ""], "en", "zh") == ["", "", ""]
    assert tiny.generate_calls == calls
    outputs = tiny.translate(["", "city data", "\n"], "en", "zh")
    assert outputs[0] == "" and outputs[1] and outputs[2] == ""
    assert tiny.generate_calls == calls + 1


def test_long_inputs_are_truncated_and_reported(tiny: TransformersTranslator) -> None:
    long_text = " ".join(["digital economy conference"] * 200)
    outputs = tiny.translate(["city data", long_text, "", long_text + "!"], "en", "zh")
    assert outputs.truncated == [1, 3]
    assert tiny.truncated == [1, 3]
    assert outputs[1]
    assert tiny.input_limit == 256
    assert tiny.translate(["city data"], "en", "zh").truncated == []


def test_limit_can_be_lowered(tiny_marian: Path) -> None:
    translator = TransformersTranslator(tiny_marian, max_input_tokens=8, **GREEDY)
    outputs = translator.translate(["city", "the city digital economy conference in the "
                                            "delta region opened"], "en", "zh")
    assert outputs.truncated == [1]


@pytest.mark.parametrize("mode", ["source", "roundtrip", "ape"])
def test_modes_with_the_tiny_model_rerun_from_cache(tiny_marian: Path, mode: str) -> None:
    forward = TransformersTranslator(tiny_marian, batch_size=4, **GREEDY)
    backward = TransformersTranslator(tiny_marian, batch_size=4, **GREEDY)
    cache = MemoryCache()
    items = [(i, line) for i, line in enumerate(training_lines(seed=11, count=9))]
    items.append((99, ""))
    first = run_retranslation(items, mode=mode, src_lang="zh", tgt_lang="en",
                              forward=forward, backward=backward, cache=cache, chunk_size=4)
    assert set(first.outputs) == {i for i, _ in items}
    assert first.outputs[99] == "" and all(first.outputs[i] for i in range(9))
    legs = 2 if mode == "roundtrip" else 1
    assert first.translated == 9 * legs and first.cache_hits == 0
    assert first.model_calls == 3 * legs  # chunks of 4, 4 and 1 (+ the empty one)
    if mode == "roundtrip":
        assert set(first.pivots) == set(first.outputs) and all(first.pivots[i] for i in range(9))
        assert first.system == f"{forward.name} roundtrip via zh"
    calls = forward.generate_calls + backward.generate_calls
    assert calls >= first.model_calls

    second = run_retranslation(items, mode=mode, src_lang="zh", tgt_lang="en",
                               forward=forward, backward=backward, cache=cache, chunk_size=4)
    assert forward.generate_calls + backward.generate_calls == calls
    assert (second.model_calls, second.translated, second.cache_hits) == (0, 0, 9 * legs)
    assert second.outputs == first.outputs and second.pivots == first.pivots


def test_another_model_has_another_identity_and_translates_again(
        tiny_marian: Path, tiny_marian_seed1: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(tiny_marian, tmp_path / "renamed-copy")
    assert model_identity(copy) == model_identity(tiny_marian)
    assert model_identity(tiny_marian).startswith("marian@sha256:")
    assert model_identity(tiny_marian_seed1) != model_identity(tiny_marian)

    cache = MemoryCache()
    items = [(1, "the city digital economy"), (2, "乌镇数字经济")]
    first = TransformersTranslator(tiny_marian, **GREEDY)
    run_retranslation(items, mode="source", src_lang="en", tgt_lang="zh", forward=first,
                      backward=None, cache=cache)
    same_files = TransformersTranslator(copy, **GREEDY)
    again = run_retranslation(items, mode="source", src_lang="en", tgt_lang="zh",
                              forward=same_files, backward=None, cache=cache)
    assert (again.model_calls, same_files.generate_calls) == (0, 0)
    other = TransformersTranslator(tiny_marian_seed1, **GREEDY)
    changed = run_retranslation(items, mode="source", src_lang="en", tgt_lang="zh",
                                forward=other, backward=None, cache=cache)
    assert (changed.model_calls, other.generate_calls, changed.translated) == (1, 1, 2)
    assert changed.outputs != again.outputs


def test_decoding_settings_are_part_of_the_name(tiny_marian: Path) -> None:
    identity = model_identity(tiny_marian)
    assert TransformersTranslator(tiny_marian).name == identity
    assert TransformersTranslator(tiny_marian, num_beams=1, max_new_tokens=24).name == (
        f"{identity} (beams=1, max_new_tokens=24)")


def test_folder_identity_follows_the_bytes(tiny_marian: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(tiny_marian, tmp_path / "m")
    before = model_identity(copy)
    config = json.loads((copy / "config.json").read_text())
    config["dropout"] = 0.2
    (copy / "config.json").write_text(json.dumps(config))
    assert model_identity(copy) != before


def test_load_translator_builds_once_per_options(tiny_marian: Path) -> None:
    one = load_translator(str(tiny_marian), **GREEDY)
    assert one.loaded
    assert load_translator(str(tiny_marian), **GREEDY) is one
    assert load_translator(str(tiny_marian), num_beams=2) is not one


# --- hub ids and failures -----------------------------------------------------------------------

def _fake_hub_cache(root: Path, repo: str, commit: str) -> None:
    folder = root / ("models--" + repo.replace("/", "--"))
    (folder / "refs").mkdir(parents=True)
    (folder / "refs" / "main").write_text(commit)
    (folder / "snapshots" / commit).mkdir(parents=True)
    (folder / "snapshots" / commit / "config.json").write_text("{}")


def test_hub_identity_uses_the_cached_commit(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    _fake_hub_cache(tmp_path, "Helsinki-NLP/opus-mt-zh-en", "0123456789abcdef" * 2 + "01234567")
    assert model_identity("Helsinki-NLP/opus-mt-zh-en") == "Helsinki-NLP/opus-mt-zh-en@0123456789ab"
    assert model_identity("Helsinki-NLP/opus-mt-en-zh") == "Helsinki-NLP/opus-mt-en-zh@main"


@pytest.mark.parametrize(("name", "fragments"), [
    ("Helsinki-NLP/opus-mt-xx-yy", ["Helsinki-NLP/opus-mt-xx-yy is not available offline",
                                    "hf download Helsinki-NLP/opus-mt-xx-yy",
                                    "REVIEW_MODEL_ZH_EN"]),
    ("./no-such-model-folder", ["./no-such-model-folder does not exist"]),
    ("/no/such/models/opus-mt-zh-en", ["/no/such/models/opus-mt-zh-en does not exist"]),
])
def test_unavailable_models_raise_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           name: str, fragments: list[str]) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(ModelUnavailable) as caught:
        TransformersTranslator(name)
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize(("files", "fragment"), [
    ({}, "cannot be loaded"),
    ({"config.json": '{"model_type": "bert", "vocab_size": 10}'},
     "is not a sequence-to-sequence translation model (model type bert)"),
    ({"config.json": "{not json"}, "cannot be loaded"),
])
def test_unusable_folders_raise_model_unavailable(tmp_path: Path, files: dict[str, str],
                                                  fragment: str) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    translator = TransformersTranslator(folder)
    with pytest.raises(ModelUnavailable, match="model") as caught:
        translator.translate(["hello"], "en", "zh")
    assert fragment in str(caught.value)
    assert str(folder) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_file_is_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(b"\0")
    with pytest.raises(ModelUnavailable, match="is a file"):
        TransformersTranslator(path)


def test_an_unusable_device_is_reported(tiny_marian: Path) -> None:
    pytest.importorskip("torch")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    translator = TransformersTranslator(tiny_marian, device="cuda", **GREEDY)
    with pytest.raises(ModelUnavailable, match="cannot run on device cuda.*REVIEW_DEVICE=cpu"):
        translator.load()


# --- language codes reach the tokenizer and generate() -----------------------------------------

class FakeTokenizer:
    """Just enough of a multilingual tokenizer to check how languages are passed."""

    unk_token_id = 3

    def __init__(self, tokens: list[str]) -> None:
        self.ids = {tok: 100 + i for i, tok in enumerate(tokens)}
        self.lang_code_to_id = {"zh": 7, "en": 8}
        self.src_lang = ""

    def convert_tokens_to_ids(self, token: str) -> int:
        return self.ids.get(token, self.unk_token_id)

    def get_lang_id(self, code: str) -> int:
        return self.lang_code_to_id[code]


@pytest.mark.parametrize(("family", "tokens", "src_lang", "prefix", "extra"), [
    ("nllb", ["zho_Hans", "eng_Latn"], "zho_Hans", "", {"forced_bos_token_id": 101}),
    ("mbart50", ["zh_CN", "en_XX"], "zh_CN", "", {"forced_bos_token_id": 101}),
    ("m2m100", [], "zh", "", {"forced_bos_token_id": 8}),
    ("madlad", ["<2en>"], "", "<2en> ", {}),
    ("plain", [], "", "", {}),
])
def test_language_setup_per_family(tiny_marian: Path, family: str, tokens: list[str],
                                   src_lang: str, prefix: str, extra: dict) -> None:
    translator = TransformersTranslator(tiny_marian)
    translator._tokenizer, translator._family = FakeTokenizer(tokens), family
    assert translator._language_setup("zh", "en") == (prefix, extra)
    assert translator._tokenizer.src_lang == src_lang


def test_unknown_language_for_a_model_is_an_input_error(tiny_marian: Path) -> None:
    translator = TransformersTranslator(tiny_marian)
    translator._tokenizer, translator._family = FakeTokenizer(["eng_Latn"]), "nllb"
    with pytest.raises(InputError, match="does not know language 'zh'.*zho_Hans"):
        translator._language_setup("zh", "en")


@pytest.mark.parametrize(("name", "src", "tgt", "direction"), [
    ("Helsinki-NLP/opus-mt-zh-en", None, None, ("zh", "en")),
    ("/models/opus-mt-en-zh/", None, None, ("en", "zh")),
    ("Helsinki-NLP/opus-mt-tc-big-zh-en", None, None, ("zh", "en")),
    ("Helsinki-NLP/opus-mt-en-mul", None, None, None),
    ("Helsinki-NLP/opus-mt-en-ROMANCE", None, None, None),
    ("/models/tiny-marian", None, None, None),
    ("/models/tiny-marian", "zho", "eng", ("zh", "en")),
    ("Helsinki-NLP/opus-mt-zh-en", "eng", "deu", ("en", "de")),
    ("x", "zh", "mul", None),
])
def test_declared_direction(name: str, src: str | None, tgt: str | None,
                            direction: tuple[str, str] | None) -> None:
    assert declared_direction(name, src, tgt) == direction


def test_a_one_direction_model_refuses_the_other_direction(tiny_marian: Path,
                                                           tmp_path: Path) -> None:
    folder = shutil.copytree(tiny_marian, tmp_path / "opus-mt-zh-en")
    translator = TransformersTranslator(folder, **GREEDY)
    assert translator.translate(["乌镇"], "zh-Hans", "en")[0]
    with pytest.raises(InputError, match="translates zh->en, not en->zh.*opus-mt-en-zh"):
        translator.translate(["Wuzhen"], "en", "zh")
    with pytest.raises(InputError, match="not en->en"):
        run_retranslation([(1, "Wuzhen")], mode="ape", src_lang="zh", tgt_lang="en",
                          forward=translator, backward=None, cache=MemoryCache())
