"""The coach's panel: the coach's teams with their codes and links (names as text), a
team created (or refused, with a plain message), a team opened as coach, and the
dashboard refreshed with the panel."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.codes import display
from collab_widgets.core.ui.browser_parts import CopyLink
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.reports.ui.coach_dashboard import DashboardPanel
from collab_widgets.team import links
from collab_widgets.team.store import teams
from collab_widgets.team.ui.coach import CoachPanel
from tests.unit.widget_helpers import BUTTONS, find, texts


def panel(coach, opened: list | None = None) -> CoachPanel:
    status = StatusLine()
    heard = opened if opened is not None else []
    return CoachPanel(coach, status, heard.append, DashboardPanel(coach, status))


def click(widget, words: str, index: int = 0) -> None:
    found = find(widget, BUTTONS, lambda b: b.description == words)
    found[index].click()


def test_a_new_coach_is_told_there_are_no_teams_yet(sqlite_store):
    made = panel(sqlite_store.open_coach(teams.add_coach(sqlite_store, "Dana")))
    assert "No teams yet." in texts(made.list)
    assert "Coach: Dana" in texts(made)


def test_each_team_shows_its_size_code_and_link_and_a_typed_name_as_text(sqlite_team):
    teams.create_team(sqlite_team.coach, "<i>Art</i> & music")
    made = panel(sqlite_team.coach)
    shown = texts(made.list)
    code = sqlite_team.code
    assert f"<b>Grade 4 Math</b> — 3 members — code <code>{display(code)}</code>" in shown
    copies = {c.description: c.value for c in find(made.list, CopyLink)}
    # beside it, with a Copy button named for the team
    assert copies["Copy the team link of Grade 4 Math"] == links.team_link(code)
    assert "<b>&lt;i&gt;Art&lt;/i&gt; &amp; music</b> — 0 members" in shown
    # as text in the page's HTML; the Copy button's name is an attribute, set as text
    assert "<i>Art</i>" not in "".join(w.value for w in find(made.list, widgets.HTML))


def test_the_coach_link_and_the_workshop_presenter_link_carry_the_coach_code(sqlite_team):
    made = panel(sqlite_team.coach)
    code = teams.coach_code(sqlite_team.coach)
    assert f"<code>{display(code)}</code>" in made.own_code.value
    assert made.own_link.value == links.coach_link(code)  # with its Copy button
    assert f"<a href='{links.presenter_link(code)}' target='_blank'>" in (made.workshops_link.value)


def test_a_team_is_created_listed_and_shown_on_the_dashboard(sqlite_team):
    made = panel(sqlite_team.coach)
    made.team_name.value = "  Grade 5 Science "
    click(made, "Create team")
    assert "Team “Grade 5 Science” created." in made.status.value
    assert made.team_name.value == ""
    assert "<b>Grade 5 Science</b> — 0 members" in texts(made.list)
    assert "Grade 5 Science" in made.dashboard.table.value


def test_a_team_without_a_name_is_refused_with_a_plain_message(sqlite_team):
    made = panel(sqlite_team.coach)
    made.team_name.value = "   "
    click(made, "Create team")
    assert "collab-error" in made.status.value and "team name" in made.status.value
    assert [t.name for t in teams.coach_teams(sqlite_team.coach)] == ["Grade 4 Math"]


def test_open_gives_the_page_the_team_as_its_coach(sqlite_team):
    opened = []
    made = panel(sqlite_team.coach, opened)
    click(made.list, "Open")
    [scope] = opened
    assert scope.team_name == "Grade 4 Math" and scope.actor.is_coach


def test_a_team_that_is_not_the_coachs_is_refused_and_the_list_read_again(sqlite_team):
    store = sqlite_team.store
    other = store.open_coach(teams.add_coach(store, "Other coach"))
    teams.create_team(other, "Not yours")
    [theirs] = teams.coach_teams(other)
    opened = []
    made = panel(sqlite_team.coach, opened)
    # a forged widget message can only reach a callback: run one as a click would
    guarded(made.status)(made._open)(theirs.id)
    assert "That team is no longer one of yours; the list is updated." in made.status.value
    assert opened == [] and "Not yours" not in texts(made.list)
