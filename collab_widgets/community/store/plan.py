"""The school's one-year partnership plan: goals (academic ones may link a PLC goal of one of
the school's teams), the activities planned for each with their evaluation, the coverage of
the six types of involvement from everything done in the plan's dates (the plan, the
community, the school's classes' families, mentoring, service learning, careers), the
year's family feedback, and the school's view in numbers (no student named).

Family rows are read only for the school's classes: those of its teams."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict

import sqlalchemy as sa

from collab_widgets.community import rules
from collab_widgets.community import tables as c
from collab_widgets.community.model import (
    GOAL_KINDS,
    Clearance,
    Coverage,
    FeedbackTotals,
    Plan,
    PlanActivity,
    PlanGoal,
    SchoolView,
)
from collab_widgets.community.store import partners, projects, schools
from collab_widgets.core.db import Connection, SchoolScope
from collab_widgets.core.db import tables as t
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.families import tables as f
from collab_widgets.families.library import INVOLVEMENT_IDS, load_feedback_survey
from collab_widgets.goals import tables as g
from collab_widgets.students import tables as s

MAX_TITLE = 120
MAX_ACTIVITY = 200
MAX_GOAL = 2000
MAX_EVALUATION = 20000
YEAR = dt.timedelta(days=365)
COMMUNITY = "collaborating-with-community"

# the sources of coverage, as the report names them
PLAN = "Partnership plan"
COMMUNITY_ACTIVITIES = "Community activities"
FAMILY_MEETINGS = "Family meetings"
FAMILY_WORKSHOPS = "Family workshops"
CONFERENCES = "Conferences"
MENTORING = "Mentoring meetings"
SERVICE = "Service learning"
CAREERS = "Career events"

NO_PLAN = "That plan is no longer here."
NO_GOAL = "That goal is no longer here."
NO_ACTIVITY = "That planned activity is no longer here."


def _day(day: dt.date) -> str:
    return f"{day:%d %B %Y}"


def _check_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    rules.check_date(starts_on, "the day the plan starts")
    rules.check_date(ends_on, "the day the plan ends")
    if ends_on <= starts_on:
        raise InvalidInput(
            f"The plan ends ({_day(ends_on)}) before it starts ({_day(starts_on)}): choose an "
            "end date after the start date."
        )


def _require_plan(conn: Connection, scope: SchoolScope, plan_id: int):
    row = conn.execute(
        sa.select(c.partnership_plans).where(
            c.partnership_plans.c.id == plan_id,
            c.partnership_plans.c.school_id == scope.school_id,
        )
    ).first()
    if row is None:
        raise NotFound(NO_PLAN)
    return row


def _refuse_same_title(
    conn: Connection, scope: SchoolScope, title: str, plan_id: int | None = None
) -> None:
    for row in conn.execute(
        sa.select(c.partnership_plans.c.id, c.partnership_plans.c.title).where(
            c.partnership_plans.c.school_id == scope.school_id
        )
    ):
        if row.id != plan_id and rules.fold(row.title) == rules.fold(title):
            raise InvalidInput(
                f"There is already a plan called “{row.title}”: open it, or give this one "
                "another title (for example the school year, 2026–27)."
            )


def _activity_dates(conn: Connection, plan_id: int) -> list[dt.date]:
    return list(
        conn.execute(
            sa.select(c.plan_activities.c.planned_on)
            .join(c.plan_goals, c.plan_goals.c.id == c.plan_activities.c.goal_id)
            .where(c.plan_goals.c.plan_id == plan_id)
        ).scalars()
    )


def _check_in_plan(day: dt.date, plan_row) -> None:
    rules.check_date(day, "the activity's day")
    if not plan_row.starts_on <= day <= plan_row.ends_on:
        raise InvalidInput(
            f"{_day(day)} is outside the plan “{plan_row.title}” ({_day(plan_row.starts_on)} "
            f"to {_day(plan_row.ends_on)}): choose a date within it."
        )


# --- plans ---------------------------------------------------------------------------------


def create_plan(scope: SchoolScope, title: str, starts_on: dt.date, ends_on: dt.date) -> int:
    title = rules.line(title, "the plan's title", MAX_TITLE)
    _check_dates(starts_on, ends_on)
    with scope.writing() as conn:
        _refuse_same_title(conn, scope, title)
        plan_id = conn.execute(
            c.partnership_plans.insert().values(
                school_id=scope.school_id,
                title=title,
                starts_on=starts_on,
                ends_on=ends_on,
                evaluation="",
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(conn, scope, "plan", f"started the partnership plan “{title}”")
    return plan_id


def update_plan(
    scope: SchoolScope, plan_id: int, title: str, starts_on: dt.date, ends_on: dt.date
) -> None:
    """A plan's title and dates; refused when an activity planned would fall outside."""
    title = rules.line(title, "the plan's title", MAX_TITLE)
    _check_dates(starts_on, ends_on)
    with scope.writing() as conn:
        _require_plan(conn, scope, plan_id)
        _refuse_same_title(conn, scope, title, plan_id)
        outside = [d for d in _activity_dates(conn, plan_id) if not starts_on <= d <= ends_on]
        if outside:
            raise InvalidInput(
                f"An activity is planned on {_day(min(outside))}, outside these dates: move it "
                "first, or keep dates that include it."
            )
        conn.execute(
            c.partnership_plans.update()
            .where(c.partnership_plans.c.id == plan_id)
            .values(title=title, starts_on=starts_on, ends_on=ends_on)
        )
        schools.record(conn, scope, "plan", f"changed the partnership plan “{title}”")


def delete_plan(scope: SchoolScope, plan_id: int) -> None:
    """The plan with its goals and activities."""
    with scope.writing() as conn:
        row = _require_plan(conn, scope, plan_id)
        conn.execute(c.partnership_plans.delete().where(c.partnership_plans.c.id == plan_id))
        schools.record(conn, scope, "plan", f"deleted the partnership plan “{row.title}”")


def set_evaluation(scope: SchoolScope, plan_id: int, text: str) -> None:
    """The year-end evaluation, as typed (its lines kept)."""
    text = (text or "").strip()
    if len(text) > MAX_EVALUATION:
        raise InvalidInput(f"The evaluation is too long: keep it to {MAX_EVALUATION} characters.")
    with scope.writing() as conn:
        row = _require_plan(conn, scope, plan_id)
        conn.execute(
            c.partnership_plans.update()
            .where(c.partnership_plans.c.id == plan_id)
            .values(evaluation=text)
        )
        schools.record(conn, scope, "plan", f"wrote the evaluation of “{row.title}”")


# --- goals ---------------------------------------------------------------------------------


def _team_goal_names(conn: Connection, scope: SchoolScope) -> dict[int, str]:
    """The school's teams' PLC goals (not in the trash), as "Team — goal": the latest saved
    statement, or the cycle's title while none is saved."""
    latest = (
        sa.select(
            g.goal_versions.c.goal_id, sa.func.max(g.goal_versions.c.version).label("version")
        )
        .group_by(g.goal_versions.c.goal_id)
        .subquery()
    )
    rows = conn.execute(
        sa.select(
            g.goals.c.id,
            t.teams.c.name.label("team"),
            g.cycles.c.title.label("cycle"),
            g.goal_versions.c.statement,
        )
        .join(t.teams, t.teams.c.id == g.goals.c.team_id)
        .join(g.cycles, g.cycles.c.id == g.goals.c.cycle_id)
        .outerjoin(latest, latest.c.goal_id == g.goals.c.id)
        .outerjoin(
            g.goal_versions,
            sa.and_(
                g.goal_versions.c.goal_id == g.goals.c.id,
                g.goal_versions.c.version == latest.c.version,
            ),
        )
        .where(
            g.goals.c.team_id.in_(schools.team_ids(conn, scope)),
            g.goals.c.deleted_at.is_(None),
            g.cycles.c.deleted_at.is_(None),
        )
        .order_by(t.teams.c.name, g.goals.c.id)
    ).all()
    return {
        row.id: f"{row.team} — {row.statement or f'a goal of “{row.cycle}” not yet saved'}"
        for row in rows
    }


def team_goals(scope: SchoolScope) -> list[tuple[int, str]]:
    """(id, "Team — goal") of the PLC goals an academic goal may link."""
    with scope.reading() as conn:
        return list(_team_goal_names(conn, scope).items())


def _check_goal(conn: Connection, scope: SchoolScope, kind: str, team_goal_id: int | None) -> None:
    if kind not in GOAL_KINDS:
        raise InvalidInput(f"Choose the kind of goal: {', '.join(GOAL_KINDS)}.")
    if team_goal_id is None:
        return
    if kind != "academic":
        raise InvalidInput("Only an academic goal links a team's PLC goal.")
    if team_goal_id not in _team_goal_names(conn, scope):
        raise InvalidInput(
            "That PLC goal is not one of this school's teams' goals: choose one from the list."
        )


def add_goal(
    scope: SchoolScope, plan_id: int, kind: str, text: str, team_goal_id: int | None = None
) -> int:
    """A goal of the plan: academic, behaviour or climate; an academic one may link a PLC
    goal of one of the school's teams."""
    text = rules.line(text, "the goal", MAX_GOAL)
    with scope.writing() as conn:
        plan_row = _require_plan(conn, scope, plan_id)
        _check_goal(conn, scope, kind, team_goal_id)
        goal_id = conn.execute(
            c.plan_goals.insert().values(
                school_id=scope.school_id,
                plan_id=plan_id,
                kind=kind,
                text=text,
                team_goal_id=team_goal_id,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(conn, scope, "plan", f"added a {kind} goal to “{plan_row.title}”")
    return goal_id


def _require_goal(conn: Connection, scope: SchoolScope, goal_id: int):
    row = conn.execute(
        sa.select(c.plan_goals).where(
            c.plan_goals.c.id == goal_id, c.plan_goals.c.school_id == scope.school_id
        )
    ).first()
    if row is None:
        raise NotFound(NO_GOAL)
    return row


def update_goal(
    scope: SchoolScope, goal_id: int, kind: str, text: str, team_goal_id: int | None = None
) -> None:
    text = rules.line(text, "the goal", MAX_GOAL)
    with scope.writing() as conn:
        row = _require_goal(conn, scope, goal_id)
        _check_goal(conn, scope, kind, team_goal_id)
        conn.execute(
            c.plan_goals.update()
            .where(c.plan_goals.c.id == goal_id)
            .values(kind=kind, text=text, team_goal_id=team_goal_id)
        )
        plan_row = _require_plan(conn, scope, row.plan_id)
        schools.record(conn, scope, "plan", f"changed a goal of “{plan_row.title}”")


def remove_goal(scope: SchoolScope, goal_id: int) -> None:
    """The goal with its activities."""
    with scope.writing() as conn:
        row = _require_goal(conn, scope, goal_id)
        plan_row = _require_plan(conn, scope, row.plan_id)
        conn.execute(c.plan_goals.delete().where(c.plan_goals.c.id == goal_id))
        schools.record(conn, scope, "plan", f"removed a {row.kind} goal of “{plan_row.title}”")


# --- activities planned, and their evaluation ----------------------------------------------


def _check_activity(
    title: str, involvement: str, responsible: str, expected: int
) -> tuple[str, str, str, int]:
    title = rules.line(title, "the activity's title", MAX_ACTIVITY)
    if involvement not in INVOLVEMENT_IDS:
        raise InvalidInput("Choose the type of involvement the activity is for.")
    responsible = rules.line(responsible, "who is responsible", partners.MAX_NAME)
    return title, involvement, responsible, rules.check_participants(expected)


def add_activity(
    scope: SchoolScope,
    goal_id: int,
    title: str,
    involvement: str,
    planned_on: dt.date,
    responsible: str,
    expected: int,
) -> int:
    """An activity for the goal: its type of involvement, its date (within the plan's),
    who is responsible and how many people are expected."""
    title, involvement, responsible, expected = _check_activity(
        title, involvement, responsible, expected
    )
    with scope.writing() as conn:
        goal_row = _require_goal(conn, scope, goal_id)
        plan_row = _require_plan(conn, scope, goal_row.plan_id)
        _check_in_plan(planned_on, plan_row)
        activity_id = conn.execute(
            c.plan_activities.insert().values(
                school_id=scope.school_id,
                goal_id=goal_id,
                title=title,
                involvement=involvement,
                planned_on=planned_on,
                responsible=responsible,
                expected=expected,
                happened=None,
                participants=None,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(
            conn, scope, "plan", f"planned “{title}” on {planned_on.isoformat()} ({plan_row.title})"
        )
    return activity_id


def _require_activity(conn: Connection, scope: SchoolScope, activity_id: int):
    row = conn.execute(
        sa.select(c.plan_activities, c.plan_goals.c.plan_id)
        .join(c.plan_goals, c.plan_goals.c.id == c.plan_activities.c.goal_id)
        .where(
            c.plan_activities.c.id == activity_id,
            c.plan_activities.c.school_id == scope.school_id,
        )
    ).first()
    if row is None:
        raise NotFound(NO_ACTIVITY)
    return row


def update_activity(
    scope: SchoolScope,
    activity_id: int,
    title: str,
    involvement: str,
    planned_on: dt.date,
    responsible: str,
    expected: int,
) -> None:
    title, involvement, responsible, expected = _check_activity(
        title, involvement, responsible, expected
    )
    with scope.writing() as conn:
        row = _require_activity(conn, scope, activity_id)
        _check_in_plan(planned_on, _require_plan(conn, scope, row.plan_id))
        conn.execute(
            c.plan_activities.update()
            .where(c.plan_activities.c.id == activity_id)
            .values(
                title=title,
                involvement=involvement,
                planned_on=planned_on,
                responsible=responsible,
                expected=expected,
            )
        )
        schools.record(conn, scope, "plan", f"changed the planned activity “{title}”")


def remove_activity(scope: SchoolScope, activity_id: int) -> None:
    with scope.writing() as conn:
        row = _require_activity(conn, scope, activity_id)
        conn.execute(c.plan_activities.delete().where(c.plan_activities.c.id == activity_id))
        schools.record(conn, scope, "plan", f"removed the planned activity “{row.title}”")


def set_outcome(
    scope: SchoolScope, activity_id: int, happened: bool | None, participants: int | None
) -> None:
    """Whether the activity happened and how many came; None for not yet said. An activity
    that did not happen had no participants; one still to come cannot have happened."""
    if not (happened is None or happened is True or happened is False):
        raise InvalidInput("Say whether the activity happened: yes, no, or not yet said.")
    if happened and participants is not None:
        participants = rules.check_participants(participants)
    elif not happened:
        participants = None
    with scope.writing() as conn:
        row = _require_activity(conn, scope, activity_id)
        if happened and row.planned_on > scope.store.clock.today():
            raise InvalidInput(
                f"“{row.title}” is planned for {row.planned_on:%d %B %Y}: say whether it "
                "happened once the day has come."
            )
        conn.execute(
            c.plan_activities.update()
            .where(c.plan_activities.c.id == activity_id)
            .values(happened=happened, participants=participants)
        )
        said = {None: "not yet said", True: "happened", False: "did not happen"}[happened]
        schools.record(conn, scope, "plan", f"“{row.title}”: {said}")


# --- reading a plan ------------------------------------------------------------------------


def _activity(row) -> PlanActivity:
    return PlanActivity(
        row.id,
        row.goal_id,
        row.title,
        row.involvement,
        row.planned_on,
        row.responsible,
        row.expected,
        row.happened,
        row.participants,
    )


def _plan(conn: Connection, scope: SchoolScope, row) -> Plan:
    goal_rows = conn.execute(
        sa.select(c.plan_goals).where(c.plan_goals.c.plan_id == row.id).order_by(c.plan_goals.c.id)
    ).all()
    activity_rows = conn.execute(
        sa.select(c.plan_activities)
        .join(c.plan_goals, c.plan_goals.c.id == c.plan_activities.c.goal_id)
        .where(c.plan_goals.c.plan_id == row.id)
        .order_by(c.plan_activities.c.planned_on, c.plan_activities.c.id)
    ).all()
    team_goals_by_id = (
        _team_goal_names(conn, scope) if any(goal.team_goal_id for goal in goal_rows) else {}
    )
    goals = tuple(
        PlanGoal(
            goal.id,
            goal.kind,
            goal.text,
            team_goals_by_id.get(goal.team_goal_id, ""),
            tuple(_activity(a) for a in activity_rows if a.goal_id == goal.id),
        )
        for goal in goal_rows
    )
    return Plan(row.id, row.title, row.starts_on, row.ends_on, row.evaluation, goals)


def plan(scope: SchoolScope, plan_id: int) -> Plan:
    with scope.reading() as conn:
        return _plan(conn, scope, _require_plan(conn, scope, plan_id))


def plans(scope: SchoolScope) -> list[Plan]:
    """The school's plans, the latest first."""
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(c.partnership_plans)
            .where(c.partnership_plans.c.school_id == scope.school_id)
            .order_by(c.partnership_plans.c.starts_on.desc(), c.partnership_plans.c.id.desc())
        ).all()
        return [_plan(conn, scope, row) for row in rows]


def _current_plan_row(conn: Connection, scope: SchoolScope, today: dt.date):
    return conn.execute(
        sa.select(c.partnership_plans)
        .where(
            c.partnership_plans.c.school_id == scope.school_id,
            c.partnership_plans.c.starts_on <= today,
            c.partnership_plans.c.ends_on >= today,
        )
        .order_by(c.partnership_plans.c.starts_on.desc(), c.partnership_plans.c.id.desc())
    ).first()


def current_plan(scope: SchoolScope) -> Plan | None:
    """The plan whose dates include today (the latest started, if several)."""
    with scope.reading() as conn:
        row = _current_plan_row(conn, scope, scope.store.clock.today())
        return None if row is None else _plan(conn, scope, row)


# --- coverage ------------------------------------------------------------------------------


def _school_classes(conn: Connection, scope: SchoolScope):
    """The ids of the school's classes (its teams' classes), as a subquery."""
    return sa.select(s.classes.c.id).where(s.classes.c.team_id.in_(schools.team_ids(conn, scope)))


def _done(
    conn: Connection, scope: SchoolScope, planned: list[PlanActivity], start: dt.date, end: dt.date
) -> dict[str, dict[str, int]]:
    """What was done from ``start`` to ``end`` (both included), by type of involvement and
    source: the plan's activities that happened, and every dated record of the school."""
    done: dict[str, Counter] = defaultdict(Counter)
    for activity in planned:
        if activity.happened:
            done[activity.involvement][PLAN] += 1
    ca = c.community_activities.c
    for involvement, count in conn.execute(
        sa.select(ca.involvement, sa.func.count())
        .where(ca.school_id == scope.school_id, ca.held_on.between(start, end))
        .group_by(ca.involvement)
    ):
        done[involvement][COMMUNITY_ACTIVITIES] += count
    classes = _school_classes(conn, scope)
    for (kinds,) in conn.execute(
        sa.select(f.family_meetings.c.involvement).where(
            f.family_meetings.c.class_id.in_(classes),
            f.family_meetings.c.held_on.between(start, end),
        )
    ):
        for kind in json.loads(kinds):
            done[kind][FAMILY_MEETINGS] += 1
    for involvement, count in conn.execute(
        sa.select(f.family_workshops.c.involvement, sa.func.count())
        .where(
            f.family_workshops.c.class_id.in_(classes),
            f.family_workshops.c.held_on.between(start, end),
        )
        .group_by(f.family_workshops.c.involvement)
    ):
        done[involvement][FAMILY_WORKSHOPS] += count
    # conferences are communicating, once per class that held them (as the families count)
    done["communicating"][CONFERENCES] += conn.execute(
        sa.select(sa.func.count(sa.distinct(f.conference_slots.c.class_id))).where(
            f.conference_slots.c.class_id.in_(classes),
            f.conference_slots.c.family_id.is_not(None),
            f.conference_slots.c.day.between(start, end),
        )
    ).scalar_one()
    for source, column in (
        (MENTORING, c.mentor_logs.c.met_on),
        (SERVICE, c.service_hours.c.served_on),
        (CAREERS, c.career_events.c.held_on),
    ):
        done[COMMUNITY][source] += conn.execute(
            sa.select(sa.func.count()).where(
                column.table.c.school_id == scope.school_id, column.between(start, end)
            )
        ).scalar_one()
    return {kind: dict(counts) for kind, counts in done.items()}


def _coverage(
    conn: Connection, scope: SchoolScope, planned: list[PlanActivity], start: dt.date, end: dt.date
) -> tuple[Coverage, ...]:
    # done means done: a record dated after today is not counted yet
    end = min(end, scope.store.clock.today())
    return rules.coverage(planned, _done(conn, scope, planned, start, end))


def coverage(scope: SchoolScope, plan_id: int) -> tuple[Coverage, ...]:
    """Per type of involvement: planned, happened, and done from every source in the plan's
    dates (up to today)."""
    with scope.reading() as conn:
        row = _require_plan(conn, scope, plan_id)
        found = _plan(conn, scope, row)
        planned = [a for goal in found.goals for a in goal.activities]
        return _coverage(conn, scope, planned, row.starts_on, row.ends_on)


# --- the year's family feedback ------------------------------------------------------------


def year_end_feedback(scope: SchoolScope, plan_id: int) -> FeedbackTotals:
    """The family feedback survey's rounds opened in the plan's dates in the school's
    classes, added up: each question's mean only from the survey's minimum of answers to
    that question (rounds may have asked different questions)."""
    survey = load_feedback_survey()
    with scope.reading() as conn:
        row = _require_plan(conn, scope, plan_id)
        rounds = conn.execute(
            sa.select(f.feedback_rounds.c.id, f.feedback_rounds.c.questions).where(
                f.feedback_rounds.c.class_id.in_(_school_classes(conn, scope)),
                f.feedback_rounds.c.opened_on.between(row.starts_on, row.ends_on),
            )
        ).all()
        asked = {r.id: set(json.loads(r.questions)) for r in rounds}
        answered = conn.execute(
            sa.select(sa.func.count()).where(f.feedback_receipts.c.round_id.in_(list(asked)))
        ).scalar_one()
        counts = conn.execute(
            sa.select(
                f.feedback_counts.c.round_id,
                f.feedback_counts.c.question,
                f.feedback_counts.c.level,
                f.feedback_counts.c.families,
            ).where(f.feedback_counts.c.round_id.in_(list(asked)))
        ).all()
    points: dict[str, list[int]] = {}
    for count in counts:
        if count.question in asked[count.round_id]:
            total = points.setdefault(count.question, [0, 0])
            total[0] += count.level * count.families
            total[1] += count.families
    means = {question: p / n for question, (p, n) in points.items() if n >= survey.min_respondents}
    return FeedbackTotals(
        rounds=len(rounds),
        answered=answered,
        minimum=survey.min_respondents,
        means=tuple(
            (question.text["en"], means[question.id])
            for question in survey.questions
            if question.id in means
        ),
    )


# --- the school's view ---------------------------------------------------------------------


def _partners_active(conn: Connection, scope: SchoolScope, today: dt.date) -> int:
    """Partners with an agreement covering today or something done with them in the last
    365 days."""
    since = today - YEAR
    active = set(
        conn.execute(
            sa.select(c.partner_agreements.c.partner_id).where(
                c.partner_agreements.c.school_id == scope.school_id,
                c.partner_agreements.c.starts_on <= today,
                c.partner_agreements.c.ends_on >= today,
            )
        ).scalars()
    )
    for column in (c.community_activities.c.held_on, c.career_events.c.held_on):
        table = column.table
        active |= set(
            conn.execute(
                sa.select(table.c.partner_id).where(
                    table.c.school_id == scope.school_id,
                    table.c.partner_id.is_not(None),
                    column.between(since, today),
                )
            ).scalars()
        )
    for table in (c.service_projects, c.mentoring_programmes):
        active |= set(
            conn.execute(
                sa.select(table.c.partner_id).where(
                    table.c.school_id == scope.school_id,
                    table.c.partner_id.is_not(None),
                    table.c.starts_on <= today,
                    table.c.ends_on >= since,
                )
            ).scalars()
        )
    return len(active)


def _matches(conn: Connection, scope: SchoolScope, today: dt.date) -> tuple[int, int, int]:
    """Open matches: how many, how many flagged, and how many distinct students."""
    m, mentor = c.mentor_matches.c, c.mentors.c
    last_met = (
        sa.select(sa.func.max(c.mentor_logs.c.met_on))
        .where(c.mentor_logs.c.match_id == m.id)
        .scalar_subquery()
    )
    rows = conn.execute(
        sa.select(
            m.started_on,
            mentor.cleared_on,
            mentor.clearance_expires_on,
            mentor.cleared_by,
            c.mentoring_programmes.c.minutes_a_week,
            c.mentees.c.student_id,
            last_met.label("last_met"),
        )
        .join(c.mentors, mentor.id == m.mentor_id)
        .join(c.mentees, c.mentees.c.id == m.mentee_id)
        .join(c.mentoring_programmes, c.mentoring_programmes.c.id == m.programme_id)
        .where(m.school_id == scope.school_id, m.closed_on.is_(None), m.started_on <= today)
    ).all()
    flagged = sum(
        1
        for row in rows
        if rules.match_flags(
            Clearance(row.cleared_on, row.clearance_expires_on, row.cleared_by),
            row.last_met,
            row.started_on,
            today,
            row.minutes_a_week,
        )
    )
    return len(rows), flagged, len({row.student_id for row in rows})


def school_view(scope: SchoolScope, plan_id: int | None = None) -> SchoolView:
    """The school in numbers: partners active, agreements running out, open matches (as of
    today); hours, students (under the minimum hidden) and the coverage over a plan's dates
    up to today: the given plan's, else the current one's, else the last 365 days'."""
    today = scope.store.clock.today()
    lapsing = len(partners.reminders(scope))
    with scope.reading() as conn:
        if plan_id is None:
            row = _current_plan_row(conn, scope, today)
        else:
            row = _require_plan(conn, scope, plan_id)
        if row is None:
            planned, start, end = [], today - YEAR, today
        else:
            found = _plan(conn, scope, row)
            planned = [a for goal in found.goals for a in goal.activities]
            start, end = row.starts_on, min(row.ends_on, today)
        active, flagged, mentored = _matches(conn, scope, today)
        partners_active = _partners_active(conn, scope, today)
        coverage_found = _coverage(conn, scope, planned, start, end)
    hours = projects.hours_summary(scope, start, end)
    return SchoolView(
        partners_active=partners_active,
        agreements_lapsing=lapsing,
        service_hours=hours.service_hours,
        career_hours=hours.career_hours,
        # each open match is a student mentored: the same minimum hides all three
        matches_active=rules.suppressed(active),
        matches_flagged=flagged if rules.suppressed(active) is not None else None,
        matches_healthy=active - flagged if rules.suppressed(active) is not None else None,
        students_mentored=rules.suppressed(mentored),
        students_in_service=rules.suppressed(hours.students_in_service),
        students_placed=rules.suppressed(hours.students_placed),
        coverage=coverage_found,
    )
