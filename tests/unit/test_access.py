"""Permissions are checked in the store at the action, whatever the page shows."""

import datetime as dt

import pytest

from collab_widgets.access import Gate
from collab_widgets.errors import AccessDenied, InvalidInput
from collab_widgets.store import CoachScope, Permission, meetings, members, norms, teams, trash


def test_wrong_tries_are_limited_per_gate(team, fixed_clock):
    gate = Gate(team.store, max_tries=3, lockout=dt.timedelta(seconds=60))
    for _ in range(3):
        with pytest.raises(AccessDenied, match="not known"):
            gate.open("AAAA-BBBB-CCCC")
    with pytest.raises(AccessDenied, match="Too many wrong codes"):
        gate.open(team.code)  # even the right code waits out the lockout
    fixed_clock.advance(seconds=61)
    assert gate.open(team.code).team_name == "Grade 4 Math"
    assert gate.failures == 0


def test_lockout_doubles_after_each_further_wrong_try(team, fixed_clock):
    gate = Gate(team.store, max_tries=1, lockout=dt.timedelta(seconds=10))
    with pytest.raises(AccessDenied):
        gate.open("AAAA")
    fixed_clock.advance(seconds=11)
    with pytest.raises(AccessDenied, match="not known"):
        gate.open("BBBB")
    fixed_clock.advance(seconds=11)
    with pytest.raises(AccessDenied, match="Too many"):
        gate.open(team.code)


def test_gate_tells_coach_codes_from_team_codes(team):
    gate = Gate(team.store)
    assert isinstance(gate.open(team.coach_code), CoachScope)
    assert gate.open(team.code).team_name == "Grade 4 Math"


def test_only_the_facilitator_or_coach_facilitates(team):
    ana, ben, _ = team.scopes
    members.assign_role(team.as_coach, "facilitator", team.people[0].id)
    assert ana.allows(Permission.FACILITATE)
    assert not ben.allows(Permission.FACILITATE)
    with pytest.raises(AccessDenied, match="facilitator"):
        members.rotate_roles(ben)
    with pytest.raises(AccessDenied):
        members.remove(ben, team.people[0].id)
    with pytest.raises(AccessDenied):
        teams.rotate_team_code(ben)
    norm = norms.add(ben, "time", "We start on time.")
    with pytest.raises(AccessDenied):
        norms.retire(ben, norm.id)
    with pytest.raises(AccessDenied):
        norms.move(ben, norm.id, 1)
    with pytest.raises(AccessDenied):
        norms.delete(ben, norm.id)
    norms.retire(ana, norm.id)  # the facilitator may
    norms.delete(ana, norm.id)
    with pytest.raises(AccessDenied):
        trash.restore(ben, "norm", norm.id)
    trash.restore(ana, "norm", norm.id)
    members.rotate_roles(team.as_coach)  # and so may the coach


def test_before_any_roles_every_member_may_facilitate(team):
    assert team.member(1).allows(Permission.FACILITATE)


def test_a_team_link_visitor_must_pick_a_name_before_contributing(team):
    visitor = team.store.open_team(team.code)
    with pytest.raises(AccessDenied, match="Pick your name"):
        norms.add(visitor, "time", "x")
    # but may add themself to the roster, as a newcomer on the team link does
    newcomer = members.add(visitor, "Dee", is_self=True)
    assert visitor.as_member(newcomer.id).member_id == newcomer.id


def test_only_coaches_create_teams(team):
    with pytest.raises(AccessDenied):
        team.member(0).require(Permission.COACH)
    assert team.as_coach.allows(Permission.COACH)


def test_members_change_only_their_own_entries(team):
    ana, ben, _ = team.scopes
    members.assign_role(team.as_coach, "facilitator", team.people[2].id)
    members.rename(ana, team.people[0].id, "Ana P.")
    with pytest.raises(AccessDenied, match="only your own"):
        members.rename(ana, team.people[1].id, "Bad Ben")
    with pytest.raises(AccessDenied, match="only your own"):
        teams.rotate_member_token(ana, team.people[1].id)
    meeting = meetings.create(ana, dt.date(2026, 10, 20))
    norm = norms.add(ana, "time", "We start on time.")
    meetings.check_norm(ana, meeting.id, norm.id, "start", 2)
    meetings.check_norm(ben, meeting.id, norm.id, "start", 4)
    assert meetings.my_checks(ana, meeting.id) == {(norm.id, "start"): 2}
    assert meetings.my_checks(ben, meeting.id) == {(norm.id, "start"): 4}


def test_a_coach_cannot_mark_a_members_norms_check(team):
    meeting = meetings.create(team.as_coach, dt.date(2026, 10, 20))
    norm = norms.add(team.as_coach, "time", "We start on time.")
    with pytest.raises(InvalidInput, match="Only members"):
        meetings.check_norm(team.as_coach, meeting.id, norm.id, "start", 3)


def test_ids_from_another_team_are_refused(team):
    other = teams.create_team(team.coach, "Other")
    stranger = members.add(other, "Zed")
    other_norm = norms.add(other, "time", "Theirs")
    with pytest.raises(AccessDenied):
        members.remove(team.as_coach, stranger.id)
    with pytest.raises(Exception, match="no longer on the list"):
        norms.set_text(team.member(0), other_norm.id, "hijacked")
    assert norms.norms(other)[0].text == "Theirs"


def test_removing_the_facilitator_lets_the_others_facilitate(team):
    members.assign_role(team.as_coach, "facilitator", team.people[0].id)
    assert not team.member(1).allows(Permission.FACILITATE)
    members.remove(team.member(0), team.people[0].id)  # the facilitator removes themself
    assert team.member(1).allows(Permission.FACILITATE)
    members.rotate_roles(team.member(1))
    assert members.current_roles(team.as_coach)["facilitator"].name in {"Ben", "Chen"}
