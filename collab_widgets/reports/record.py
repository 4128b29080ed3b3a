"""The meeting record as plain data: everything the HTML page and the Markdown file show,
already filtered for privacy (pseudonyms, small groups suppressed, no private reflection,
no individual survey answer). :mod:`.collect` builds it from the store; :mod:`.render`
writes it out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from collab_widgets.actions.model import Action, Decision
from collab_widgets.reflection.model import Reflection


@dataclass(frozen=True)
class RecordChart:
    title: str
    png: bytes
    alt: str


@dataclass(frozen=True)
class NormsLine:
    norm: str
    start: float | None  # the average mark at the start, None without marks
    end: float | None
    marks: int


@dataclass(frozen=True)
class GoalLine:
    statement: str
    status: str
    explanation: str
    chart: RecordChart | None = None


@dataclass(frozen=True)
class EvidenceSection:
    assessment: str
    charts: tuple[RecordChart, ...] = ()
    observations: tuple[str, ...] = ()  # the team's notes from a Data-Driven Dialogue


@dataclass(frozen=True)
class PlanLine:
    """A plan written together, as kept in a version on the meeting's day."""

    title: str
    version: str
    standard: str
    sections: tuple[tuple[str, str], ...]  # (section's name, text)
    tasks: tuple[tuple[str, int, str], ...]  # (task, minutes, how two adults share it)


@dataclass(frozen=True)
class ProtocolStep:
    title: str
    notes: str  # the recorder's notes
    board: tuple[str, ...] = ()  # board notes (anonymous ones without a name)


@dataclass(frozen=True)
class ProtocolNotes:
    title: str
    steps: tuple[ProtocolStep, ...] = ()


@dataclass(frozen=True)
class SurveyLine:
    """One instrument's round: subscale means and spread, or why none is shown."""

    title: str
    respondents: int
    shown: bool  # False while fewer than the minimum answered
    subscales: tuple[tuple[str, float, str], ...] = ()  # name, mean, how much we agree
    note: str = ""


@dataclass(frozen=True)
class MeetingRecord:
    team: str
    title: str
    date: dt.date
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    roles: tuple[tuple[str, str], ...] = ()  # (role, name)
    agenda: tuple[tuple[str, int], ...] = ()  # (item, minutes)
    norms: tuple[NormsLine, ...] = ()
    norms_chart: RecordChart | None = None
    wins: tuple[str, ...] = ()
    goals: tuple[GoalLine, ...] = ()
    evidence: tuple[EvidenceSection, ...] = ()
    protocols: tuple[ProtocolNotes, ...] = ()
    plans: tuple[PlanLine, ...] = ()
    lesson_studies: tuple[tuple[str, str], ...] = ()  # (title, stage)
    reflection: Reflection | None = None  # the team's synthesis only, never a member's own
    surveys: tuple[SurveyLine, ...] = ()
    decisions: tuple[Decision, ...] = ()
    actions: tuple[Action, ...] = ()
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


def file_stem(record: MeetingRecord) -> str:
    """The record's file name without its suffix: the team and the meeting's date."""
    safe = "".join(ch if ch.isalnum() else "-" for ch in record.team).strip("-").lower()
    return f"{safe or 'team'}-meeting-{record.date:%Y-%m-%d}"
