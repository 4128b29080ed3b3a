"""A workbook page opened by a visitor the district's hub signed in (the server adds the
page's session to its query): no code in the address, only their own teams."""

from __future__ import annotations

import asyncio
import html

from collab_widgets.core.db import hub
from collab_widgets.meetings.app import TodaysMeetingApp
from collab_widgets.team.app import StartHereApp
from collab_widgets.team.store import members, teams
from collab_widgets.team.ui.coach import CoachPanel
from collab_widgets.team.ui.page import NOT_LINKED, NOT_LINKED_UNDER_THE_HUB
from tests.unit.widget_helpers import texts


def shown(app) -> str:
    return html.unescape(texts(app.widget))


def signed_in(fixture, user: str, app_class=StartHereApp, **params):
    session = hub.start_session(fixture.store, user, "collab-a")
    return app_class(fixture.store, {"hub_session": session, **params})


def test_a_signed_in_member_lands_on_their_team_with_no_code_in_any_link(sqlite_team):
    hub.link_member(sqlite_team.store, "ana", sqlite_team.code, "Ana")
    app = signed_in(sqlite_team, "ana")
    assert app.scope.member_id == sqlite_team.people[0].id
    assert "You are: Ana" in app.title.value
    nav = app.nav.value
    assert f"hub_team={sqlite_team.as_coach.team_id}" in nav
    assert sqlite_team.code.replace("-", "") not in nav.replace("-", "")
    assert sqlite_team.people[0].token not in nav and "member=" not in nav
    app.close()


def test_a_teacher_on_two_teams_picks_one_and_no_other_team_opens(sqlite_team):
    other = teams.create_team(sqlite_team.coach, "Grade 5 Science")
    members.add(other, "Ana L.")
    stranger = teams.create_team(sqlite_team.coach, "Not Ana's")
    hub.link_member(sqlite_team.store, "ana", sqlite_team.code, "Ana")
    hub.link_member(sqlite_team.store, "ana", teams.team_code(other), "Ana L.")
    app = signed_in(sqlite_team, "ana")
    page = shown(app)
    assert app.scope is None and "Which team?" in page
    assert "Grade 4 Math" in page and "Grade 5 Science" in page and "Not Ana's" not in page
    app.close()
    chosen = signed_in(sqlite_team, "ana", hub_team=str(other.team_id))
    assert chosen.scope.team_id == other.team_id and "Ana L." in chosen.title.value
    chosen.close()
    refused = signed_in(sqlite_team, "ana", hub_team=str(stranger.team_id))
    assert refused.scope is None
    assert "not on that team" in shown(refused)
    assert "Not Ana's" not in refused.title.value
    refused.close()


def test_a_signed_in_coach_gets_the_coach_page_and_their_teams_by_number(sqlite_team):
    hub.link_coach(sqlite_team.store, "dana", sqlite_team.coach_code)
    app = signed_in(sqlite_team, "dana")
    assert isinstance(app.body.children[0], CoachPanel)
    app.close()
    page = signed_in(
        sqlite_team, "dana", TodaysMeetingApp, hub_team=str(sqlite_team.as_coach.team_id)
    )
    assert page.scope.actor.is_coach and page.scope.team_id == sqlite_team.as_coach.team_id
    assert "coach=" not in page.nav.value
    page.close()


def test_a_first_visit_with_a_personal_link_links_the_account(sqlite_team):
    ben = sqlite_team.people[1]
    app = signed_in(sqlite_team, "ben", member=ben.token, team=sqlite_team.code)
    assert app.scope.member_id == ben.id
    app.close()
    later = signed_in(sqlite_team, "ben")  # no code needed from now on
    assert later.scope.member_id == ben.id
    later.close()
    # his old link, bookmarked: he is signed in and linked, so his team opens anyway
    bookmarked = signed_in(sqlite_team, "ben", member=ben.token, team=sqlite_team.code)
    assert bookmarked.scope.member_id == ben.id
    assert "not valid any more" in bookmarked.status.value
    bookmarked.close()
    thief = signed_in(sqlite_team, "mallory", member=ben.token, team=sqlite_team.code)
    assert thief.scope is None and "not valid any more" in shown(thief)
    thief.close()
    sqlite_team.refresh()  # the new link, from the coach's roster, in the wrong hands
    new_link = sqlite_team.people[1].token
    thief = signed_in(sqlite_team, "mallory", member=new_link, team=sqlite_team.code)
    assert thief.scope is None and "another district account" in shown(thief)
    thief.close()


def test_an_account_linked_to_nobody_is_told_how_to_get_in(sqlite_team):
    app = signed_in(sqlite_team, "newcomer")
    assert app.scope is None and NOT_LINKED in shown(app)
    app.close()
    sqlite_team.store.require_hub = True  # --require-hub: only the coach can link
    app = signed_in(sqlite_team, "newcomer")
    assert NOT_LINKED_UNDER_THE_HUB in shown(app) and "personal link" not in shown(app)
    app.close()


def test_an_unknown_session_opens_nothing(sqlite_team):
    app = StartHereApp(sqlite_team.store, {"hub_session": "made-up", "team": sqlite_team.code})
    assert app.scope is None and app.coach is None
    assert "Sign in again" in shown(app)
    app.close()


def test_the_open_page_ends_when_the_hub_user_is_removed(sqlite_team, monkeypatch):
    monkeypatch.setenv("COLLAB_HUB_CHECK_SECONDS", "0.05")
    hub.link_member(sqlite_team.store, "ana", sqlite_team.code, "Ana")

    async def open_then_remove():
        app = signed_in(sqlite_team, "ana")
        assert app.scope is not None
        hub.forget_user(sqlite_team.store, "ana", "was removed from the hub")
        await asyncio.sleep(0.3)
        return app

    app = asyncio.run(open_then_remove())
    assert app.scope is None
    assert "sign-in on this page has ended" in shown(app)
    app.close()
