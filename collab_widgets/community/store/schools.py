"""A school, its coordinator's and principal's links, its teams, and its activity record.

Creating a school and giving its links are the server operator's (``collab school``) and
the demo's; a link's code is shown once and kept hashed."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.community import tables as c
from collab_widgets.community.model import SchoolPerson
from collab_widgets.core.codes import digest
from collab_widgets.core.db import CoachScope, SchoolScope, Store
from collab_widgets.core.db import tables as t
from collab_widgets.core.db.database import SCHOOL_ROLES
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.light.tokens import new_token
from collab_widgets.students import tables as s

MAX_NAME = 120


def _clean(name: str, what: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(f"Type the {what}.")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"The {what} is too long: keep it under {MAX_NAME} characters.")
    return name


def create_school(store: Store, name: str) -> int:
    name = _clean(name, "school's name")
    with store.writing() as conn:
        return conn.execute(
            t.schools.insert().values(name=name, revision=0, created_at=store.now())
        ).inserted_primary_key[0]


def schools(store: Store) -> list[tuple[int, str]]:
    """Every school's (id, name): for the server operator's console only."""
    with store.reading() as conn:
        return [
            (row.id, row.name)
            for row in conn.execute(sa.select(t.schools).order_by(t.schools.c.id))
        ]


def school_of_coach(coach: CoachScope) -> int:
    """The school the coach (and the teams they make) belongs to."""
    with coach.reading() as conn:
        return conn.execute(
            sa.select(t.coaches.c.school_id).where(t.coaches.c.id == coach.coach_id)
        ).scalar_one()


def _require_school(conn: sa.Connection, school_id: int) -> None:
    found = conn.execute(sa.select(t.schools.c.id).where(t.schools.c.id == school_id)).first()
    if found is None:
        raise NotFound("There is no such school: `collab school list` shows them.")


def move_coach(store: Store, school_id: int, coach_code: str) -> str:
    """The coach, and the teams they made, now belong to the school (a district with
    several schools on one server); returns the coach's name."""
    coach = store.open_coach(coach_code, operator=True)
    with store.writing() as conn:
        _require_school(conn, school_id)
        # the old school's mentees, projects and placements are its students: they would
        # be left pointing at a class of another school
        classes_of_coach = (
            sa.select(s.classes.c.id)
            .join(t.teams, t.teams.c.id == s.classes.c.team_id)
            .where(t.teams.c.coach_id == coach.coach_id, t.teams.c.school_id != school_id)
        )
        for table in (c.mentees, c.service_projects, c.career_placements):
            used = conn.execute(
                sa.select(table.c.id).where(table.c.class_id.in_(classes_of_coach)).limit(1)
            ).first()
            if used is not None:
                raise InvalidInput(
                    f"{coach.name}'s classes have mentees, service projects or career "
                    "placements in their school's partnerships. Close those there first (or "
                    "delete the classes), then move the coach."
                )
        conn.execute(
            t.coaches.update().where(t.coaches.c.id == coach.coach_id).values(school_id=school_id)
        )
        conn.execute(
            t.teams.update().where(t.teams.c.coach_id == coach.coach_id).values(school_id=school_id)
        )
        _record(
            conn, store, school_id, None, "school", f"Coach {coach.name} and their teams joined"
        )
    return coach.name


def add_person(store: Store, school_id: int, role: str, name: str) -> str:
    """A coordinator's or principal's link for the school; returns its code, shown once."""
    if role not in SCHOOL_ROLES:
        raise InvalidInput("A school link is a coordinator's or a principal's.")
    name = _clean(name, "person's name")
    code = new_token()
    with store.writing() as conn:
        _require_school(conn, school_id)
        person_id = conn.execute(
            t.school_people.insert().values(
                school_id=school_id,
                role=role,
                name=name,
                code_hash=digest(code),
                created_at=store.now(),
            )
        ).inserted_primary_key[0]
        _record(conn, store, school_id, person_id, "school", f"{name} was given the {role}'s link")
    return code


def rotate_person(store: Store, person_id: int) -> str:
    """A new link for the person: the old one, and every page opened with it, stop."""
    code = new_token()
    with store.writing() as conn:
        row = conn.execute(
            sa.select(t.school_people).where(t.school_people.c.id == person_id)
        ).first()
        if row is None:
            raise NotFound("There is no such person: `collab school list` shows them.")
        conn.execute(
            t.school_people.update()
            .where(t.school_people.c.id == person_id)
            .values(code_hash=digest(code))
        )
        _record(conn, store, row.school_id, person_id, "school", f"{row.name}'s link was changed")
    return code


def people(store: Store, school_id: int) -> list[SchoolPerson]:
    with store.reading() as conn:
        rows = conn.execute(
            sa.select(t.school_people)
            .where(t.school_people.c.school_id == school_id)
            .order_by(t.school_people.c.id)
        ).all()
    return [SchoolPerson(row.id, row.name, row.role) for row in rows]


def rename(scope: SchoolScope, name: str) -> None:
    name = _clean(name, "school's name")
    with scope.writing() as conn:
        conn.execute(t.schools.update().where(t.schools.c.id == scope.school_id).values(name=name))
        record(conn, scope, "school", f"renamed the school “{name}”")


def team_ids(conn: sa.Connection, scope: SchoolScope) -> list[int]:
    """The school's teams (their classes are the school's classes)."""
    return list(
        conn.execute(
            sa.select(t.teams.c.id)
            .where(t.teams.c.school_id == scope.school_id)
            .order_by(t.teams.c.id)
        ).scalars()
    )


def teams(scope: SchoolScope) -> list[tuple[int, str]]:
    with scope.reading() as conn:
        return [
            (row.id, row.name)
            for row in conn.execute(
                sa.select(t.teams.c.id, t.teams.c.name)
                .where(t.teams.c.school_id == scope.school_id)
                .order_by(t.teams.c.name)
            )
        ]


def _record(
    conn: sa.Connection,
    store: Store,
    school_id: int,
    person_id: int | None,
    kind: str,
    summary: str,
) -> None:
    conn.execute(
        t.school_activity.insert().values(
            school_id=school_id, at=store.now(), kind=kind, summary=summary, person_id=person_id
        )
    )


def record(conn: sa.Connection, scope: SchoolScope, kind: str, summary: str) -> None:
    """Note ``summary`` (plain text) of ``kind`` by the scope's person, in the same
    transaction as the change it describes."""
    _record(conn, scope.store, scope.school_id, scope.person_id, kind, summary)


def entries(scope: SchoolScope, limit: int = 200) -> list[tuple]:
    """The school's activity record, newest first: (at, kind, summary, who)."""
    activity, people_c = t.school_activity.c, t.school_people.c
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(activity.at, activity.kind, activity.summary, people_c.name.label("who"))
            .outerjoin(t.school_people, people_c.id == activity.person_id)
            .where(activity.school_id == scope.school_id)
            .order_by(activity.at.desc(), activity.id.desc())
            .limit(limit)
        ).all()
    return [(row.at, row.kind, row.summary, row.who or "") for row in rows]
