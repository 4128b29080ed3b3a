"""Permissions are checked in the store at the action, whatever the page shows."""

import datetime as dt

import pytest

from collab_widgets.core.db import CoachScope, Permission, activity
from collab_widgets.core.errors import AccessDenied, InvalidInput
from collab_widgets.history import store as trash
from collab_widgets.meetings import store as meetings
from collab_widgets.reflection import store as reflections
from collab_widgets.team.access import Gate
from collab_widgets.team.store import members, norms, teams


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
    with pytest.raises(AccessDenied, match="Pick your name"):  # nor add someone else
        members.add(visitor, "Dee")
    # but may add themself to the roster, as a newcomer on the team link does
    newcomer = members.join(visitor, "Dee")
    assert team.store.open_team(team.code, newcomer.token).member_id == newcomer.id


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


def test_removing_the_facilitator_lets_the_others_facilitate_but_not_manage(team):
    members.assign_role(team.as_coach, "facilitator", team.people[0].id)
    assert not team.member(1).allows(Permission.FACILITATE)
    members.remove(team.member(0), team.people[0].id)  # the facilitator removes themself
    assert team.member(1).allows(Permission.FACILITATE)
    assert not team.member(1).allows(Permission.MANAGE)  # roles were given: the coach's now
    with pytest.raises(AccessDenied):
        members.rotate_roles(team.member(1))
    members.rotate_roles(team.as_coach)
    assert members.current_roles(team.as_coach)["facilitator"].name in {"Ben", "Chen"}


def test_the_team_link_cannot_read_another_members_private_reflection(team):
    ana = team.member(0)
    meeting = meetings.create(ana, dt.date(2026, 10, 20))
    reflections.save_own(ana, meeting.id, "so_what", "Only Ana reads this.")
    visitor = team.store.open_team(team.code)
    with pytest.raises(AccessDenied):
        visitor.as_member(team.people[0].id)
    with pytest.raises(AccessDenied, match="already taken"):
        members.claim(visitor, team.people[0].id)
    assert reflections.own(visitor, meeting.id).so_what == ""


def test_the_team_link_cannot_see_another_members_personal_link(team):
    members.assign_role(team.as_coach, "facilitator", team.people[0].id)
    visitor = team.store.open_team(team.code)
    with pytest.raises(AccessDenied):
        visitor.as_member(team.people[0].id)  # picking the facilitator's name
    tokens = {p.token for p in team.people}
    assert tokens.isdisjoint(m.token for m in members.roster(visitor))
    # the facilitator sees their own personal link only; the coach sees every one
    assert [m.token for m in members.roster(team.member(0)) if m.token] == [team.people[0].token]
    assert {m.token for m in members.roster(team.as_coach)} == tokens


def test_the_team_link_cannot_renew_someone_elses_link(team):
    visitor = team.store.open_team(team.code)
    with pytest.raises(AccessDenied):
        visitor.as_member(team.people[1].id)
    with pytest.raises(AccessDenied):
        teams.rotate_member_token(visitor, team.people[1].id)
    members.assign_role(team.as_coach, "facilitator", team.people[0].id)
    with pytest.raises(AccessDenied, match="only your own"):  # nor may the facilitator
        teams.rotate_member_token(team.member(0), team.people[1].id)
    assert team.store.open_team(team.code, team.people[1].token).member_id == team.people[1].id


def test_the_team_link_cannot_act_as_facilitator(team):
    members.assign_role(team.as_coach, "facilitator", team.people[0].id)
    visitor = team.store.open_team(team.code)
    with pytest.raises(AccessDenied):
        visitor.as_member(team.people[0].id)
    with pytest.raises(AccessDenied, match="already taken"):
        members.claim(visitor, team.people[0].id)
    assert not visitor.allows(Permission.FACILITATE)
    with pytest.raises(AccessDenied):
        members.rotate_roles(visitor)
    with pytest.raises(AccessDenied):
        teams.rotate_team_code(visitor)
    with pytest.raises(AccessDenied):
        teams.rotate_member_token(visitor, team.people[1].id)


def test_a_name_added_by_someone_else_is_taken_once_on_the_team_link(team):
    dee = members.add(team.as_coach, "Dee")
    visitor = team.store.open_team(team.code)
    assert [m.name for m in members.roster(visitor) if not m.claimed] == ["Dee"]
    token = members.claim(visitor, dee.id)
    assert token != dee.token  # a link handed out before the claim stops working
    with pytest.raises(AccessDenied):
        team.store.open_team(team.code, dee.token)
    as_dee = team.store.open_team(team.code, token)
    assert as_dee.member_id == dee.id
    with pytest.raises(AccessDenied, match="already taken"):
        members.claim(team.store.open_team(team.code), dee.id)
    with pytest.raises(AccessDenied):  # a member cannot take a second name
        members.claim(team.member(1), dee.id)
    assert "Dee took their name on the team link" in [e.summary for e in activity.entries(as_dee)]


def test_opening_a_personal_link_takes_the_name(team):
    dee = members.add(team.as_coach, "Dee")
    team.store.open_team(team.code, dee.token)
    with pytest.raises(AccessDenied, match="already taken"):
        members.claim(team.store.open_team(team.code), dee.id)
    summaries = [e.summary for e in activity.entries(team.as_coach)]
    assert "Dee opened their personal link for the first time" in summaries


def test_a_newcomer_on_the_team_link_joins_with_their_name_taken(team):
    visitor = team.store.open_team(team.code)
    dee = members.join(visitor, "Dee")
    assert team.store.open_team(team.code, dee.token).member_id == dee.id
    with pytest.raises(AccessDenied, match="already taken"):
        members.claim(team.store.open_team(team.code), dee.id)


def test_a_coach_gives_a_member_a_new_link_and_the_name_stays_theirs(team):
    """A member who lost their link gets a new one from the coach; the name is never
    handed out again on the team link, so nobody else takes it, or its private entries."""
    members.assign_role(team.as_coach, "facilitator", team.people[0].id)
    with pytest.raises(AccessDenied):
        teams.rotate_member_token(team.member(0), team.people[1].id)
    token = teams.rotate_member_token(team.as_coach, team.people[1].id)
    with pytest.raises(AccessDenied):
        team.store.open_team(team.code, team.people[1].token)
    with pytest.raises(AccessDenied):
        members.roster(team.member(1))  # Ben's open page ends too
    with pytest.raises(AccessDenied, match="already taken"):
        members.claim(team.store.open_team(team.code), team.people[1].id)
    assert team.store.open_team(team.code, token).member_id == team.people[1].id


def test_a_newcomer_on_the_team_link_cannot_take_the_teams_keys_before_roles_are_given(team):
    """With no facilitator assigned every member facilitates the team's work, but not who
    is on it, who holds its roles or its code: anyone can join from the team link."""
    mallory = members.join(team.store.open_team(team.code), "Mallory")
    as_mallory = team.store.open_team(team.code, mallory.token)
    for attempt in (
        lambda: members.assign_role(as_mallory, "facilitator", mallory.id),
        lambda: teams.rotate_team_code(as_mallory),
        lambda: members.remove(as_mallory, team.people[0].id),
    ):
        with pytest.raises(AccessDenied):
            attempt()
    members.rotate_roles(as_mallory)  # the first, fair rotation: the team's own to start
    with pytest.raises(AccessDenied):
        members.rotate_roles(as_mallory)  # again, until it lands on her: no
    facilitator = members.current_roles(team.as_coach)["facilitator"]
    as_facilitator = team.store.open_team(team.code, facilitator.token)
    members.assign_role(as_facilitator, "recorder", team.people[2].id)  # theirs now
    teams.rotate_team_code(as_facilitator)


def test_a_device_token_from_another_team_is_refused_before_anything_is_written(team):
    other = teams.create_team(team.coach, "Grade 5 Science")
    zoe = members.add(other, "Zoe")
    with pytest.raises(AccessDenied):
        team.store.open_team("", zoe.token, within_team=team.as_coach.team_id)
    assert "Zoe opened their personal link for the first time" not in [
        e.summary for e in activity.entries(other)
    ]
    assert [m.name for m in members.roster(team.store.open_team(teams.team_code(other)))] == [
        "Zoe"
    ] and not members.roster(other)[0].claimed  # her name is still hers to take


def test_changing_the_team_code_ends_every_personal_link_collected(team):
    dee = members.add(team.as_coach, "Dee")
    collected = members.claim(team.store.open_team(team.code), dee.id)
    members.assign_role(team.as_coach, "facilitator", team.people[0].id)
    ana = team.member(0)
    teams.rotate_team_code(ana)
    for token in (collected, team.people[1].token, team.people[2].token):
        with pytest.raises(AccessDenied):
            team.store.open_team(team.code, token)
    members.roster(ana)  # the page that changed the code keeps working, as Ana
    assert ana.member_id == team.people[0].id
    new_visitor = team.store.open_team(teams.team_code(ana))
    with pytest.raises(AccessDenied, match="already taken"):  # names stay taken
        members.claim(new_visitor, dee.id)
    assert any("every personal link" in e.summary for e in activity.entries(ana))
