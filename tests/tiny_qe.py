"""A tiny random sequence-regression model (the QE shape: one output) built offline."""

from __future__ import annotations

from pathlib import Path

WORDS = ("the a conference was held in wuzhen digital economy will account for of total "
         "ratios are about respectively scale country share photo by reporter die der und "
         "ist konferenz").split()


def build_tiny_qe(folder: Path, seed: int = 0) -> Path:
    """Save a BertForSequenceClassification (num_labels=1) and a word-piece tokenizer."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS,
                                *"abcdefghijklmnopqrstuvwxyz0123456789.,%"]) + "\n")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab))
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=16, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=32,
                        max_position_embeddings=128, num_labels=1, initializer_range=0.5)
    model = BertForSequenceClassification(config).eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
