"""Read models handed to pages and the CLI: plain dataclasses, never ORM objects.

Keeping ORM rows inside the store means a page can cache these freely and never trigger
a lazy load on a closed session.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import lru_cache

from review.core.vocab import CONTENT_KINDS
from review.db.models import Flag, Segment
from review.ranking.suspect import suspect_spans
from review.services.base import as_utc


@dataclass
class ArticleSummary:
    id: int
    title: str
    source_lang: str
    target_lang: str
    status: str
    origin: str
    mt_system: str
    created_at: datetime
    segments: int = 0
    body_segments: int = 0
    residue_segments: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    open_flags: int = 0
    systems: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return data


@dataclass
class SegmentRow:
    id: int
    position: int
    paragraph: int
    kind: str
    source: str
    mt: str
    current: str
    status: str
    version: int
    retranslation: str | None = None
    open_flags: int = 0
    flags: int = 0
    risk: float | None = None
    updated_by: str = ""
    target_lang: str = ""

    @property
    def edited(self) -> bool:
        return self.current != self.mt

    @property
    def suspect(self) -> list[tuple[int, int]]:
        return suspect_of(self.kind, self.mt, self.retranslation, self.target_lang)


@dataclass
class CandidateView:
    id: int
    system: str
    kind: str
    text: str
    meta: dict = field(default_factory=dict)


@dataclass
class FlagView:
    id: int
    segment_id: int
    target: str  # "mt" or the candidate's system name
    span_in: str
    start: int | None
    end: int | None
    category: str
    severity: str
    note: str
    author: str
    origin: str
    check_name: str
    state: str
    created_at: datetime

    def span_text(self, text: str) -> str:
        if self.start is None or self.end is None:
            return ""
        return text[self.start:self.end]


@dataclass
class RevisionView:
    id: int
    version: int
    text: str
    action: str
    author: str
    seconds_spent: float
    created_at: datetime


@dataclass
class AuditView:
    id: int
    at: datetime
    actor: str
    action: str
    article_id: int | None
    segment_id: int | None
    detail: dict


@dataclass
class SegmentDetail:
    row: SegmentRow
    article_id: int
    target_lang: str
    source_lang: str
    candidates: list[CandidateView]
    flags: list[FlagView]
    revisions: list[RevisionView]
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)


@dataclass
class ArticleView:
    summary: ArticleSummary
    rows: list[SegmentRow]
    candidate_systems: list[str] = field(default_factory=list)


@dataclass
class CorpusScore:
    metric: str
    value: float
    signature: str


@dataclass
class ArticleScores:
    article_id: int
    comparison: str
    segments: dict[int, dict[str, float]]
    corpus: dict[str, CorpusScore]
    segment_signatures: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "article_id": self.article_id,
            "comparison": self.comparison,
            "corpus": {k: asdict(v) for k, v in self.corpus.items()},
            "segment_signatures": self.segment_signatures,
            "segments": [
                {"segment_id": sid, **values} for sid, values in self.segments.items()
            ],
        }


@dataclass
class RetranslationReport:
    article_id: int
    system: str
    mode: str
    stored: int
    translated: int
    model_calls: int
    cache_hits: int
    skipped_residue: int
    truncated: list[int] = field(default_factory=list)
    cancelled: bool = False

    def to_json(self) -> dict:
        return self.__dict__.copy()



def row_view(seg: Segment, retranslation: str | None, counts: Counter,
             target_lang: str = "") -> SegmentRow:
    return SegmentRow(id=seg.id, position=seg.position, paragraph=seg.paragraph, kind=seg.kind,
                      source=seg.source, mt=seg.mt, current=seg.current, status=seg.status,
                      version=seg.version, retranslation=retranslation,
                      open_flags=counts.get("open", 0),
                      flags=counts.get("open", 0) + counts.get("confirmed", 0),
                      risk=seg.risk, updated_by=seg.updated_by, target_lang=target_lang)


def flag_view(flag: Flag, systems: dict[int, str]) -> FlagView:
    target = systems.get(flag.candidate_id, "candidate") if flag.candidate_id else "mt"
    return FlagView(id=flag.id, segment_id=flag.segment_id, target=target, span_in=flag.span_in,
                    start=flag.start, end=flag.end, category=flag.category,
                    severity=flag.severity, note=flag.note, author=flag.author,
                    origin=flag.origin, check_name=flag.check_name, state=flag.state,
                    created_at=as_utc(flag.created_at))


def retranslations_of(cands: Iterable[tuple[int, int, str, str, str]], mt_system: str
                      ) -> dict[int, tuple[str, str]]:
    """Per segment, (system, text) of the translation the MT is compared with (agreement,
    suspect spans, the risk signal, the review page): the newest model retranslation, else
    the first imported translation by another system (never a reference). ``cands``:
    (segment id, candidate id, system, kind, text), oldest first. The one rule for it."""
    model: dict[int, tuple[str, str]] = {}
    other: dict[int, tuple[str, str]] = {}
    for seg_id, _cid, system, kind, text in cands:
        if kind == "model":
            model[seg_id] = (system, text)
        elif kind == "import" and system != mt_system:
            other.setdefault(seg_id, (system, text))
    return {**other, **model}


def suspect_of(kind: str, mt: str, retranslation: str | None,
               lang: str) -> list[tuple[int, int]]:
    """Spans of the MT its retranslation does not support (review.ranking.suspect):
    highlights for the reviewer, lighter than flags; none for residue or without a
    retranslation. The CLI, the pages and the workspace all ask this."""
    if kind not in CONTENT_KINDS or not retranslation:
        return []
    return list(_suspect_cached(mt, retranslation, lang))


@lru_cache(maxsize=50_000)
def _suspect_cached(mt: str, retranslation: str, lang: str) -> tuple[tuple[int, int], ...]:
    """Pure in its texts, so a reread of an unchanged segment costs a dictionary look-up."""
    return tuple((start, end) for start, end in suspect_spans(mt, retranslation, lang))
