"""What the students' store hands out: plain, frozen records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    owner_id: int
    owner_name: str
    students: int
    retain_until: dt.date
    survey_open: bool
    code: str | None  # the class code: for its teacher only
    created_at: dt.datetime

    @property
    def yours(self) -> bool:
        """Set by the store: whether the scope that read it is the class's teacher."""
        return self.code is not None


@dataclass(frozen=True)
class Student:
    """A student as the reader may see them: ``name`` and ``attributes`` are empty and
    ``display_name`` is the pseudonym for anyone but the team's members (a coach, a
    team-link visitor)."""

    id: int
    key: str
    pseudonym: str
    display_name: str
    name: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    has_card: bool = False


@dataclass(frozen=True)
class AddResult:
    added: int
    updated: int


@dataclass(frozen=True)
class GroupingInfo:
    id: int
    kind: str  # "groups" or "tutoring"
    name: str
    made_at: dt.datetime
    groups: int
    students: int


@dataclass(frozen=True)
class Placement:
    """A student's place in saved groups or pairs: ``group_number`` is the number on the
    group's card, from 1 (pages list groups in number order)."""

    student_id: int
    group_number: int
    role: str | None = None


@dataclass(frozen=True)
class SavedGrouping:
    info: GroupingInfo
    settings: dict
    score: float | None
    placements: tuple[Placement, ...]


@dataclass(frozen=True)
class EvaluationInfo:
    id: int
    grouping_id: int
    title: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    released_at: dt.datetime | None
    answered: int  # students who rated at least once
    students: int
    withdrawn_at: dt.datetime | None = None  # feedback taken back for good

    @property
    def may_release(self) -> bool:
        return self.released_at is None and self.withdrawn_at is None

    @property
    def open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class StudentSession:
    """A student signed in on their own page: by a class code and their card's code."""

    team_id: int
    class_id: int
    student_id: int
    display_name: str
    class_code: str
    student_code_hash: str


@dataclass(frozen=True)
class Teammate:
    id: int
    display_name: str
    is_self: bool


@dataclass(frozen=True)
class StudentEvaluation:
    id: int
    title: str
    open: bool
    teammates: tuple[Teammate, ...]  # the student first
    dimensions: tuple  # evaluation.Dimension: the questions of this check
    ratings: dict[tuple[int, str], int]  # their own: (ratee, dimension) -> level
    comments: dict[int, str]  # their own: ratee -> text


@dataclass(frozen=True)
class StudentPage:
    """All a student's page shows: their own name, the class's name, the survey and their
    own answers, the evaluation (their teammates by display name), their own feedback."""

    display_name: str
    class_name: str
    survey_open: bool
    survey_answers: dict[str, tuple[str, ...]]
    evaluation: StudentEvaluation | None
    feedback: object | None  # evaluation.Feedback when released


class StudentsSummary(NamedTuple):
    """For the coach's dashboard: counts only."""

    classes: int
    students: int
    groupings: int
    evaluations: int
