"""What the community screens, store, mentor page and reports pass around (plain data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

COORDINATOR, PRINCIPAL = "coordinator", "principal"
GOAL_KINDS = ("academic", "behaviour", "climate")
# the work-based learning continuum, with the kind of career event at each stage
CAREER_STAGES = {
    "speaker": "awareness",
    "job_shadow": "exploration",
    "internship": "preparation",
    "apprenticeship": "training",
}


@dataclass(frozen=True)
class SchoolPerson:
    id: int
    name: str
    role: str  # COORDINATOR or PRINCIPAL


@dataclass(frozen=True)
class Contact:
    id: int
    name: str
    role: str
    reach: str  # "" for a reader who is not the coordinator


@dataclass(frozen=True)
class Agreement:
    id: int
    partner_id: int
    partner: str
    title: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class Partner:
    id: int
    name: str
    kind: str
    offers: tuple[str, ...]
    notes: str
    contacts: tuple[Contact, ...] = ()
    agreements: tuple[Agreement, ...] = ()


@dataclass(frozen=True)
class Reminder:
    """An agreement that ends soon (or has ended) and is not followed by another."""

    agreement: Agreement
    days_left: int  # negative: lapsed that many days ago
    message: str


@dataclass(frozen=True)
class CommunityActivity:
    id: int
    title: str
    held_on: dt.date
    involvement: str
    participants: int
    partner: str  # "" when done without a partner


@dataclass(frozen=True)
class Programme:
    id: int
    name: str
    partner: str
    starts_on: dt.date
    ends_on: dt.date
    minutes_a_week: int
    weights: dict[str, float]


@dataclass(frozen=True)
class Clearance:
    cleared_on: dt.date | None
    expires_on: dt.date | None
    verified_by: str

    def valid_on(self, day: dt.date) -> bool:
        return (
            self.cleared_on is not None
            and self.expires_on is not None
            and self.cleared_on <= day <= self.expires_on
        )


@dataclass(frozen=True)
class Mentor:
    id: int
    name: str
    interests: tuple[str, ...]
    times: tuple[str, ...]
    languages: tuple[str, ...]
    clearance: Clearance
    has_link: bool = False


@dataclass(frozen=True)
class Mentee:
    """A mentee as the coordinator sees them: the team's pseudonym and class, no name."""

    id: int
    pseudonym: str
    class_name: str
    interests: tuple[str, ...]
    times: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """A suggested match: the mentor, the mentee, the score and why, in words."""

    mentor_id: int
    mentee_id: int
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unmatched:
    """Someone the suggestion left out, and why (a hard constraint, or no one left)."""

    kind: str  # "mentor" or "mentee"
    id: int
    reason: str


@dataclass(frozen=True)
class MentorLog:
    id: int
    met_on: dt.date
    minutes: int
    activity: str
    note: str
    check_in: int  # 1 to 4


@dataclass(frozen=True)
class Match:
    id: int
    mentor_id: int
    mentor: str
    mentee_id: int
    mentee: str  # the pseudonym (the coordinator's and principal's view)
    started_on: dt.date
    reason: str
    closed_on: dt.date | None
    closing_note: str
    flags: tuple[str, ...]  # e.g. the mentor's clearance lapsed; no meeting for weeks
    logs: tuple[MentorLog, ...] = ()


@dataclass(frozen=True)
class MentorPage:
    """Everything the mentor's own page shows: their mentee's first name and their own
    logs, nothing else about the student, and no way to reach them."""

    mentor: str
    programme: str
    mentee_first_name: str
    minutes_a_week: int
    logs: tuple[MentorLog, ...]
    ended: bool = False  # the match was closed: no first name, no more logs


@dataclass(frozen=True)
class ProjectTeam:
    id: int
    name: str
    students: int
    hours: float  # per-student hours summed over the team's entries x students


@dataclass(frozen=True)
class Milestone:
    id: int
    title: str
    due_on: dt.date
    done_on: dt.date | None


@dataclass(frozen=True)
class Reflection:
    id: int
    team: str
    what: str
    so_what: str
    now_what: str


@dataclass(frozen=True)
class ServiceProject:
    id: int
    title: str
    partner: str
    class_name: str
    standards: str
    starts_on: dt.date
    ends_on: dt.date
    outcomes: str
    quality: dict[str, int]
    teams: tuple[ProjectTeam, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    reflections: tuple[Reflection, ...] = ()


@dataclass(frozen=True)
class CareerEvent:
    id: int
    kind: str
    stage: str
    title: str
    held_on: dt.date
    partner: str
    placements: int
    hours: float


@dataclass(frozen=True)
class PlanActivity:
    id: int
    goal_id: int
    title: str
    involvement: str
    planned_on: dt.date
    responsible: str
    expected: int
    happened: bool | None
    participants: int | None


@dataclass(frozen=True)
class PlanGoal:
    id: int
    kind: str
    text: str
    team_goal: str  # the linked PLC goal, as "Team — goal", or ""
    activities: tuple[PlanActivity, ...] = ()


@dataclass(frozen=True)
class Outcomes:
    """The plan's activities at the evaluation: how many were planned, happened, did not
    or are not yet said, and how many came to those that happened against how many were
    expected at them."""

    planned: int
    happened: int
    not_happened: int
    unsaid: int
    expected: int
    came: int


@dataclass(frozen=True)
class Plan:
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    evaluation: str
    goals: tuple[PlanGoal, ...] = ()


@dataclass(frozen=True)
class Coverage:
    """Per type of involvement: activities planned, planned ones that happened, and every
    activity done in the plan's year from any source (families, community, workshops,
    mentoring, service, careers)."""

    involvement: str
    planned: int
    happened: int
    done: int
    sources: dict[str, int] = field(default_factory=dict)  # source name -> count done


@dataclass(frozen=True)
class FeedbackTotals:
    """The family feedback survey across the school's classes over the plan's year: how
    many answers came, the survey's minimum, and each question's mean level (in the
    survey's order) only when at least the minimum answered."""

    rounds: int
    answered: int
    minimum: int
    means: tuple[tuple[str, float], ...]  # (question, mean level 1 to 4)


@dataclass(frozen=True)
class SchoolView:
    """The principal's and coordinator's view across the school: counts only, no student
    named; a count under the privacy minimum is None (shown as "fewer than N")."""

    partners_active: int
    agreements_lapsing: int
    service_hours: float
    career_hours: float
    matches_active: int | None  # open matches are students mentored: hidden under 5 too
    matches_flagged: int | None
    matches_healthy: int | None
    students_mentored: int | None
    students_in_service: int | None
    students_placed: int | None
    coverage: tuple[Coverage, ...]
