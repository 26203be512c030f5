"""The overview tab's numbers: inventory, progress, MQM with its interval, HTER
and corpus metrics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from review.core.vocab import CONTENT_KINDS, SEGMENT_STATUSES
from review.dashboard.frames import Frames, TextScores
from review.dashboard.units import MQMSummary, mqm_summary


@dataclass
class Overview:
    articles: int
    segments: int
    residue_segments: int
    words: int
    progress: pd.DataFrame  # status, segments
    mqm: MQMSummary
    mean_hter: float
    hter_segments: int
    metrics: pd.DataFrame  # comparison, chrf, bleu, ter, segments, signature


def overview(frames: Frames, units: pd.DataFrame, text: TextScores) -> Overview:
    segs = frames.segments
    scored = segs[segs["kind"].isin(CONTENT_KINDS)]
    counts = scored["status"].value_counts()
    progress = pd.DataFrame({"status": list(SEGMENT_STATUSES),
                             "segments": [int(counts.get(s, 0)) for s in SEGMENT_STATUSES]})
    hter = text.hter["hter"].to_numpy(dtype=float)
    return Overview(
        articles=len(frames.articles), segments=len(scored),
        residue_segments=len(segs) - len(scored),
        words=int(np.nansum(scored["words"].to_numpy(dtype=float))), progress=progress,
        mqm=mqm_summary(units), mean_hter=float(hter.mean()) if len(hter) else math.nan,
        hter_segments=len(hter), metrics=text.corpus.reset_index(drop=True))
