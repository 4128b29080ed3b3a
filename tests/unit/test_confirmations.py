"""Every destructive button on every page asks first, in place and in words: pressing it
changes nothing in the store, "Cancel" leaves all as it was, and only "Yes, …" acts.
Destructive: ending something for everyone, changing a code or a link (the old one stops
working), moving anything to the trash."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import ipywidgets as widgets
import pytest

from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.evidence.app import EvidenceApp
from collab_widgets.goals import store as goals
from collab_widgets.goals.app import GoalsApp
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols.app import ProtocolsApp
from collab_widgets.team.app import StartHereApp
from collab_widgets.team.store import members, norms
from collab_widgets.workshops.app import WorkshopPresenterApp
from collab_widgets.workshops.store import trainer as workshops
from tests.unit.evidence.test_app import add
from tests.unit.protocols.test_app import go_to, start, write_note
from tests.unit.widget_helpers import BUTTONS, find

DESTRUCTIVE = re.compile(
    r"^(Delete|Remove|End|Move to the trash|Change the team code|Change my coach code|"
    r"New link|Renew)\b"
)


@pytest.fixture
def team(sqlite_team):
    scope = sqlite_team.member(0)
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    norms.add(scope, "time", "We start on time.")
    meetings.create(scope, dt.date(2026, 10, 22), "Late October")
    goals.post_win(scope, "Item 4 went from 40% to 75%.")
    return sqlite_team


def as_member(app, team, index=0):
    return app(team.store, {"team": team.code, "member": team.people[index].token})


def protocol_running(team):
    """On a board step, with a note of one's own on it."""
    made = as_member(ProtocolsApp, team)
    start(made, "chalk-talk")
    write_note(go_to(made, "silent-writing").board, "A note to take off the board")
    return made


def evidence_saved(team):
    made = as_member(EvidenceApp, team)
    add(made)
    made.results.refresh()
    return made


def workshop_open(team):
    made = WorkshopPresenterApp(team.store, {"coach": team.coach_code})
    workshop_id = workshops.create(team.coach, "Kickoff")
    workshops.add_prompt(team.coach, workshop_id, "word", "One word")
    made.presenter.refresh(keep=workshop_id)
    return made


PAGES = {
    "start page, facilitator": lambda team: as_member(StartHereApp, team),
    "start page, coach on a team": lambda team: StartHereApp(
        team.store, {"coach": team.coach_code, "team": team.code}
    ),
    "coach page": lambda team: StartHereApp(team.store, {"coach": team.coach_code}),
    "protocols, running": protocol_running,
    "evidence": evidence_saved,
    "goals": lambda team: as_member(GoalsApp, team),
    "workshop presenter": workshop_open,
}


def every_tab_built(app) -> None:
    for tabs in find(app.widget, widgets.Tab):
        for index in range(len(tabs.children)):
            tabs.selected_index = index


def store_dump(team) -> str:
    path = team.store.engine.url.database
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        dump = "\n".join(conn.iterdump())
    assert 'INSERT INTO "norms"' in dump  # the team's own store, not an empty file
    return dump


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_every_destructive_button_asks_first_and_cancel_changes_nothing(team, page):
    app = PAGES[page](team)
    every_tab_built(app)
    destructive = find(app.widget, BUTTONS, lambda b: DESTRUCTIVE.match(b.description))
    assert destructive, "the page shows no destructive button to check"
    asking = {id(c.button): c for c in find(app.widget, Confirm)}
    plain = [b.description for b in destructive if id(b) not in asking]
    assert plain == [], f"acts at once, without asking: {plain}"
    for confirm in asking.values():
        before = store_dump(team)
        confirm.button.click()
        assert confirm.yes in confirm.children and confirm.button not in confirm.children
        assert confirm.question.value.strip(), "the question says what will happen"
        assert store_dump(team) == before, f"“{confirm.button.description}” acted at once"
        confirm.no.click()
        assert confirm.children == (confirm.button,)
        assert store_dump(team) == before


def test_yes_ends_the_protocol_for_everyone(team):
    ana = protocol_running(team)
    [finish] = [c for c in find(ana.widget, Confirm) if c.button.description == "End the protocol"]
    finish.button.click()
    assert ana.live.view is not None  # still running: only asked
    finish.yes.click()
    assert "has finished" in ana.status.value
