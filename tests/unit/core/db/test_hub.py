"""Signing in through the district's hub, in the store: links, sessions, and what a code
alone can no longer open (collab_widgets.core.db.hub, database.HubVisitor)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from collab_widgets.core.db import Permission, Store, hub
from collab_widgets.core.db import tables as t
from collab_widgets.core.db.activity import entries
from collab_widgets.core.errors import AccessDenied, InvalidInput
from collab_widgets.team.store import members, norms, teams


def signed_in(store: Store, user: str, server: str = "collab-a"):
    return store.open_hub(hub.start_session(store, user, server))


@pytest.fixture
def linked(team):
    """Ana is the hub user ana; the coach is the hub user dana."""
    hub.link_member(team.store, "ana", team.code, "Ana")
    hub.link_coach(team.store, "dana", team.coach_code)
    team.refresh()  # linking renewed Ana's personal link and the coach's code
    return team


def test_a_signed_in_member_opens_their_own_team_as_themselves(linked):
    visitor = signed_in(linked.store, "ana")
    [only] = visitor.teams()
    scope = visitor.open_member(only.team_id)
    assert scope.member_id == linked.people[0].id and scope.team_name == "Grade 4 Math"
    norms.add(scope, "time", "We start on time.")  # writes as Ana
    assert not visitor.is_coach()


def test_a_signed_in_member_opens_no_other_team(linked):
    other = teams.create_team(linked.coach, "Grade 5 Science")
    members.add(other, "Ana")  # another Ana, not linked
    visitor = signed_in(linked.store, "ana")
    with pytest.raises(AccessDenied, match="not on that team"):
        visitor.open_member(other.team_id)
    with pytest.raises(AccessDenied):
        visitor.open_coach()
    assert [team.team_name for team in signed_in(linked.store, "ben").teams()] == []


def test_a_teacher_on_two_teams_has_both_and_acts_as_the_right_member(linked):
    other = teams.create_team(linked.coach, "Grade 5 Science")
    members.add(other, "Ana Lopez")
    hub.link_member(linked.store, "ana", teams.team_code(other), "Ana Lopez")
    visitor = signed_in(linked.store, "ana")
    assert [(t.team_name, t.member_name) for t in visitor.teams()] == [
        ("Grade 4 Math", "Ana"),
        ("Grade 5 Science", "Ana Lopez"),
    ]
    assert visitor.open_member(other.team_id).team_id == other.team_id


def test_a_linked_member_or_coach_cannot_be_opened_with_a_code_alone(linked):
    with pytest.raises(AccessDenied, match="district's sign-in"):
        linked.store.open_team(linked.code, linked.people[0].token)
    with pytest.raises(AccessDenied, match="district's sign-in"):
        linked.store.open_coach(linked.coach_code)
    # the team link can no longer hand Ana's name to anyone
    visitor = linked.store.open_team(linked.code)
    with pytest.raises(AccessDenied):
        members.claim(visitor, linked.people[0].id)
    # the server's console still can
    assert linked.store.open_coach(linked.coach_code, operator=True).name
    # Ben, not linked, still opens with his link
    assert linked.store.open_team(linked.code, linked.people[1].token).member_id


def test_a_personal_link_links_the_first_signed_in_account_and_no_other(team):
    ben_token = team.people[1].token
    first = signed_in(team.store, "ben")
    assert first.claim_personal_link(ben_token) == team.as_coach.team_id
    assert [t.member_name for t in first.teams()] == ["Ben"]
    with pytest.raises(AccessDenied, match="not valid any more"):  # linking renewed it
        signed_in(team.store, "mallory").claim_personal_link(ben_token)
    team.refresh()  # Ben's new link, as the coach's roster shows it
    first.claim_personal_link(team.people[1].token)  # his own again: nothing changes
    with pytest.raises(AccessDenied, match="another district account"):
        signed_in(team.store, "mallory").claim_personal_link(team.people[1].token)
    assert "Ben now signs in with the district account ben" in [
        e.summary for e in entries(team.as_coach)
    ]


def test_a_coach_link_links_a_coach_once(team):
    visitor = signed_in(team.store, "dana")
    visitor.claim_coach_link(team.coach_code)
    coach = signed_in(team.store, "dana").open_coach()
    assert coach.open_team_by_id(team.as_coach.team_id).actor.is_coach
    with pytest.raises(AccessDenied, match="not known"):  # linking renewed it
        signed_in(team.store, "eve").claim_coach_link(team.coach_code)
    team.refresh()
    with pytest.raises(AccessDenied, match="another district account"):
        signed_in(team.store, "eve").claim_coach_link(team.coach_code)


def test_a_hub_coach_opens_only_the_teams_they_follow(linked):
    stranger_coach = linked.store.open_coach(teams.add_coach(linked.store, "Other Coach"))
    theirs = teams.create_team(stranger_coach, "Not Dana's")
    coach = signed_in(linked.store, "dana").open_coach()
    with pytest.raises(AccessDenied, match="another coach"):
        coach.open_team_by_id(theirs.team_id)
    with pytest.raises(AccessDenied, match="another coach"):
        coach.open_team_by_id(10**6)
    assert coach.open_team_by_id(linked.as_coach.team_id).team_name == "Grade 4 Math"


def test_removing_a_hub_user_ends_their_open_pages_and_links(linked):
    page = signed_in(linked.store, "ana")
    scope = page.open_member(page.teams()[0].team_id)
    coach_page = signed_in(linked.store, "dana").open_coach()
    assert hub.signed_in_users(linked.store, "collab-a") == ["ana", "dana"]
    assert hub.forget_user(linked.store, "ana", "was removed from the hub") == 1
    with pytest.raises(AccessDenied, match="sign-in on this page has ended"):
        scope.revision()
    with pytest.raises(AccessDenied, match="sign-in on this page has ended"):
        page.teams()
    assert coach_page.open_team_by_id(linked.as_coach.team_id)  # dana's still stands
    assert "Ana's district sign-in was removed from the hub" in [
        e.summary for e in entries(linked.as_coach)
    ]
    assert hub.signed_in_users(linked.store, "collab-a") == ["dana"]
    assert [link.hub_user for link in hub.links(linked.store)] == ["dana"]


def test_an_ended_or_unknown_session_opens_nothing(linked):
    secret = hub.start_session(linked.store, "ana", "collab-a")
    scope = linked.store.open_hub(secret).open_member(linked.as_coach.team_id)
    hub.end_session(linked.store, secret)
    with pytest.raises(AccessDenied, match="ended"):
        scope.revision()
    for wrong in ("", "x", secret):
        with pytest.raises(AccessDenied, match="ended"):
            linked.store.open_hub(wrong)


def test_a_session_is_kept_hashed_and_ends_after_its_hours(linked, fixed_clock):
    secret = hub.start_session(linked.store, "ana", "collab-a")
    with linked.store.reading() as conn:
        rows = conn.execute(sa.select(t.hub_sessions)).all()
    assert secret not in repr(rows)
    visitor = linked.store.open_hub(secret)
    scope = visitor.open_member(linked.as_coach.team_id)
    coach_secret = hub.start_session(linked.store, "dana", "collab-a")
    coach = linked.store.open_hub(coach_secret).open_coach()
    fixed_clock.advance(hours=hub.SESSION_HOURS, seconds=1)  # nobody else signed in since
    for ended in (scope.revision, visitor.teams, lambda: coach.open_team(linked.code)):
        with pytest.raises(AccessDenied, match="ended"):
            ended()
    with pytest.raises(AccessDenied):
        linked.store.open_hub(secret)


def test_linking_renews_the_old_link_and_unlinking_does_not_bring_it_back(team):
    ana = team.people[0]
    old_page = team.member(0)  # opened with Ana's personal link before she was linked
    old_coach_page = team.coach
    hub.link_member(team.store, "ana", team.code, "Ana")
    hub.link_coach(team.store, "dana", team.coach_code)
    with pytest.raises(AccessDenied):
        norms.add(old_page, "time", "Written from the old link")
    with pytest.raises(AccessDenied):
        teams.create_team(old_coach_page, "From the old coach link")
    hub.forget_user(team.store, "ana", "was unlinked by the server's operator")
    hub.forget_user(team.store, "dana", "was unlinked by the server's operator")
    with pytest.raises(AccessDenied):
        team.store.open_team(team.code, ana.token)
    with pytest.raises(AccessDenied):
        team.store.open_coach(team.coach_code)


def test_under_require_hub_a_link_cannot_link_an_account(team, store_url):
    strict = Store(store_url, require_hub=True)
    try:
        visitor = signed_in(strict, "eve")
        with pytest.raises(AccessDenied, match="ask your coach to link"):
            visitor.claim_personal_link(team.people[1].token)
        with pytest.raises(AccessDenied, match="ask your coach to link"):
            visitor.claim_coach_link(team.coach_code)
        assert visitor.teams() == [] and not visitor.is_coach()
    finally:
        strict.close()


def test_a_removed_member_is_no_longer_opened_through_the_hub(linked):
    visitor = signed_in(linked.store, "ana")
    scope = visitor.open_member(linked.as_coach.team_id)
    members.remove(linked.as_coach, linked.people[0].id)
    with pytest.raises(AccessDenied):
        scope.revision()
    assert visitor.teams() == []


def test_under_require_hub_no_code_opens_a_teachers_or_coaches_page(linked, store_url):
    strict = Store(store_url, require_hub=True)
    try:
        for open_with_code in (
            lambda: strict.open_team(linked.code),
            lambda: strict.open_team(linked.code, linked.people[1].token),
            lambda: strict.open_coach(linked.coach_code),
            lambda: strict.identify(linked.code),
        ):
            with pytest.raises(AccessDenied, match="district's sign-in"):
                open_with_code()
        # a signed-in coach still opens teams (by the codes their own pages hold)
        coach = signed_in(strict, "dana").open_coach()
        scope = coach.open_team(linked.code)
        assert scope.allows(Permission.COACH)
        assert strict.open_coach(linked.coach_code, operator=True).name
    finally:
        strict.close()


def test_the_console_links_by_team_and_name_and_refuses_plainly(linked):
    with pytest.raises(InvalidInput, match="already linked to the hub user 'ana'"):
        hub.link_member(linked.store, "someone", linked.code, "ana")
    with pytest.raises(InvalidInput, match="Nobody called 'Zed'"):
        hub.link_member(linked.store, "zed", linked.code, "Zed")
    with pytest.raises(AccessDenied, match="team code is not known"):
        hub.link_member(linked.store, "zed", "nope", "Ben")
    with pytest.raises(InvalidInput, match="hub user's name"):
        hub.link_member(linked.store, " ", linked.code, "Ben")
    with pytest.raises(InvalidInput, match="already linked"):
        hub.link_coach(linked.store, "other", linked.coach_code)
    assert [(link.hub_user, link.who) for link in hub.links(linked.store)] == [
        ("ana", "Ana on Grade 4 Math"),
        ("dana", "coach " + linked.coach.name),
    ]
