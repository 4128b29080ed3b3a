import datetime as dt

import pytest

from collab_widgets.core.db import activity
from collab_widgets.core.errors import InvalidInput
from collab_widgets.meetings import store as meetings
from collab_widgets.team.store import members, norms, teams


def test_every_kind_of_change_is_recorded_newest_first(team, fixed_clock):
    scope = team.member(0)
    fixed_clock.advance(minutes=1)
    members.rotate_roles(team.as_coach)
    fixed_clock.advance(minutes=1)
    norms.add(scope, "time", "We start on time.")
    fixed_clock.advance(minutes=1)
    meetings.create(scope, dt.date(2026, 10, 20))
    fixed_clock.advance(minutes=1)
    teams.rotate_team_code(team.as_coach)
    entries = activity.entries(team.as_coach)  # Ana's page ended with her old link
    assert [e.kind for e in entries] == [
        "access",
        "meeting",
        "norms",
        "roles",
        "access",  # each member's first opening of their personal link takes their name
        "access",
        "access",
        "roster",
        "roster",
        "roster",
        "team",
    ]
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert entries[1].link.startswith("meeting/") and entries[2].who == "Ana"


def test_same_instant_entries_keep_the_order_they_happened(team):
    for name in ("Dee", "Eli", "Fay"):
        members.add(team.member(0), name)
    summaries = [e.summary for e in activity.entries(team.member(0))][:3]
    assert summaries == ["Fay joined the team", "Eli joined the team", "Dee joined the team"]


def test_activity_is_per_team(team):
    other = teams.create_team(team.coach, "Other team")
    members.add(other, "Zed")
    assert all("Zed" not in e.summary for e in activity.entries(team.member(0)))


def test_a_failed_change_leaves_no_record(team):
    before = len(activity.entries(team.member(0)))
    with pytest.raises(InvalidInput):
        members.add(team.member(0), "Ana")
    assert len(activity.entries(team.member(0))) == before
