"""Default severity, category and on/off state of each QA check, from evidence.

``review/data/check_calibration.json`` is written by ``bench/calibrate_checks.py``, which runs
every check over expert MQM data and measures how often its suggestions overlap an expert
error span. A check's suggestions take the severity and category that its hits most often
meet; a check whose precision is shown to be below the base rate (the precision of
suggesting every MT word), the upper end of its 95% interval under it, is off by default. A
check the data cannot judge (too few suggestions) keeps the severity written in its code and
stays on.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

DEFAULTS_FILE = Path(__file__).resolve().parents[1] / "data" / "check_calibration.json"
S = TypeVar("S", bound="DataclassInstance")


@cache
def defaults(path: Path = DEFAULTS_FILE) -> Mapping[str, Mapping[str, Any]]:
    """check name -> its calibration entry (empty when the file is missing)."""
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("checks", {})


def enabled_by_default(name: str, table: Mapping[str, Mapping[str, Any]] | None = None) -> bool:
    entry = (defaults() if table is None else table).get(name, {})
    return bool(entry.get("enabled", True))


def calibrated(suggestion: S, table: Mapping[str, Mapping[str, Any]] | None = None) -> S:
    """The suggestion with its check's calibrated severity and category (unchanged when the
    check has no calibrated values)."""
    entry = (defaults() if table is None else table).get(getattr(suggestion, "check", ""), {})
    changes = {k: entry[k] for k in ("severity", "category") if entry.get(k)}
    return dataclasses.replace(suggestion, **changes) if changes else suggestion
