from __future__ import annotations

import datetime as dt
import os

import ipywidgets as widgets
import pytest
import sqlalchemy as sa

from collab_widgets.core import clock
from collab_widgets.core.db import Store
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import load_library
from collab_widgets.protocols.schema import fitted
from collab_widgets.team.store import members, teams
from collab_widgets.workshops.store import trainer as workshops

POSTGRES_URL = os.environ.get("COLLAB_TEST_POSTGRES_URL")


MEETING_DAY = dt.date(2026, 10, 15)


@pytest.fixture(autouse=True)
def close_widgets():
    """Close every widget a test made, so tests do not leak into each other."""
    yield
    widgets.Widget.close_all()


@pytest.fixture
def fixed_clock():
    fixed = clock.FixedClock(dt.datetime(2026, 10, 15, 15, 0, tzinfo=dt.UTC))
    previous = clock.use_clock(fixed)
    yield fixed
    clock.use_clock(previous)


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def fresh_store_url(kind: str, tmp_path) -> str:
    """A fresh, empty database of ``kind``: SQLite always; PostgreSQL when
    COLLAB_TEST_POSTGRES_URL is set."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    if not POSTGRES_URL:
        pytest.skip("no PostgreSQL server given (set COLLAB_TEST_POSTGRES_URL)")
    _reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    return fresh_store_url(request.param, tmp_path)


@pytest.fixture
def store(store_url, fixed_clock):
    made = Store(store_url)
    yield made
    made.close()


@pytest.fixture
def sqlite_store(tmp_path, fixed_clock):
    made = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield made
    made.close()


class TeamFixture:
    """A coach, a team with three members, and scopes acting as each of them."""

    def __init__(self, store: Store):
        self.store = store
        _, self.coach_code, _ = teams.first_coach_code(store)
        self.coach = store.open_coach(self.coach_code)
        self.as_coach = teams.create_team(self.coach, "Grade 4 Math")
        self.code = teams.team_code(self.as_coach)
        self.people = [members.add(self.as_coach, n) for n in ("Ana", "Ben", "Chen")]
        self.scopes = [store.open_team(self.code, m.token) for m in self.people]

    def member(self, index: int):
        return self.scopes[index]

    def refresh(self) -> None:
        """Read the codes again after something renewed them (linking a district account
        does): the coach's scopes, and each member's current token in ``people``."""
        self.coach_code = dict(teams.coach_codes(self.store))[self.coach.name]
        self.coach = self.store.open_coach(self.coach_code, operator=True)
        self.as_coach = self.coach.open_team(self.code)
        self.people = members.roster(self.as_coach)


@pytest.fixture
def team(store) -> TeamFixture:
    return TeamFixture(store)


@pytest.fixture
def sqlite_team(sqlite_store) -> TeamFixture:
    return TeamFixture(sqlite_store)


@pytest.fixture
def ana_facilitates(sqlite_team) -> TeamFixture:
    """Ana, the first member, is the team's facilitator."""
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    return sqlite_team


@pytest.fixture
def meeting(team) -> int:
    return meetings.create(team.member(0), MEETING_DAY, "October meeting").id


@pytest.fixture
def room(team):
    """A workshop with a choice, a word and an open prompt; the first shown."""
    coach = team.coach
    workshop_id = workshops.create(coach, "  PLC   kickoff ")
    first = workshops.add_prompt(coach, workshop_id, "choice", "Ready?", ("Yes", "No"))
    workshops.add_prompt(coach, workshop_id, "word", "One word")
    workshops.add_prompt(coach, workshop_id, "text", "What do you hope for?")
    workshops.show(coach, workshop_id, 0)
    code = workshops.get(coach, workshop_id).code
    return team, workshop_id, code, first


LIBRARY = load_library(folder="")


class Meeting:
    """Ana facilitates, Ben presents, Chen records; a meeting to run protocols in."""

    def __init__(self, team, key="looking-at-data", minutes=None, **start):
        self.team = team
        self.ana, self.ben, self.chen = team.scopes
        self.ids = [p.id for p in team.people]
        self.meeting = meetings.create(self.ana, dt.date(2026, 10, 20))
        protocol = LIBRARY.get(key)
        self.protocol = fitted(protocol, minutes) if minutes else protocol
        wanted = {"facilitator": self.ids[0], "presenter": self.ids[1], "recorder": self.ids[2]}
        roles = {role: who for role, who in wanted.items() if role in self.protocol.roles}
        self.run_id = runs.start_run(self.ana, self.protocol, self.meeting.id, roles, **start)

    def run(self, scope=None):
        return runs.get_run(scope or self.ana, self.run_id)

    def go_to(self, key):
        while self.run().current.key != key:
            runs.control(self.ana, self.run_id, runner.advance)
        return self.run().current_prompt_id


@pytest.fixture
def looking(team):
    return Meeting(team)
