"""What the classroom store hands to the pages: plain, frozen records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from collab_widgets.classroom.rules import STAGE_NAMES, TEACHING, PlanContent, Segment


@dataclass(frozen=True)
class CoPlan:
    id: int
    cycle_id: int | None
    title: str
    standard: str
    sections: dict[str, str]  # rules.SECTIONS' keys -> text as typed
    segments: tuple[Segment, ...]

    def content(self) -> PlanContent:
        return PlanContent(
            self.title,
            self.standard,
            dict(self.sections),
            tuple((s.task, s.minutes, s.approach) for s in self.segments),
        )


@dataclass(frozen=True)
class PlanVersion:
    id: int
    number: int
    label: str
    content: PlanContent
    saved_at: dt.datetime
    saved_by: str | None


@dataclass(frozen=True)
class LessonStudy:
    id: int
    cycle_id: int | None
    title: str
    stage: str
    theme: str
    study_notes: str
    plan_id: int | None
    assessment_id: int | None
    case_students: tuple[str, ...]
    teacher_id: int | None
    teacher: str | None
    teaching: int
    lesson_started_at: dt.datetime | None
    lesson_ended_at: dt.datetime | None
    debrief_run_id: int | None
    report: str

    @property
    def stage_name(self) -> str:
        return STAGE_NAMES.get(self.stage, self.stage)

    @property
    def lesson_on(self) -> bool:
        return self.stage in TEACHING and self.lesson_ended_at is None


@dataclass(frozen=True)
class ObservationNote:
    id: int
    teaching: int
    member_id: int | None
    observer: str | None
    at: dt.datetime
    text: str
    case_student: str | None
    criterion: str | None
    segment: str | None
    after_lesson: bool
    photo_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Photo:
    id: int
    media_type: str
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class PeerObservation:
    """One colleague observing another. Only the two of them ever receive this record."""

    id: int
    observed_id: int
    observed: str
    observer_id: int
    observer: str
    template: str | None
    focus: str
    evidence: str
    glows: str
    grows: str
    wonderings: str
    takeaway: str
    lesson_started_at: dt.datetime | None
    lesson_ended_at: dt.datetime | None
    created_at: dt.datetime

    @property
    def lesson_on(self) -> bool:
        return self.lesson_started_at is not None and self.lesson_ended_at is None


@dataclass(frozen=True)
class PeerNote:
    id: int
    at: dt.datetime
    text: str
    segment: str | None
    after_lesson: bool
    shared: bool


@dataclass(frozen=True)
class SharedPeerLearning:
    """What a teacher observed chose to give the team: their words and the notes shared."""

    peer_id: int
    observed: str
    on: dt.date
    takeaway: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ClassroomSummary:
    """For a coach: counts and stages, never a word of a note."""

    plans: int
    studies: tuple[str, ...]  # each lesson study's stage, as named
    peer_observations: int
