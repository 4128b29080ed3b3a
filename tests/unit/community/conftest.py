"""A school with a coordinator's and a principal's link, and a team of that school with a
class of eight and a grouping of two groups, shared by the community's tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from collab_widgets.community.store import schools
from collab_widgets.core.db import tables as t
from collab_widgets.students.model import Placement
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes, groupings
from tests.unit.conftest import fresh_store_url

EIGHT = [
    StudentRow(f"S{i}", name)
    for i, name in enumerate(
        [
            "Maya Rivera",
            "Chidi Okafor",
            "Lena Park",
            "Omar Haddad",
            "Iris Chen",
            "Tom Berg",
            "Sara Lind",
            "Ravi Nair",
        ],
        1,
    )
]


def school_of(team) -> int:
    """The school the team's coach (and so the team) belongs to."""
    with team.store.reading() as conn:
        return conn.execute(
            sa.select(t.teams.c.school_id).where(t.teams.c.id == team.as_coach.team_id)
        ).scalar_one()


@dataclass
class School:
    store: object
    school_id: int
    coordinator_code: str
    principal_code: str

    @property
    def coordinator(self):
        return self.store.open_school(self.coordinator_code)

    @property
    def principal(self):
        return self.store.open_school(self.principal_code)


@dataclass
class Classroom:
    team: object
    class_id: int
    roster: list
    grouping_id: int

    @property
    def teacher(self):
        return self.team.member(0)


def make_school(team) -> School:
    school_id = school_of(team)
    return School(
        team.store,
        school_id,
        schools.add_person(team.store, school_id, "coordinator", "Dana Coordinator"),
        schools.add_person(team.store, school_id, "principal", "Pat Principal"),
    )


def make_classroom(team, name: str = "Room 12") -> Classroom:
    teacher = team.member(0)
    class_id = classes.create_class(teacher, name)
    classes.add_students(teacher, class_id, EIGHT)
    roster = classes.roster(teacher, class_id)
    grouping_id = groupings.save(
        teacher,
        class_id,
        "groups",
        "Project teams",
        {},
        0.0,
        [Placement(student.id, index // 4) for index, student in enumerate(roster)],
    )
    return Classroom(team, class_id, roster, grouping_id)


@pytest.fixture
def store_url(request, tmp_path):
    """SQLite. The community's SQL is the same on both databases through SQLAlchemy; the
    tests of what differs between them (row locks under concurrent writes, cascades, the
    coverage's and the views' queries, unique names) run on PostgreSQL too: they are
    marked with :data:`BOTH_DATABASES`."""
    return fresh_store_url(getattr(request, "param", "sqlite"), tmp_path)


BOTH_DATABASES = pytest.mark.parametrize("store_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def school_place(team) -> School:
    return make_school(team)


@pytest.fixture
def school(school_place):
    """The coordinator's scope."""
    return school_place.coordinator


@pytest.fixture
def principal(school_place):
    return school_place.principal


@pytest.fixture
def classroom(team, school_place) -> Classroom:
    return make_classroom(team)
