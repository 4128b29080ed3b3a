"""What the families' screens, store and family page pass around (plain data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

INDIVIDUAL, STUDENT_LED = "individual", "student-led"
CONFERENCE_KINDS = (INDIVIDUAL, STUDENT_LED)
OWNERS = ("teacher", "family", "student")  # who keeps a conference agreement


@dataclass(frozen=True)
class Guardian:
    id: int
    name: str
    has_link: bool
    blocked: bool
    link_issued_at: dt.datetime | None


@dataclass(frozen=True)
class Family:
    """A family as the class's team sees it; ``contact`` is "" but for the teacher."""

    id: int
    student_id: int
    child: str  # the name the reader may see: the student's name, or their pseudonym
    pseudonym: str  # the team's pseudonym of the child, shown until a member shows names
    language: str
    contact: str
    guardians: tuple[Guardian, ...]


@dataclass(frozen=True)
class Bin:
    """One bar of a class graph: the children whose result is in [low, high)."""

    low: int
    high: int
    count: int


@dataclass(frozen=True)
class Meeting:
    id: int
    class_id: int
    title: str
    held_on: dt.date
    starts_at: str
    skill: str
    assessment_name: str
    bins: tuple[Bin, ...] | None  # None: too few children with a result to show a graph
    agenda: tuple[dict, ...]  # [{title: {lang: text}, minutes}]
    activities: tuple[dict, ...]  # [{title: {lang}, materials: {lang}, steps: {lang: [..]}}]
    involvement: tuple[str, ...]


@dataclass(frozen=True)
class FamilyGoal:
    id: int
    family_id: int
    meeting_id: int
    practice: str
    times_per_week: int
    target: float
    by_date: dt.date
    version: int
    written_at: dt.datetime


@dataclass(frozen=True)
class Progress:
    """A goal against the child's later results: ``status`` is "reached", "closer",
    "not-yet" or "waiting" (no later result yet)."""

    status: str
    start: float | None
    latest: float | None


@dataclass(frozen=True)
class Slot:
    id: int
    kind: str
    day: dt.date
    starts_at: str
    minutes: int
    family_id: int | None
    notes: str  # "" unless the reader is the class's team


@dataclass(frozen=True)
class Agreement:
    id: int
    slot_id: int
    family_id: int
    text: str
    owner: str
    done: bool


@dataclass(frozen=True)
class Workshop:
    id: int
    title: dict  # {language: text}
    held_on: dt.date
    starts_at: str
    place: str
    involvement: str
    signed_up: frozenset[int] = field(default_factory=frozenset)  # family ids
    attended: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class FeedbackSummary:
    """A feedback round's totals: ``means`` is empty until ``answered`` reaches
    ``minimum`` (the survey's minimum of respondents)."""

    round_id: int
    title: str
    opened_on: dt.date
    open: bool
    answered: int
    minimum: int
    means: dict[str, float]


@dataclass(frozen=True)
class FamilySession:
    """A guardian signed in through their own link."""

    team_id: int
    class_id: int
    family_id: int
    student_id: int
    guardian_id: int
    code_hash: str
    language: str  # the family's preferred language, as the teacher set it


@dataclass(frozen=True)
class Participation:
    """A class's families in numbers (the team's and the coach's view): no family named."""

    class_name: str
    families: int
    with_link: int
    meetings: int  # prepared, held or not
    attended: tuple[int, ...]  # families present at each meeting held so far, oldest first
    goals: int
    with_goal: int  # families with at least one goal
    goals_reached: int
    conferences_booked: int
    workshop_attendance: int
    involvement: dict[str, int]  # type of involvement -> activities tagged with it
