"""The coach dashboard: one row per team the coach follows, from what the team's own pages
show a coach — never a private reflection, a single survey answer or a student's name:
the cycle's stage, the last meeting, the goal and its status, the latest assessment, open
and overdue actions, the collective-efficacy pulse (rounds under their minimum hidden) and
the norms check, each as a short trend. Sorting, filtering and the exports live here too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from collab_widgets.actions import store as actions
from collab_widgets.classroom import store as classroom
from collab_widgets.core.db import CoachScope, TeamScope
from collab_widgets.core.model import plural
from collab_widgets.core.spreadsheet_csv import spreadsheet_csv
from collab_widgets.evidence import store as evidence_store
from collab_widgets.families import rules as family_rules
from collab_widgets.families.store import class_meetings as family_meetings
from collab_widgets.goals import progress, team_goal
from collab_widgets.goals import store as goal_store
from collab_widgets.instruments import store as surveys
from collab_widgets.instruments.library import load_instruments
from collab_widgets.instruments.scoring import summarise
from collab_widgets.meetings import store as meetings
from collab_widgets.students.store import classes
from collab_widgets.team.store import norms, teams

PULSE = "collective-efficacy"
TREND_ROUNDS = 4  # the latest rounds (or meetings) a trend shows
NO_GOAL = "no goal"
# Sorted by goal status, the teams a coach should turn to first come first: a goal whose
# date passed under its target, then one below its line, then one the team cannot follow
# yet (incomplete: no status to give), then one without a checkpoint; the teams that need
# nothing (on track, met) after them, and last the teams with no saved goal in their cycle
# (nothing to follow on this table). Not alphabetical: "at risk" < "met" < "not met" put
# a missed goal below a met one.
STATUS_ORDER = (
    progress.NOT_MET,
    progress.AT_RISK,
    progress.INCOMPLETE,
    progress.NOT_STARTED,
    progress.ON_TRACK,
    progress.MET,
    NO_GOAL,
)


def _severity(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


SORTS = {
    "team": lambda r: r.name.casefold(),
    "last meeting": lambda r: r.last_meeting or dt.date.min,
    "overdue actions": lambda r: -r.overdue_actions,
    "goal status": lambda r: (_severity(r.goal_status), r.name.casefold()),
    "stage": lambda r: (r.stage, r.name.casefold()),
}


@dataclass(frozen=True)
class TeamRow:
    name: str
    code: str
    stage: str  # the current cycle's stage, or "no cycle"
    cycle: str
    last_meeting: dt.date | None
    goal: str  # the current cycle's first goal, as last saved ("" without one)
    goal_status: str
    latest_assessment: str
    open_actions: int
    overdue_actions: int
    pulse: tuple[float | None, ...]  # each recent round's mean; None when hidden
    norms: tuple[float, ...]  # each recent checked meeting's average end-of-meeting mark
    classroom: str = ""  # plans, lesson studies' stages, peer observations: counts only
    students: str = ""  # classes, students, groupings, teamwork checks: counts only
    families: str = ""  # links given, who came to the last meeting, goals reached: rates only

    @property
    def pulse_text(self) -> str:
        return " → ".join("hidden" if v is None else f"{v:.1f}" for v in self.pulse) or "none"

    @property
    def norms_text(self) -> str:
        return " → ".join(f"{v:.1f}" for v in self.norms) or "none"


def rows(coach: CoachScope) -> list[TeamRow]:
    """A row for each team the coach created or was given."""
    return [_row(coach.open_team(t.code)) for t in teams.coach_teams(coach)]


def _row(scope: TeamScope) -> TeamRow:
    today = scope.store.clock.today()
    cycles = goal_store.cycles(scope)
    current = next((c for c in cycles if c.starts_on <= today <= c.ends_on), None) or (
        cycles[0] if cycles else None
    )
    goal, status = "", NO_GOAL
    if current is not None:
        saved = [g for g in goal_store.goals(scope, current.id) if g.versions]
        if saved:
            goal = saved[0].latest.statement
            status = team_goal.state(scope, saved[0]).status
    held = [m.date for m in meetings.all_meetings(scope) if m.date <= today]
    assessments = evidence_store.assessments(scope)
    open_actions = actions.actions(scope, open_only=True)
    return TeamRow(
        name=scope.team_name,
        code=teams.team_code(scope),
        stage=current.stage if current else "no cycle",
        cycle=current.title if current else "",
        last_meeting=max(held) if held else None,
        goal=goal,
        goal_status=status,
        latest_assessment=assessments[0].name if assessments else "",
        open_actions=len(open_actions),
        overdue_actions=sum(a.overdue(today) for a in open_actions),
        pulse=_pulse(scope),
        norms=_norms(scope),
        classroom=_classroom(scope),
        students=_students(scope),
        families=_families(scope),
    )


def _classroom(scope: TeamScope) -> str:
    """Counts and stages only: never a word of a plan or a note, never who observed whom."""
    found = classroom.summary(scope)
    parts = [f"{found.plans} {'plan' if found.plans == 1 else 'plans'}"]
    if found.studies:
        parts.append("lesson study: " + ", ".join(found.studies))
    n = found.peer_observations
    parts.append(f"{n} peer {'observation' if n == 1 else 'observations'}")
    return " · ".join(parts)


def _students(scope: TeamScope) -> str:
    """Counts only: never a student's name, pseudonym, group or rating."""
    found = classes.summary(scope)
    if not found.classes:
        return "no class"
    return " · ".join(
        [
            plural(found.classes, "class", "classes"),
            plural(found.students, "student"),
            plural(found.groupings, "grouping"),
            plural(found.evaluations, "teamwork check"),
        ]
    )


def _families(scope: TeamScope) -> str:
    """Rates only, over the team's classes: never a family, a child, a goal or a count a
    family could be picked out by."""

    def rate(part: int, whole: int) -> str:
        shown = family_rules.rate(part, whole)
        return "—" if shown is None else f"{shown:.0f}%"

    found = [p for p in family_meetings.team_participation(scope) if p.families]
    if not found:
        return "no families yet"
    families = sum(p.families for p in found)
    parts = [f"links {rate(sum(p.with_link for p in found), families)}"]
    met = [p for p in found if p.attended]
    if not met:
        return " · ".join([*parts, "no meeting yet"])
    came = sum(p.attended[-1] for p in met)
    parts.append(f"latest meeting {rate(came, sum(p.families for p in met))} came")
    goals = sum(p.goals for p in met)
    parts.append(f"with a goal {rate(sum(p.with_goal for p in met), sum(p.families for p in met))}")
    if goals:
        parts.append(f"goals reached {rate(sum(p.goals_reached for p in met), goals)}")
    return " · ".join(parts)


def _pulse(scope: TeamScope) -> tuple[float | None, ...]:
    """The collective-efficacy pulse's mean per recent round, over all its items; a round
    under its minimum of answers stays hidden (None)."""
    instrument = load_instruments().get(PULSE)
    if instrument is None:
        return ()
    means = []
    for survey in surveys.rounds(scope, PULSE)[-TREND_ROUNDS:]:
        answers = surveys.results(scope, survey.id)
        if answers is None:
            means.append(None)
            continue
        summary = summarise(instrument, answers, survey.min_respondents)
        shown = [s.mean for s in summary.subscales if s.shown and s.mean is not None]
        means.append(sum(shown) / len(shown) if shown else None)
    return tuple(means)


def _norms(scope: TeamScope) -> tuple[float, ...]:
    """The average end-of-meeting norms mark of each recent meeting that has one."""
    kept = {n.id for n in norms.norms(scope)}
    found = []
    for meeting in reversed(meetings.all_meetings(scope)):  # oldest first
        marks = [
            s
            for s in meetings.check_summary(scope, meeting.id)
            if s.phase == "end" and s.norm_id in kept
        ]
        if marks:
            total = sum(s.mean * s.count for s in marks)
            found.append(total / sum(s.count for s in marks))
    return tuple(found[-TREND_ROUNDS:])


def sort_rows(found: list[TeamRow], by: str) -> list[TeamRow]:
    if by not in SORTS:
        raise ValueError(f"sort by one of: {', '.join(SORTS)}")
    return sorted(found, key=SORTS[by], reverse=by == "last meeting")


def filter_rows(
    found: list[TeamRow], stage: str = "", status: str = "", overdue_only: bool = False
) -> list[TeamRow]:
    return [
        r
        for r in found
        if (not stage or r.stage == stage)
        and (not status or r.goal_status == status)
        and (not overdue_only or r.overdue_actions > 0)
    ]


COLUMNS = (
    "Team",
    "Stage",
    "Cycle",
    "Last meeting",
    "Goal",
    "Goal status",
    "Latest assessment",
    "Open actions",
    "Overdue actions",
    "Pulse (collective efficacy)",
    "Norms check",
    "In the classroom",
    "Students together",
    "Families",
)


def cells(row: TeamRow) -> list[str | int]:
    return [
        row.name,
        row.stage,
        row.cycle,
        row.last_meeting.isoformat() if row.last_meeting else "",
        row.goal,
        row.goal_status,
        row.latest_assessment,
        row.open_actions,
        row.overdue_actions,
        row.pulse_text,
        row.norms_text,
        row.classroom,
        row.students,
        row.families,
    ]


def dashboard_csv(found: list[TeamRow]) -> str:
    """The dashboard for a principal: spreadsheet-safe text cells, numbers as numbers."""
    return spreadsheet_csv(COLUMNS, [cells(row) for row in found])


def dashboard_html(found: list[TeamRow], coach: str, made_at: dt.datetime) -> str:
    """The dashboard as one self-contained, printable page (escaped, no outside address)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("collab_widgets.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    template = env.get_template("dashboard.html.j2")
    return template.render(
        columns=COLUMNS, rows=[cells(r) for r in found], coach=coach, made_at=made_at
    )
