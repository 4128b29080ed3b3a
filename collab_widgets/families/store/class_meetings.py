"""Class family meetings: prepared by the class's teacher from a saved assessment (the
skill, each child's own result, the class graph as counts per bin), the agenda and the
home activities; on the day, attendance and each family's 60-day goal (written on the
family's own page, :mod:`collab_widgets.families.store.family`); at the next meeting the
new graph and each goal's progress. The class's teacher reads children's results and
goals; the team reads the meetings and the counts (:func:`participation`)."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from collab_widgets.core.db import Connection, TeamScope, activity
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.evidence import store as evidence
from collab_widgets.families import rules
from collab_widgets.families import tables as f
from collab_widgets.families.library import INVOLVEMENT_IDS
from collab_widgets.families.model import Bin, FamilyGoal, Meeting, Participation, Progress
from collab_widgets.families.store.guardians import require_own_family
from collab_widgets.students import tables as s
from collab_widgets.students.store import classes

NO_MEETING = "That family meeting is no longer here."


def _meeting(row) -> Meeting:
    bins = json.loads(row.bins)
    return Meeting(
        id=row.id,
        class_id=row.class_id,
        title=row.title,
        held_on=row.held_on,
        starts_at=row.starts_at,
        skill=row.skill,
        assessment_name=row.assessment_name,
        bins=None if bins is None else tuple(Bin(*b) for b in bins),
        agenda=tuple(json.loads(row.agenda)),
        activities=tuple(json.loads(row.activities)),
        involvement=tuple(json.loads(row.involvement)),
    )


def _meeting_row(conn: Connection, scope: TeamScope, meeting_id: int):
    row = conn.execute(
        sa.select(f.family_meetings).where(
            f.family_meetings.c.id == meeting_id, f.family_meetings.c.team_id == scope.team_id
        )
    ).first()
    if row is None:
        raise NotFound(NO_MEETING)
    return row


def _own_meeting(conn: Connection, scope: TeamScope, meeting_id: int):
    row = _meeting_row(conn, scope, meeting_id)
    classes.require_own_class(conn, scope, row.class_id)
    return row


def prepare_meeting(
    scope: TeamScope,
    class_id: int,
    *,
    title: str,
    held_on: dt.date,
    starts_at: str,
    skill: str,
    assessment_id: int | None,
    assessment_name: str,
    results: dict[int, float | None],
    agenda: list[dict],
    activities: list[dict],
    involvement: tuple[str, ...] = ("learning-at-home", "communicating"),
) -> int:
    """A class family meeting of the teacher's class. ``results``: each class student's
    percent on the skill (None: no result), copied now, so families see what was shown on
    the day; the graph is its counts per bin, or none for a class too small to show
    (fewer children with a result than the team's smallest group shown)."""
    title = rules.check_title(title, "the meeting's title")
    skill = rules.check_title(skill, "the skill")
    starts_at = rules.check_time(starts_at)
    unknown = [i for i in involvement if i not in INVOLVEMENT_IDS]
    if unknown:
        raise InvalidInput(f"Unknown types of involvement: {', '.join(unknown)}.")
    with scope.reading() as conn:  # before the team's settings are read (or first made)
        classes.require_own_class(conn, scope, class_id)
    bins = rules.bins_of(results.values(), evidence.settings(scope).min_n)
    with scope.writing() as conn:
        row = classes.require_own_class(conn, scope, class_id)
        students = set(
            conn.execute(
                sa.select(s.class_students.c.id).where(s.class_students.c.class_id == class_id)
            ).scalars()
        )
        meeting_id = conn.execute(
            f.family_meetings.insert().values(
                team_id=scope.team_id,
                class_id=class_id,
                title=title,
                held_on=held_on,
                starts_at=starts_at,
                skill=skill,
                assessment_id=assessment_id,
                assessment_name=assessment_name[:200],
                bins=json.dumps(None if bins is None else [[b.low, b.high, b.count] for b in bins]),
                agenda=json.dumps(agenda),
                activities=json.dumps(activities),
                involvement=json.dumps(list(involvement)),
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        for student_id, percent in results.items():
            if student_id in students:
                conn.execute(
                    f.family_results.insert().values(
                        team_id=scope.team_id,
                        meeting_id=meeting_id,
                        student_id=student_id,
                        percent=percent,
                    )
                )
        classes.bump(conn, class_id)
        activity.record(
            conn, scope, "families", f"prepared the family meeting “{title}” of “{row.name}”"
        )
    return meeting_id


def meetings(scope: TeamScope, class_id: int) -> list[Meeting]:
    """The class's family meetings, by date."""
    with scope.reading() as conn:
        classes.require_class(conn, scope, class_id)
        rows = conn.execute(
            sa.select(f.family_meetings)
            .where(f.family_meetings.c.class_id == class_id)
            .order_by(f.family_meetings.c.held_on, f.family_meetings.c.id)
        ).all()
    return [_meeting(row) for row in rows]


def delete_meeting(scope: TeamScope, meeting_id: int) -> None:
    with scope.writing() as conn:
        row = _own_meeting(conn, scope, meeting_id)
        conn.execute(f.family_meetings.delete().where(f.family_meetings.c.id == meeting_id))
        classes.bump(conn, row.class_id)
        activity.record(conn, scope, "families", f"deleted the family meeting “{row.title}”")


def results(scope: TeamScope, meeting_id: int) -> dict[int, float | None]:
    """Each child's own result at the meeting (the class's teacher only)."""
    with scope.reading() as conn:
        _own_meeting(conn, scope, meeting_id)
        rows = conn.execute(
            sa.select(f.family_results.c.student_id, f.family_results.c.percent).where(
                f.family_results.c.meeting_id == meeting_id
            )
        ).all()
    return {row.student_id: row.percent for row in rows}


def set_present(scope: TeamScope, meeting_id: int, family_id: int, present: bool) -> None:
    with scope.writing() as conn:
        row = _own_meeting(conn, scope, meeting_id)
        require_own_family(conn, scope, family_id)
        where = (
            f.family_attendance.c.meeting_id == meeting_id,
            f.family_attendance.c.family_id == family_id,
        )
        conn.execute(f.family_attendance.delete().where(*where))
        if present:
            conn.execute(
                f.family_attendance.insert().values(
                    team_id=scope.team_id,
                    meeting_id=meeting_id,
                    family_id=family_id,
                    marked_at=scope.store.now(),
                )
            )
        classes.bump(conn, row.class_id)


def present(scope: TeamScope, meeting_id: int) -> set[int]:
    """The families marked present (the class's teacher only)."""
    with scope.reading() as conn:
        _own_meeting(conn, scope, meeting_id)
        return set(
            conn.execute(
                sa.select(f.family_attendance.c.family_id).where(
                    f.family_attendance.c.meeting_id == meeting_id
                )
            ).scalars()
        )


def goal_of(row) -> FamilyGoal:
    return FamilyGoal(
        id=row.id,
        family_id=row.family_id,
        meeting_id=row.meeting_id,
        practice=row.practice,
        times_per_week=row.times_per_week,
        target=row.target,
        by_date=row.by_date,
        version=row.version,
        written_at=row.written_at,
    )


def goal_progress(conn: Connection, class_id: int, student_id: int, goal: FamilyGoal) -> Progress:
    """A goal against the child's results: at its meeting, and at the meetings after."""
    rows = conn.execute(
        sa.select(f.family_meetings.c.id, f.family_results.c.percent)
        .join(f.family_results, f.family_results.c.meeting_id == f.family_meetings.c.id)
        .where(
            f.family_meetings.c.class_id == class_id,
            f.family_results.c.student_id == student_id,
        )
        .order_by(f.family_meetings.c.held_on, f.family_meetings.c.id)
    ).all()
    ids = [row.id for row in rows]
    if goal.meeting_id not in ids:
        return rules.progress(goal.target, None, [])
    at = ids.index(goal.meeting_id)
    return rules.progress(goal.target, rows[at].percent, [row.percent for row in rows[at + 1 :]])


def goals(scope: TeamScope, class_id: int) -> list[tuple[FamilyGoal, Progress]]:
    """Every family's goals with their progress (the class's teacher only)."""
    with scope.reading() as conn:
        classes.require_own_class(conn, scope, class_id)
        rows = conn.execute(
            sa.select(f.family_goals, f.families.c.student_id)
            .join(f.families, f.families.c.id == f.family_goals.c.family_id)
            .where(f.families.c.class_id == class_id)
            .order_by(f.family_goals.c.id)
        ).all()
        return [
            (goal, goal_progress(conn, class_id, row.student_id, goal))
            for row in rows
            for goal in [goal_of(row)]
        ]


def participation(scope: TeamScope, class_id: int) -> Participation:
    """The class's families in numbers: the team's and the coach's view (no family named)."""
    with scope.reading() as conn:
        row = classes.require_class(conn, scope, class_id)
        return _participation(conn, row, scope.store.clock.today())


def _participation(conn: Connection, class_row, today: dt.date) -> Participation:
    class_id = class_row.id

    def count(query) -> int:
        return conn.execute(query).scalar_one()

    families = f.families.c.class_id == class_id
    with_link = count(
        sa.select(sa.func.count(sa.distinct(f.family_guardians.c.family_id)))
        .join(f.families, f.families.c.id == f.family_guardians.c.family_id)
        .where(families, f.family_guardians.c.code_hash.is_not(None))
    )
    meeting_rows = conn.execute(
        sa.select(f.family_meetings.c.id, f.family_meetings.c.involvement)
        .where(f.family_meetings.c.class_id == class_id)
        .order_by(f.family_meetings.c.held_on, f.family_meetings.c.id)
    ).all()
    attended = tuple(
        count(sa.select(sa.func.count()).where(f.family_attendance.c.meeting_id == meeting.id))
        for meeting in meeting_rows
    )
    goal_rows = conn.execute(
        sa.select(f.family_goals, f.families.c.student_id)
        .join(f.families, f.families.c.id == f.family_goals.c.family_id)
        .where(families)
    ).all()
    reached = sum(
        goal_progress(conn, class_id, row.student_id, goal_of(row)).status == "reached"
        for row in goal_rows
    )
    booked = count(
        sa.select(sa.func.count()).where(
            f.conference_slots.c.class_id == class_id, f.conference_slots.c.family_id.is_not(None)
        )
    )
    workshop_rows = conn.execute(
        sa.select(f.family_workshops.c.id, f.family_workshops.c.involvement).where(
            f.family_workshops.c.class_id == class_id
        )
    ).all()
    came = count(
        sa.select(sa.func.count())
        .select_from(f.workshop_signups)
        .join(f.family_workshops, f.family_workshops.c.id == f.workshop_signups.c.workshop_id)
        .where(f.family_workshops.c.class_id == class_id, f.workshop_signups.c.attended)
    )
    involvement: dict[str, int] = dict.fromkeys(INVOLVEMENT_IDS, 0)
    for meeting in meeting_rows:
        for kind in json.loads(meeting.involvement):
            involvement[kind] = involvement.get(kind, 0) + 1
    for workshop in workshop_rows:
        involvement[workshop.involvement] = involvement.get(workshop.involvement, 0) + 1
    if booked:  # conferences: communicating, once per class that holds them
        involvement["communicating"] += 1
    return Participation(
        class_name=class_row.name,
        families=count(sa.select(sa.func.count()).where(families)),
        with_link=with_link,
        meetings=len(meeting_rows),
        attended=attended,
        goals=len(goal_rows),
        with_goal=len({row.family_id for row in goal_rows}),
        goals_reached=reached,
        conferences_booked=booked,
        workshop_attendance=came,
        involvement=involvement,
    )


def team_participation(scope: TeamScope) -> list[Participation]:
    """Every class of the team in numbers (the team's view and the coach's dashboard)."""
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(s.classes)
            .where(s.classes.c.team_id == scope.team_id)
            .order_by(s.classes.c.id)
        ).all()
        today = scope.store.clock.today()
        return [_participation(conn, row, today) for row in rows]
