"""The two expert MQM files as one table per file: a row per (document, segment, system) with
clean texts, the expert score, the MT's word count and the expert error spans on the MT.

Human references are left out: the setting is machine output with no reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bench._common import read_wmt23_zhen, segments_with_scores, shared_data
from review.core import mqm

_SPAN = re.compile(r"<v>(.*?)</v>", re.DOTALL)
_REFERENCE = re.compile(r"^ref", re.IGNORECASE)


@dataclass(frozen=True)
class MQMFile:
    name: str
    source_lang: str
    target_lang: str
    segments: pd.DataFrame  # doc, seg_id, system, source, target, score, words, spans
    year: int


def _target_spans(rows: pd.DataFrame, texts: pd.DataFrame) -> pd.Series:
    """(start, end, severity, category) of each expert error marked on the MT, as character
    offsets into the clean MT text (a marked row whose clean text differs is skipped)."""
    keys = ["system", "doc", "seg_id"]
    clean = {tuple(k): t for k, t in zip(texts[keys].itertuples(index=False), texts["target"])}
    spans: dict[tuple, list] = {}
    for r in rows.itertuples(index=False):
        m = _SPAN.search(r.target)
        if m is None or not mqm.is_error(r.category, r.severity):
            continue
        start = m.start()
        text = _SPAN.sub(lambda x: x.group(1), r.target)
        key = (r.system, r.doc, r.seg_id)
        if text != clean.get(key):
            continue
        end = start + len(m.group(1))
        if end > start:
            spans.setdefault(key, []).append((start, end, r.severity, r.category))
    return pd.Series([spans.get(tuple(k), []) for k in texts[keys].itertuples(index=False)],
                     index=texts.index, dtype=object)


def _table(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows[~rows["system"].str.match(_REFERENCE)]
    segs = segments_with_scores(rows)
    segs["spans"] = _target_spans(rows, segs)
    segs["words"] = np.maximum(segs["target"].str.split().str.len().fillna(0), 1)
    return segs[segs["target"].str.strip() != ""].reset_index(drop=True)


def wmt23_zhen() -> MQMFile:
    rows = read_wmt23_zhen()
    return MQMFile("WMT23 zh→en", "zh", "en", _table(rows), 2023)


def wmt21_ted_ende() -> MQMFile:
    rows = mqm.read_tsv(shared_data() / "wmt21-ted-ende-mqm.tsv")
    return MQMFile("WMT21 TED en→de", "en", "de", _table(rows), 2021)


FILES = {"wmt23-zhen": wmt23_zhen, "wmt21-ted-ende": wmt21_ted_ende}


def partners(segs: pd.DataFrame, seed: int) -> list[str]:
    """For each row, another system's output of the same segment, drawn at random: the
    one retranslation the reviewer has."""
    rng = np.random.default_rng(seed)
    by_seg = segs.groupby(["doc", "seg_id"])["target"].apply(list).to_dict()
    out = []
    for doc, seg_id, target in zip(segs["doc"], segs["seg_id"], segs["target"]):
        others = [t for t in by_seg[(doc, seg_id)] if t != target] or [target]
        out.append(others[int(rng.integers(len(others)))])
    return out
