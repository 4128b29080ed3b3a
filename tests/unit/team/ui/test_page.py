"""A workbook page's way in: the visitor routed by what their link carries (a member's
personal link, a team link without a member, a coach's code with or without a team, a
wrong code), the title saying who they are, the links between workbooks, and tabs that
refresh when opened. (Closing a page is tested with the leak tests.)"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest

from collab_widgets.core.db import activity
from collab_widgets.team import links
from collab_widgets.team.store import teams
from collab_widgets.team.ui.coach import CoachPanel
from collab_widgets.team.ui.join import JoinScreen, PickNameScreen
from collab_widgets.team.ui.page import WorkbookPage
from tests.unit.widget_helpers import find, texts

NOTEBOOK = "03_goal_setting.ipynb"


class Refreshed(widgets.HTML):
    """A panel that counts how often its page refreshed it."""

    def refresh(self) -> None:
        self.value = str(int(self.value or 0) + 1)


class SamplePage(WorkbookPage):
    """A workbook page whose team view names the team it was built for."""

    NAME = "Sample <workbook>"
    NOTEBOOK = NOTEBOOK

    def team_view(self, scope):
        return [widgets.HTML(f"the team view of {html.escape(scope.team_name)}")]

    def coach_dashboard(self, coach):
        return Refreshed()


def visit(fixture, **params) -> SamplePage:
    return SamplePage(fixture.store, params)


def test_without_a_code_the_page_asks_for_one_without_a_message(sqlite_team):
    page = visit(sqlite_team)
    [join] = page.body.children
    assert isinstance(join, JoinScreen) and join.status.value == ""
    assert page.title.value == "<h1>Sample &lt;workbook&gt;</h1>"
    assert page.ready and page.scope is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"team": "WRONG-CODE-1234"}, "That code is not known."),
        ({"team": "TEAM", "member": "WRONG-TOKEN-1234"}, "This personal link is not valid"),
        ({"coach": "WRONG-CODE-1234"}, "That code is not known."),
    ],
)
def test_a_wrong_code_asks_again_with_a_plain_message_and_shows_nothing_of_a_team(
    sqlite_team, given, message
):
    params = {k: sqlite_team.code if v == "TEAM" else v for k, v in given.items()}
    page = visit(sqlite_team, **params)
    [join] = page.body.children
    assert isinstance(join, JoinScreen) and message in join.status.value
    assert "collab-error" in join.status.value
    assert page.scope is None and "Grade 4 Math" not in texts(page.widget)


def test_a_personal_link_still_opens_after_the_team_code_in_it_changed(sqlite_team):
    ben = sqlite_team.people[1]
    page = visit(sqlite_team, team="OLD-TEAM-CODE", member=ben.token)
    assert page.scope.member_id == ben.id
    assert page.link("01_protocols.ipynb") == links.workbook_link(
        "01_protocols.ipynb", team=sqlite_team.code, member=ben.token
    )


def test_a_personal_link_opens_the_team_as_that_member_with_links_as_them(sqlite_team):
    ben = sqlite_team.people[1]
    page = visit(sqlite_team, team=sqlite_team.code, member=ben.token)
    assert page.scope.member_id == ben.id
    assert "the team view of Grade 4 Math" in texts(page.body)
    assert page.title.value == (
        "<h1>Grade 4 Math — Sample &lt;workbook&gt;</h1><p class='collab-who'>You are: Ben</p>"
    )
    assert page.link("01_protocols.ipynb") == links.workbook_link(
        "01_protocols.ipynb", team=sqlite_team.code, member=ben.token
    )
    # every other workbook a link; this one named, not linked
    assert page.nav.value.count("<a href=") == len(links.WORKBOOKS) - 1
    assert (
        '<span aria-current="page">Goals</span>' in page.nav.value
        and NOTEBOOK not in page.nav.value
    )


def test_the_team_link_without_a_member_asks_for_a_name_and_the_device_is_asked(
    sqlite_team,
):
    page = visit(sqlite_team, team=sqlite_team.code)
    [pick] = page.body.children
    assert isinstance(pick, PickNameScreen)
    assert page.scope is None and page.visitor.team_name == "Grade 4 Math"
    assert page.device.team == sqlite_team.code  # the browser says whom it remembers
    assert page.nav.value == "" and "the team view" not in texts(page.body)
    assert page.title.value == "<h1>Sample &lt;workbook&gt; — Grade 4 Math</h1>"


def test_a_coach_code_alone_shows_the_coach_page_with_its_dashboard(sqlite_team):
    page = visit(sqlite_team, coach=sqlite_team.coach_code)
    [panel] = page.body.children
    assert isinstance(panel, CoachPanel) and panel.dashboard.value == "1"
    assert page.title.value == (
        "<h1>Sample &lt;workbook&gt;</h1><p class='collab-who'>You are: Coach, coach</p>"
    )
    assert page.scope is None and page.nav.value == ""


def test_a_coach_with_a_team_sees_it_as_coach_noted_and_can_go_back(sqlite_team):
    page = visit(sqlite_team, coach=sqlite_team.coach_code, team=sqlite_team.code)
    assert page.scope.actor.is_coach
    assert "<p class='collab-who'>You are: Coach, coach</p>" in page.title.value
    assert page.link("01_protocols.ipynb") == links.workbook_link(
        "01_protocols.ipynb", coach=sqlite_team.coach_code, team=sqlite_team.code
    )
    noted = [e.summary for e in activity.entries(sqlite_team.member(0))]
    assert noted[0] == "Coach Coach opened the Sample <workbook> workbook"
    back, view = page.body.children
    assert back.description == "← Your teams" and "the team view" in view.value
    back.click()
    assert isinstance(page.body.children[0], CoachPanel) and page.scope is None


def test_a_coach_code_with_a_wrong_team_code_asks_again(sqlite_team):
    page = visit(sqlite_team, coach=sqlite_team.coach_code, team="WRONG-CODE-1234")
    assert isinstance(page.body.children[0], JoinScreen)
    assert "collab-error" in page.body.children[0].status.value
    assert page.scope is None


def test_a_team_name_typed_as_markup_shows_as_text_in_the_title(sqlite_team):
    other = teams.create_team(sqlite_team.coach, "<b>Art</b>")
    page = visit(sqlite_team, coach=sqlite_team.coach_code, team=teams.team_code(other))
    assert "<h1>&lt;b&gt;Art&lt;/b&gt; — Sample &lt;workbook&gt;</h1>" in page.title.value


def test_a_tab_is_refreshed_each_time_it_is_opened(sqlite_team):
    page = visit(sqlite_team, team=sqlite_team.code, member=sqlite_team.people[0].token)
    first, second = Refreshed(), Refreshed()
    page.tabbed(("First", "Second"), [first, second])
    page.tabs.selected_index = 1
    page.tabs.selected_index = 0
    page.tabs.selected_index = 1
    assert (first.value, second.value) == ("1", "2")
    assert find(page.tabs, Refreshed) == [first, second]
