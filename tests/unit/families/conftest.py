"""A class of six with its families, two guardians' links, and a family meeting prepared
from results, shared by the families' tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pytest

from collab_widgets.core.light.limits import WrongCodeLimit
from collab_widgets.evidence import store as evidence
from collab_widgets.families.store import class_meetings, guardians
from collab_widgets.families.store import family as family_page
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes

LIMIT = WrongCodeLimit("families", 20, 10, dt.timedelta(minutes=10), hint="your link")
SIX = [
    StudentRow(f"S{i}", name)
    for i, name in enumerate(
        ["Maya Rivera", "Chidi Okafor", "Lena Park", "Omar Haddad", "Iris Chen", "Tom Berg"], 1
    )
]
PERCENTS = [35.0, 55.0, 72.0, 90.0, 100.0, None]  # Tom has no result
MEETING_DAY = dt.date(2026, 10, 20)  # the fixed clock's today is 2026-10-15


@dataclass
class Classroom:
    team: object
    class_id: int
    roster: list
    family_ids: list[int]
    guardians: dict[int, int]  # family id -> its first guardian's id
    links: dict[int, str]  # family id -> its first guardian's link code
    meeting_id: int

    @property
    def teacher(self):
        return self.team.member(0)

    def sign_in(self, family_index: int, address: str = "10.0.0.1"):
        code = self.links[self.family_ids[family_index]]
        return family_page.sign_in(self.team.store, code, address, LIMIT)


def prepare(teacher, class_id, roster, percents, title="Fractions night", day=MEETING_DAY):
    return class_meetings.prepare_meeting(
        teacher,
        class_id,
        title=title,
        held_on=day,
        starts_at="18:00",
        skill="Fractions on a number line",
        assessment_id=None,
        assessment_name="Unit 3 check",
        results={s.id: p for s, p in zip(roster, percents, strict=True)},
        agenda=[{"title": {"en": "Welcome", "es": "Bienvenida"}, "minutes": 10}],
        activities=[
            {
                "title": {"en": "Fraction strips", "es": "Tiras de fracciones"},
                "materials": {"en": "Paper"},
                "steps": {"en": ["Fold a strip in half."]},
            }
        ],
    )


def make_classroom(team) -> Classroom:
    ana = team.member(0)
    # a graph of a class of six: the team shows groups of five and more
    evidence.set_settings(ana, dataclasses.replace(evidence.settings(ana), min_n=5))
    class_id = classes.create_class(ana, "Room 12")
    classes.add_students(ana, class_id, SIX)
    roster = classes.roster(ana, class_id)
    guardians.open_families(ana, class_id)
    found = guardians.families(ana, class_id)
    people, links = {}, {}
    for index, fam in enumerate(found):
        people[fam.id] = guardians.add_guardian(ana, fam.id, f"Parent {index + 1}")
        links[fam.id] = guardians.issue_link(ana, people[fam.id])
    meeting_id = prepare(ana, class_id, roster, PERCENTS)
    return Classroom(team, class_id, roster, [f.id for f in found], people, links, meeting_id)


@pytest.fixture
def classroom(sqlite_team) -> Classroom:
    return make_classroom(sqlite_team)


@pytest.fixture
def any_classroom(team) -> Classroom:
    """The classroom on SQLite and on PostgreSQL (when one is given)."""
    return make_classroom(team)
