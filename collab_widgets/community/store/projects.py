"""Service-learning projects and career exploration: a class's project with a partner, its
student teams (a grouping's groups), the hours they served, its milestones and the teams'
reflections; career events along the work-based learning continuum and the students
placed at them with their hours.

Students are counted, never named: a team is "Team 1" with its number of students, a
placement shows the team's pseudonym and the class. Every row hangs from its class (or a
class's student, or a grouping) and goes with it; every change is in the school's
activity record, with counts only."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from numbers import Real

import sqlalchemy as sa

from collab_widgets.community import library, rules
from collab_widgets.community import tables as c
from collab_widgets.community.model import (
    CAREER_STAGES,
    CareerEvent,
    Milestone,
    ProjectTeam,
    Reflection,
    ServiceProject,
)
from collab_widgets.community.store import schools
from collab_widgets.core.db import Connection, SchoolScope
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.model import plural
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.privacy import pseudonym
from collab_widgets.students import tables as s

MAX_TITLE = 200
MAX_TEXT = 2000
RATINGS = range(1, library.RATINGS + 1)  # the quality self-assessment's scale

NO_PROJECT = "That service project is no longer here: its class may have been deleted."
NO_TEAM = "That project team is no longer here: its class or its groups may have been deleted."
NO_EVENT = "That career event is no longer here."
NO_CLASS = "That class is not one of the school's classes (it may have been deleted)."


@dataclass(frozen=True)
class Placement:
    """A student placed at a career event, as the coordinator sees them: no name."""

    id: int
    event_id: int
    class_name: str
    pseudonym: str
    hours: float
    reflection: str


@dataclass(frozen=True)
class HoursSummary:
    """The school's service and career hours, and how many students took part (plain
    counts: a screen hides those under the minimum with :func:`rules.suppressed`)."""

    service_hours: float
    career_hours: float
    students_in_service: int
    students_placed: int


# --- checks ---------------------------------------------------------------------------


def _placement_hours(hours) -> float:
    """0 (placed, no hours yet) up to the most a placement counts."""
    if isinstance(hours, Real) and not isinstance(hours, bool) and hours == 0:
        return 0.0
    return rules.check_hours(hours, rules.MAX_PLACEMENT_HOURS)


# --- what the school may reach ---------------------------------------------------------


def _school_class(conn: Connection, scope: SchoolScope, class_id: int):
    row = conn.execute(
        sa.select(s.classes).where(
            s.classes.c.id == class_id, s.classes.c.team_id.in_(schools.team_ids(conn, scope))
        )
    ).first()
    if row is None:
        raise NotFound(NO_CLASS)
    return row


def _school_partner(conn: Connection, scope: SchoolScope, partner_id: int | None) -> str:
    """The partner's name ("" for none), if the partner is the school's."""
    if partner_id is None:
        return ""
    name = conn.execute(
        sa.select(c.partners.c.name).where(
            c.partners.c.id == partner_id, c.partners.c.school_id == scope.school_id
        )
    ).scalar()
    if name is None:
        raise NotFound("That partner is not one of the school's partners.")
    return name


def _own_project(conn: Connection, scope: SchoolScope, project_id: int):
    row = conn.execute(
        sa.select(c.service_projects).where(
            c.service_projects.c.id == project_id,
            c.service_projects.c.school_id == scope.school_id,
        )
    ).first()
    if row is None:
        raise NotFound(NO_PROJECT)
    return row


def _own_team(conn: Connection, scope: SchoolScope, project_team_id: int):
    """The team with its project's title and dates."""
    projects = c.service_projects.c
    row = conn.execute(
        sa.select(
            c.project_teams,
            projects.title.label("project"),
            projects.starts_on,
            projects.ends_on,
        )
        .join(c.service_projects, projects.id == c.project_teams.c.project_id)
        .where(
            c.project_teams.c.id == project_team_id,
            c.project_teams.c.school_id == scope.school_id,
        )
    ).first()
    if row is None:
        raise NotFound(NO_TEAM)
    return row


def _own_event(conn: Connection, scope: SchoolScope, event_id: int):
    row = conn.execute(
        sa.select(c.career_events).where(
            c.career_events.c.id == event_id, c.career_events.c.school_id == scope.school_id
        )
    ).first()
    if row is None:
        raise NotFound(NO_EVENT)
    return row


# --- the school's classes, for choosing -------------------------------------------------


def school_classes(scope: SchoolScope) -> list[tuple[int, str]]:
    """The school's classes (id, name), by name."""
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(s.classes.c.id, s.classes.c.name)
            .where(s.classes.c.team_id.in_(schools.team_ids(conn, scope)))
            .order_by(s.classes.c.name, s.classes.c.id)
        ).all()
    return [(row.id, row.name) for row in rows]


def class_students(scope: SchoolScope, class_id: int) -> list[tuple[int, str]]:
    """A class's students as (id, pseudonym): who may be placed at a career event."""
    with scope.reading() as conn:
        row = _school_class(conn, scope, class_id)
        students = conn.execute(
            sa.select(s.class_students.c.id, s.class_students.c.key)
            .where(s.class_students.c.class_id == class_id)
            .order_by(s.class_students.c.id)
        ).all()
    salts = evidence.school_salts(scope, {row.team_id})
    return [(x.id, pseudonym(salts[row.team_id], x.key)) for x in students]


def class_groupings(scope: SchoolScope, class_id: int) -> list[tuple[int, str, int]]:
    """A class's groupings as (id, name, number of groups), newest first."""
    members = s.grouping_members.c
    with scope.reading() as conn:
        _school_class(conn, scope, class_id)
        rows = conn.execute(
            sa.select(
                s.groupings.c.id,
                s.groupings.c.name,
                sa.func.count(sa.distinct(members.group_number)).label("groups"),
            )
            .outerjoin(s.grouping_members, members.grouping_id == s.groupings.c.id)
            .where(s.groupings.c.class_id == class_id)
            .group_by(s.groupings.c.id, s.groupings.c.name)
            .order_by(s.groupings.c.id.desc())
        ).all()
    return [(row.id, row.name, row.groups) for row in rows]


# --- service projects -----------------------------------------------------------------


def add_project(
    scope: SchoolScope,
    class_id: int,
    title: str,
    partner_id: int | None,
    standards: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> int:
    """A service-learning project of one of the school's classes, with a partner (or none);
    ``standards`` is its link to the curriculum."""
    title = rules.line(title, "the project's title", MAX_TITLE)
    standards = rules.passage(standards, "the curriculum link", MAX_TEXT)
    starts_on = rules.check_date(starts_on, "the day the project starts")
    ends_on = rules.check_date(ends_on, "the day the project ends")
    if ends_on < starts_on:
        raise InvalidInput(
            "The project ends before it starts: choose an end on or after its start."
        )
    with scope.writing() as conn:
        room = _school_class(conn, scope, class_id)
        partner = _school_partner(conn, scope, partner_id)
        project_id = conn.execute(
            c.service_projects.insert().values(
                school_id=scope.school_id,
                partner_id=partner_id,
                class_id=class_id,
                title=title,
                standards=standards,
                starts_on=starts_on,
                ends_on=ends_on,
                outcomes="",
                quality="{}",
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        with_whom = f" with {partner}" if partner else ""
        schools.record(
            conn,
            scope,
            "service",
            f"started the service project “{title}” ({room.name}){with_whom}",
        )
    return project_id


def set_outcomes(scope: SchoolScope, project_id: int, outcomes: str) -> None:
    outcomes = rules.passage(outcomes, "the outcomes", MAX_TEXT)
    with scope.writing() as conn:
        row = _own_project(conn, scope, project_id)
        conn.execute(
            c.service_projects.update()
            .where(c.service_projects.c.id == project_id)
            .values(outcomes=outcomes)
        )
        schools.record(conn, scope, "service", f"wrote the outcomes of “{row.title}”")


def rate_quality(scope: SchoolScope, project_id: int, ratings: dict[str, int]) -> None:
    """The project's quality self-assessment: a rating from 1 to 4 for each standard
    rated; it replaces the last one (a standard left out is not rated)."""
    known = {standard.id for standard in library.load_quality()}
    if not isinstance(ratings, dict):
        raise InvalidInput("Rate the standards, each from 1 to 4.")
    kept = {}
    for standard_id, rating in ratings.items():
        if standard_id not in known:
            raise InvalidInput(f"“{standard_id}” is not one of the quality standards.")
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
            raise InvalidInput(
                f"Rate each standard from {RATINGS.start} to {RATINGS.stop - 1}: "
                f"“{standard_id}” was given {rating!r}."
            )
        kept[standard_id] = rating
    with scope.writing() as conn:
        row = _own_project(conn, scope, project_id)
        conn.execute(
            c.service_projects.update()
            .where(c.service_projects.c.id == project_id)
            .values(quality=json.dumps(kept, sort_keys=True))
        )
        schools.record(
            conn,
            scope,
            "service",
            f"rated “{row.title}” against {plural(len(kept), 'quality standard')}",
        )


def projects(scope: SchoolScope) -> list[ServiceProject]:
    """The school's service projects, newest start first, with teams, milestones and
    reflections."""
    with scope.reading() as conn:
        return _projects(conn, scope)


def project(scope: SchoolScope, project_id: int) -> ServiceProject:
    with scope.reading() as conn:
        _own_project(conn, scope, project_id)
        return _projects(conn, scope, project_id)[0]


def _projects(
    conn: Connection, scope: SchoolScope, only: int | None = None
) -> list[ServiceProject]:
    sp = c.service_projects.c
    query = (
        sa.select(
            c.service_projects,
            s.classes.c.name.label("class_name"),
            c.partners.c.name.label("partner"),
        )
        .join(s.classes, s.classes.c.id == sp.class_id)
        .outerjoin(c.partners, c.partners.c.id == sp.partner_id)
        .where(sp.school_id == scope.school_id)
        .order_by(sp.starts_on.desc(), sp.id.desc())
    )
    if only is not None:
        query = query.where(sp.id == only)
    rows = conn.execute(query).all()
    ids = [row.id for row in rows]
    teams = _teams(conn, ids)
    milestones = conn.execute(
        sa.select(c.project_milestones)
        .where(c.project_milestones.c.project_id.in_(ids))
        .order_by(c.project_milestones.c.due_on, c.project_milestones.c.id)
    ).all()
    reflections = conn.execute(
        sa.select(c.service_reflections, c.project_teams.c.project_id, c.project_teams.c.name)
        .join(c.project_teams, c.project_teams.c.id == c.service_reflections.c.project_team_id)
        .where(c.project_teams.c.project_id.in_(ids))
        .order_by(c.service_reflections.c.id)
    ).all()
    return [
        ServiceProject(
            id=row.id,
            title=row.title,
            partner=row.partner or "",
            class_name=row.class_name,
            standards=row.standards,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            outcomes=row.outcomes,
            quality=json.loads(row.quality),
            teams=tuple(team for project_id, team in teams if project_id == row.id),
            milestones=tuple(
                Milestone(m.id, m.title, m.due_on, m.done_on)
                for m in milestones
                if m.project_id == row.id
            ),
            reflections=tuple(
                Reflection(r.id, r.name, r.what, r.so_what, r.now_what)
                for r in reflections
                if r.project_id == row.id
            ),
        )
        for row in rows
    ]


def _teams(conn: Connection, project_ids: list[int]) -> list[tuple[int, ProjectTeam]]:
    """(project id, team): each team's students as it was made, its hours the per-student
    hours it logged times its students (changing the class's groups later rewrites no
    service already done)."""
    pt = c.project_teams.c
    logged = (
        sa.select(
            c.service_hours.c.project_team_id,
            sa.func.sum(c.service_hours.c.hours).label("hours"),
        )
        .group_by(c.service_hours.c.project_team_id)
        .subquery()
    )
    rows = conn.execute(
        sa.select(pt.id, pt.project_id, pt.name, pt.students, logged.c.hours)
        .outerjoin(logged, logged.c.project_team_id == pt.id)
        .where(pt.project_id.in_(project_ids))
        .order_by(pt.id)
    ).all()
    return [
        (
            row.project_id,
            ProjectTeam(row.id, row.name, row.students, (row.hours or 0.0) * row.students),
        )
        for row in rows
    ]


def add_teams_from_grouping(scope: SchoolScope, project_id: int, grouping_id: int) -> list[int]:
    """One project team per group of a grouping of the project's class, named "Team 1",
    "Team 2"... after the project's teams already there. Returns the new teams' ids."""
    with scope.writing() as conn:
        row = _own_project(conn, scope, project_id)
        grouping = conn.execute(
            sa.select(s.groupings.c.id).where(
                s.groupings.c.id == grouping_id, s.groupings.c.class_id == row.class_id
            )
        ).first()
        if grouping is None:
            raise NotFound(
                "Those groups are not groups of the project's class: choose groups its "
                "teacher made for that class."
            )
        already = conn.execute(
            sa.select(c.project_teams.c.id).where(
                c.project_teams.c.project_id == project_id,
                c.project_teams.c.grouping_id == grouping_id,
            )
        ).first()
        if already is not None:
            raise InvalidInput("The project already has teams from these groups.")
        members = s.grouping_members.c
        groups = conn.execute(
            sa.select(members.group_number, sa.func.count().label("students"))
            .where(members.grouping_id == grouping_id)
            .group_by(members.group_number)
            .order_by(members.group_number)
        ).all()
        if not groups:
            raise InvalidInput("Those groups have no students in them.")
        have = conn.execute(
            sa.select(sa.func.count()).where(c.project_teams.c.project_id == project_id)
        ).scalar_one()
        ids = [
            conn.execute(
                c.project_teams.insert().values(
                    school_id=scope.school_id,
                    project_id=project_id,
                    grouping_id=grouping_id,
                    group_number=group.group_number,
                    name=f"Team {have + index}",
                    students=group.students,
                    created_at=scope.store.now(),
                )
            ).inserted_primary_key[0]
            for index, group in enumerate(groups, 1)
        ]
        schools.record(conn, scope, "service", f"made {plural(len(ids), 'team')} for “{row.title}”")
    return ids


# --- hours ----------------------------------------------------------------------------


def log_hours(
    scope: SchoolScope, project_team_id: int, served_on: dt.date, hours, what: str
) -> int:
    """Hours each student of the team served on a day (the team's hours are these times
    its students). Refused: not a number, none or fewer, more than a day holds (in one
    entry or with the team's other entries that day), a day outside the project's dates
    or still to come."""
    hours = rules.check_hours(hours, rules.MAX_HOURS_A_DAY)
    served_on = rules.check_date(served_on, "the day the team served")
    what = rules.line(what, "what the team did", MAX_TITLE)
    today = scope.store.clock.today()
    if served_on > today:
        raise InvalidInput(
            f"{served_on:%d %B %Y} has not come yet: log hours once they are served."
        )
    with scope.writing() as conn:
        team = _own_team(conn, scope, project_team_id)
        if not team.starts_on <= served_on <= team.ends_on:
            raise InvalidInput(
                f"“{team.project}” runs from {team.starts_on:%d %B %Y} to "
                f"{team.ends_on:%d %B %Y}: choose a day in those dates."
            )
        that_day = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(c.service_hours.c.hours), 0.0)).where(
                c.service_hours.c.project_team_id == project_team_id,
                c.service_hours.c.served_on == served_on,
            )
        ).scalar_one()
        if that_day + hours > rules.MAX_HOURS_A_DAY:
            raise InvalidInput(
                f"{team.name} already has {that_day:g} hours on {served_on:%d %B %Y}; a day "
                f"holds at most {rules.MAX_HOURS_A_DAY}, so at most "
                f"{rules.MAX_HOURS_A_DAY - that_day:g} more can be logged for it."
            )
        entry_id = conn.execute(
            c.service_hours.insert().values(
                school_id=scope.school_id,
                project_team_id=project_team_id,
                served_on=served_on,
                hours=hours,
                what=what,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(
            conn,
            scope,
            "service",
            f"logged service hours for {team.name} of “{team.project}”",
        )
    return entry_id


def hours_entries(
    scope: SchoolScope, project_team_id: int
) -> list[tuple[int, dt.date, float, str]]:
    """The team's entries (id, day, hours a student, what), by day."""
    with scope.reading() as conn:
        _own_team(conn, scope, project_team_id)
        rows = conn.execute(
            sa.select(c.service_hours)
            .where(c.service_hours.c.project_team_id == project_team_id)
            .order_by(c.service_hours.c.served_on, c.service_hours.c.id)
        ).all()
    return [(row.id, row.served_on, row.hours, row.what) for row in rows]


# --- milestones and reflections ---------------------------------------------------------


def add_milestone(scope: SchoolScope, project_id: int, title: str, due_on: dt.date) -> int:
    title = rules.line(title, "the milestone", MAX_TITLE)
    due_on = rules.check_date(due_on, "the day the milestone is due")
    with scope.writing() as conn:
        row = _own_project(conn, scope, project_id)
        milestone_id = conn.execute(
            c.project_milestones.insert().values(
                school_id=scope.school_id,
                project_id=project_id,
                title=title,
                due_on=due_on,
                done_on=None,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(conn, scope, "service", f"added the milestone “{title}” to “{row.title}”")
    return milestone_id


def mark_milestone(scope: SchoolScope, milestone_id: int, done: bool) -> None:
    """Done today, or not done after all."""
    m = c.project_milestones.c
    with scope.writing() as conn:
        row = conn.execute(
            sa.select(c.project_milestones).where(
                m.id == milestone_id, m.school_id == scope.school_id
            )
        ).first()
        if row is None:
            raise NotFound("That milestone is no longer here.")
        done_on = scope.store.clock.today() if done else None
        conn.execute(
            c.project_milestones.update().where(m.id == milestone_id).values(done_on=done_on)
        )
        state = "done" if done else "not done"
        schools.record(conn, scope, "service", f"marked the milestone “{row.title}” {state}")


def add_reflection(
    scope: SchoolScope, project_team_id: int, what: str, so_what: str, now_what: str
) -> int:
    """A team's reflection: What? (what we did) So what? (what it meant) Now what? (what
    next)."""
    what = rules.passage(what, "what the team did (What?)", MAX_TEXT, required=True)
    so_what = rules.passage(so_what, "what it meant (So what?)", MAX_TEXT, required=True)
    now_what = rules.passage(now_what, "what comes next (Now what?)", MAX_TEXT, required=True)
    with scope.writing() as conn:
        team = _own_team(conn, scope, project_team_id)
        reflection_id = conn.execute(
            c.service_reflections.insert().values(
                school_id=scope.school_id,
                project_team_id=project_team_id,
                what=what,
                so_what=so_what,
                now_what=now_what,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(
            conn, scope, "service", f"added a reflection of {team.name} on “{team.project}”"
        )
    return reflection_id


# --- careers --------------------------------------------------------------------------


def add_event(
    scope: SchoolScope, kind: str, title: str, held_on: dt.date, partner_id: int | None = None
) -> int:
    """A career event: a speaker, a job shadow, an internship or an apprenticeship."""
    if kind not in CAREER_STAGES:
        raise InvalidInput(
            "Choose the kind of career event: a speaker, a job shadow, an internship or "
            "an apprenticeship."
        )
    title = rules.line(title, "the event's title", MAX_TITLE)
    held_on = rules.check_date(held_on, "the day of the event")
    with scope.writing() as conn:
        partner = _school_partner(conn, scope, partner_id)
        event_id = conn.execute(
            c.career_events.insert().values(
                school_id=scope.school_id,
                partner_id=partner_id,
                kind=kind,
                title=title,
                held_on=held_on,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        with_whom = f" with {partner}" if partner else ""
        schools.record(conn, scope, "careers", f"added the career event “{title}”{with_whom}")
    return event_id


def place_student(
    scope: SchoolScope,
    event_id: int,
    class_id: int,
    student_id: int,
    hours,
    reflection: str = "",
) -> int:
    """A student of one of the school's classes placed at the event, with their hours
    (0 to :data:`rules.MAX_PLACEMENT_HOURS`) and, later, their reflection."""
    hours = _placement_hours(hours)
    reflection = rules.passage(reflection, "the reflection", MAX_TEXT)
    with scope.writing() as conn:
        event = _own_event(conn, scope, event_id)
        room = _school_class(conn, scope, class_id)
        student = conn.execute(
            sa.select(s.class_students.c.id).where(
                s.class_students.c.id == student_id, s.class_students.c.class_id == class_id
            )
        ).first()
        if student is None:
            raise NotFound("That student is not in this class.")
        placed = conn.execute(
            sa.select(c.career_placements.c.id).where(
                c.career_placements.c.event_id == event_id,
                c.career_placements.c.student_id == student_id,
            )
        ).first()
        if placed is not None:
            raise InvalidInput(
                "That student is already placed at this event: change their hours there."
            )
        placement_id = conn.execute(
            c.career_placements.insert().values(
                school_id=scope.school_id,
                event_id=event_id,
                class_id=class_id,
                student_id=student_id,
                hours=hours,
                reflection=reflection,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(
            conn, scope, "careers", f"placed a student of {room.name} at “{event.title}”"
        )
    return placement_id


def set_placement(scope: SchoolScope, placement_id: int, hours, reflection: str) -> None:
    hours = _placement_hours(hours)
    reflection = rules.passage(reflection, "the reflection", MAX_TEXT)
    p = c.career_placements.c
    with scope.writing() as conn:
        row = conn.execute(
            sa.select(c.career_placements, c.career_events.c.title)
            .join(c.career_events, c.career_events.c.id == p.event_id)
            .where(p.id == placement_id, p.school_id == scope.school_id)
        ).first()
        if row is None:
            raise NotFound("That placement is no longer here: the student may have left the class.")
        conn.execute(
            c.career_placements.update()
            .where(p.id == placement_id)
            .values(hours=hours, reflection=reflection)
        )
        schools.record(conn, scope, "careers", f"updated a placement at “{row.title}”")


def events(scope: SchoolScope) -> list[CareerEvent]:
    """The school's career events, newest first, each with how many students were placed
    and their hours (plain counts)."""
    ev, p = c.career_events.c, c.career_placements.c
    placed = (
        sa.select(
            p.event_id,
            sa.func.count().label("n"),
            sa.func.sum(p.hours).label("hours"),
        )
        .group_by(p.event_id)
        .subquery()
    )
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(
                c.career_events,
                c.partners.c.name.label("partner"),
                placed.c.n,
                placed.c.hours,
            )
            .outerjoin(c.partners, c.partners.c.id == ev.partner_id)
            .outerjoin(placed, placed.c.event_id == ev.id)
            .where(ev.school_id == scope.school_id)
            .order_by(ev.held_on.desc(), ev.id.desc())
        ).all()
    return [
        CareerEvent(
            row.id,
            row.kind,
            CAREER_STAGES[row.kind],
            row.title,
            row.held_on,
            row.partner or "",
            row.n or 0,
            float(row.hours or 0.0),
        )
        for row in rows
    ]


def placements(scope: SchoolScope, event_id: int) -> list[Placement]:
    """The students placed at the event, by class: pseudonyms, never names."""
    p = c.career_placements.c
    with scope.reading() as conn:
        _own_event(conn, scope, event_id)
        rows = conn.execute(
            sa.select(
                c.career_placements,
                s.classes.c.name.label("class_name"),
                s.classes.c.team_id,
                s.class_students.c.key,
            )
            .join(s.classes, s.classes.c.id == p.class_id)
            .join(s.class_students, s.class_students.c.id == p.student_id)
            .where(p.event_id == event_id)
            .order_by(s.classes.c.name, p.id)
        ).all()
    salts = evidence.school_salts(scope, {row.team_id for row in rows})
    return [
        Placement(
            row.id,
            row.event_id,
            row.class_name,
            pseudonym(salts[row.team_id], row.key),
            row.hours,
            row.reflection,
        )
        for row in rows
    ]


def hours_summary(
    scope: SchoolScope, starts_on: dt.date | None = None, ends_on: dt.date | None = None
) -> HoursSummary:
    """The school's service hours (per-student hours times the team's students) and career
    placement hours, with how many different students served or were placed; between two
    days (service days, event days) when given."""
    sh, pt = c.service_hours.c, c.project_teams.c
    p, ev = c.career_placements.c, c.career_events.c
    service_when, career_when = [], []
    if starts_on is not None:
        service_when.append(sh.served_on >= starts_on)
        career_when.append(ev.held_on >= starts_on)
    if ends_on is not None:
        service_when.append(sh.served_on <= ends_on)
        career_when.append(ev.held_on <= ends_on)
    with scope.reading() as conn:
        hours = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(sh.hours * pt.students), 0.0))
            .select_from(c.service_hours)
            .join(c.project_teams, pt.id == sh.project_team_id)
            .where(sh.school_id == scope.school_id, *service_when)
        ).scalar_one()
        # the students of the teams that served (a student in two projects' teams twice)
        serving = (
            sa.select(pt.id, pt.students)
            .join(c.service_hours, sh.project_team_id == pt.id)
            .where(sh.school_id == scope.school_id, *service_when)
            .distinct()
            .subquery()
        )
        students = conn.execute(
            sa.select(sa.func.coalesce(sa.func.sum(serving.c.students), 0))
        ).scalar_one()
        placed = conn.execute(
            sa.select(
                sa.func.coalesce(sa.func.sum(p.hours), 0.0),
                sa.func.count(sa.distinct(p.student_id)),
            )
            .select_from(c.career_placements)
            .join(c.career_events, ev.id == p.event_id)
            .where(p.school_id == scope.school_id, *career_when)
        ).one()
    return HoursSummary(float(hours), float(placed[0]), int(students), placed[1])
