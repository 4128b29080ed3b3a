"""Saved assessments, their items and students, and the team's evidence settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AssessmentItem:
    item: str
    standard: str
    max_points: float
    answer: str
    options: bool  # answered by choosing an option, scored against ``answer``


@dataclass(frozen=True)
class StudentResult:
    key: str  # the id in the file
    name: str
    teacher: str
    section: str
    attributes: dict[str, str]
    points: tuple[float | None, ...]  # per item, None where not answered
    responses: tuple[str, ...]  # per item, the option chosen ("" for points)
    reported_total: float | None = None
    reported_max: float | None = None


@dataclass(frozen=True)
class AssessmentInfo:
    id: int
    name: str
    given_on: dt.date | None
    file_name: str
    students: int
    items: int
    created_at: dt.datetime
    totals_only: bool
    attributes: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class SavedAssessment:
    info: AssessmentInfo
    items: tuple[AssessmentItem, ...]
    students: tuple[StudentResult, ...]


DEFAULT_BAND_NAMES = ("Beginning", "Approaching", "Meeting", "Exceeding")


DEFAULT_BAND_CUTS = (60.0, 80.0, 90.0)


DEFAULT_GROUP_CUTS = (60.0, 80.0, 90.0)  # close, proficient, extension


DEFAULT_MIN_N = 10


@dataclass(frozen=True)
class EvidenceSettings:
    """A team's choices for its evidence: bands, question 3/4 cut points, the smallest
    group shown, and whether teachers' or sections' results may be compared."""

    band_names: tuple[str, ...] = DEFAULT_BAND_NAMES
    band_cuts: tuple[float, ...] = DEFAULT_BAND_CUTS
    group_cuts: tuple[float, ...] = DEFAULT_GROUP_CUTS
    min_n: int = DEFAULT_MIN_N
    compare_teachers: bool = False
    pseudonym_salt: str = ""
