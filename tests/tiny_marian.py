"""Build a tiny random-weight Marian translation model in a folder, offline.

Tests and benchmarks need the real transformers path (tokenizer, ``generate()``, batching,
truncation) without downloading anything. A Marian model with random weights is enough:
its outputs are gibberish, but they are deterministic and depend on the input.

What Marian needs (checked with transformers 5.24): ``source.spm``, ``target.spm`` and
``vocab.json``; the vocabulary must hold ``</s>`` and ``<unk>``; the pad token must be the
last id and ``decoder_start_token_id`` must equal it. ``init_std=0.5`` (not the default
0.02) keeps the outputs from all collapsing to the same string.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

_EN_WORDS = (
    "the a of and to in is was for on that with as by at from it this be are have has "
    "city digital economy conference delta river region development growth industry "
    "company data network platform internet technology science research university "
    "government province county village market trade export import service cloud "
    "computing chip smart manufacturing energy green carbon report percent million "
    "billion year month week day people worker student teacher leader expert "
    "meeting forum summit chess game water town bridge road train station airport "
    "said announced signed opened built reached increased grew will would could new "
    "first second third large small high low total national local global share tags"
).split()

_ZH_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "乌镇数字经济长三角会议互联网城市科技大学企业平台数据产业发展合作创新区域"
)
_ZH_PUNCT = "，。、；：！？"


def _english_line(rng: random.Random) -> str:
    words = [rng.choice(_EN_WORDS) for _ in range(rng.randint(4, 18))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.randint(1, 2030)))
    line = " ".join(words)
    return line[0].upper() + line[1:] + rng.choice(".!?,;")


def _chinese_line(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 3)):
        parts.append("".join(rng.choice(_ZH_CHARS) for _ in range(rng.randint(3, 14))))
        parts.append(rng.choice(_ZH_PUNCT))
    if rng.random() < 0.3:
        parts.insert(0, str(rng.randint(1, 2030)) + "年")
    return "".join(parts)


def training_lines(seed: int = 0, count: int = 400) -> list[str]:
    """English-like and Chinese-like lines, so the vocabulary covers both directions."""
    rng = random.Random(seed)
    return [_english_line(rng) if i % 2 else _chinese_line(rng) for i in range(count)]


def _train_sentencepiece(lines: list[str], vocab_size: int) -> bytes:
    """Train in memory, so the model holds no file paths and is the same for any folder."""
    import sentencepiece as spm

    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=out, vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, num_threads=1,
        shuffle_input_sentence=False, minloglevel=2, hard_vocab_limit=False,
    )
    return out.getvalue()


def build_tiny_marian(folder: Path, seed: int = 0, *, d_model: int = 32,
                      layers: int = 1, vocab_size: int = 600,
                      max_positions: int = 256) -> Path:
    """Write a tiny random MarianMTModel with its tokenizer into ``folder``; return it.

    The same ``seed`` gives the same files byte for byte on the same library versions; a
    different seed gives different weights (and so a different model identity).
    """
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    spm_bytes = _train_sentencepiece(training_lines(seed), vocab_size)
    sp = spm.SentencePieceProcessor(model_proto=spm_bytes)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())
              if not (sp.is_control(i) or sp.is_unknown(i))]
    tokens = ["</s>", "<unk>", *pieces, "<pad>"]
    vocab = {tok: i for i, tok in enumerate(tokens)}
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (folder / "source.spm").write_bytes(spm_bytes)
    (folder / "target.spm").write_bytes(spm_bytes)

    pad_id = len(tokens) - 1
    config = MarianConfig(
        vocab_size=len(tokens), decoder_vocab_size=len(tokens), d_model=d_model,
        encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=2, decoder_attention_heads=2,
        encoder_ffn_dim=2 * d_model, decoder_ffn_dim=2 * d_model,
        max_position_embeddings=max_positions, init_std=0.5,
        pad_token_id=pad_id, eos_token_id=0, decoder_start_token_id=pad_id,
        forced_eos_token_id=0, share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.generation_config.max_length = 40
    model.generation_config.num_beams = 1
    model.save_pretrained(folder)
    tokenizer = MarianTokenizer(
        source_spm=str(folder / "source.spm"), target_spm=str(folder / "target.spm"),
        vocab=str(folder / "vocab.json"), model_max_length=max_positions,
    )
    tokenizer.save_pretrained(folder)
    return folder


if __name__ == "__main__":
    import sys
    import time

    start = time.perf_counter()
    out = build_tiny_marian(Path(sys.argv[1] if len(sys.argv) > 1 else "tiny-marian"))
    print(f"built {out} in {time.perf_counter() - start:.2f} s")
