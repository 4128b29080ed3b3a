"""Permissions are checked in the store at the action, whatever the page shows."""

import datetime as dt

import pytest

from collab_widgets.access import AddressLimit, Gate
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


def _wrong():
    raise AccessDenied("No workshop has that code.")


def test_an_address_limit_counts_wrong_codes_in_a_window_and_refuses_even_right_ones(
    fixed_clock,
):
    limit = AddressLimit(3, dt.timedelta(minutes=10), clock=fixed_clock)
    for minutes_later in (1, 2, 0):  # wrong codes at minutes 0, 1 and 3
        with pytest.raises(AccessDenied, match="No workshop"):
            limit.attempt("10.0.0.7", _wrong)
        if minutes_later:
            assert limit.attempt("10.0.0.7", lambda: "joined") == "joined"  # clears nothing
            fixed_clock.advance(minutes=minutes_later)
    # full until the first is ten minutes old
    with pytest.raises(AccessDenied, match="Wait 421 seconds"):
        limit.attempt("10.0.0.7", lambda: "joined")
    fixed_clock.advance(minutes=6)  # minute 9
    with pytest.raises(AccessDenied, match="Wait 61 seconds"):
        limit.attempt("10.0.0.7", lambda: "joined")
    assert limit.attempt("10.0.0.8", lambda: "joined") == "joined"  # another address
    fixed_clock.advance(minutes=1)
    assert limit.attempt("10.0.0.7", lambda: "joined") == "joined"


def test_an_address_limit_counts_an_ipv6_block_as_one_and_forgets_quiet_addresses(fixed_clock):
    limit = AddressLimit(2, dt.timedelta(minutes=10), clock=fixed_clock, max_addresses=3)
    for address in ("2001:db8:1:2::a", "2001:db8:1:2:ffff::b"):  # one /64
        with pytest.raises(AccessDenied, match="No workshop"):
            limit.attempt(address, _wrong)
    with pytest.raises(AccessDenied, match="Too many wrong codes"):
        limit.attempt("2001:db8:1:2::c", lambda: "joined")
    with pytest.raises(AccessDenied, match="No workshop"):  # an IPv4 client on IPv6
        limit.attempt("::ffff:192.0.2.1", _wrong)
    with pytest.raises(AccessDenied, match="No workshop"):
        limit.attempt("192.0.2.1", _wrong)
    with pytest.raises(AccessDenied, match="Too many"):
        limit.attempt("192.0.2.1", lambda: "joined")
    fixed_clock.advance(minutes=11)
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        with pytest.raises(AccessDenied, match="No workshop"):
            limit.attempt(address, _wrong)
    assert len(limit._failures) <= 4  # the two quiet ones were forgotten
