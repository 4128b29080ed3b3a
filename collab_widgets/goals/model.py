"""Cycles of inquiry, SMART goals, their versions and checkpoints, and wins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Where a cycle stands: plan what students must learn, teach, give the common assessment,
# respond (intervene and extend), then close it.
CYCLE_STAGES = ("planning", "teaching", "assessing", "responding", "closed")


# What a SMART goal counts, each from a saved assessment or typed.
PERCENT_PROFICIENT = "percent proficient"


AVERAGE_PERCENT = "average percent correct"


COUNT_AT_BAND = "students at or above a band"


MEASURES = (PERCENT_PROFICIENT, AVERAGE_PERCENT, COUNT_AT_BAND)


DEFAULT_TOLERANCE = 5.0  # points under the line from baseline to target still "on track"


@dataclass(frozen=True)
class Cycle:
    """One cycle of inquiry and the team's answers to the four critical questions."""

    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    stage: str
    must_learn: str  # what students must learn (essential standards, learning targets)
    how_know: str  # how we will know (the common assessments, also linked by id)
    respond: str  # how we respond when they do not learn (intervention plan)
    extend: str  # how we extend learning when they already have
    assessment_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class GoalDraft:
    """A SMART goal as typed: every field is text exactly as written (the checks say what
    is missing or wrong), except the assessment the baseline came from and the group
    taken from it (an attribute column and value; none for all students)."""

    group: str = ""
    group_size: str = ""
    learning_target: str = ""
    measure: str = ""
    band: str = ""  # for COUNT_AT_BAND: the lowest band that counts
    baseline: str = ""
    baseline_assessment_id: int | None = None
    group_column: str | None = None
    group_value: str | None = None
    target: str = ""
    by_date: str = ""  # YYYY-MM-DD
    tolerance: str = f"{DEFAULT_TOLERANCE:g}"


@dataclass(frozen=True)
class GoalVersion:
    version: int
    draft: GoalDraft
    statement: str
    saved_at: dt.datetime
    saved_by: str | None


@dataclass(frozen=True)
class Checkpoint:
    id: int
    taken_on: dt.date
    value: float
    note: str
    assessment_id: int | None


@dataclass(frozen=True)
class Goal:
    id: int
    cycle_id: int
    versions: tuple[GoalVersion, ...]  # oldest first
    checkpoints: tuple[Checkpoint, ...]  # by date
    created_at: dt.datetime
    met_posted: bool = False

    @property
    def latest(self) -> GoalVersion:
        return self.versions[-1]


@dataclass(frozen=True)
class Win:
    id: int
    text: str
    posted_at: dt.datetime
    by: str | None  # the member's name; None when a met goal posted it
    goal_id: int | None = None
    member_id: int | None = None
