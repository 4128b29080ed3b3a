"""The coach's dashboard panel: a row per team the coach follows, team names as text,
the filters and sorts the coach chooses, and the two exports for a principal."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re

import pytest

from collab_widgets.actions import store as actions
from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.goals import store as goals
from collab_widgets.reports.ui.coach_dashboard import DashboardPanel
from collab_widgets.team.store import teams


@pytest.fixture
def coach(sqlite_team):
    """The coach's teams: Grade 4 Math (a cycle, an overdue action) and a second team
    whose typed name is markup, with neither."""
    math = sqlite_team.member(0)
    goals.create_cycle(math, "Unit 3", dt.date(2026, 10, 1), dt.date(2026, 12, 18))
    actions.add_action(math, "Call families", due_on=dt.date(2026, 10, 1))
    teams.create_team(sqlite_team.coach, "<b>Art</b> & music")
    return sqlite_team.coach


def panel(coach) -> DashboardPanel:
    made = DashboardPanel(coach, StatusLine())
    made.refresh()
    return made


def team_names(made: DashboardPanel) -> list[str]:
    """The first cell of each row of the table, in order."""
    return re.findall(r"<tr><td>(.*?)</td>", made.table.value)


def download(made: DashboardPanel, css: str) -> bytes:
    found = re.search(
        rf"<a class='{css}' download='[^']*' href='data:[^;]*;base64,([^']*)'", (made.exports.value)
    )
    assert found, made.exports.value
    return base64.b64decode(found.group(1))


def test_a_coach_without_teams_sees_no_row_and_no_export(sqlite_store):
    _, code, _ = teams.first_coach_code(sqlite_store)
    made = panel(sqlite_store.open_coach(code))
    assert made.table.value == "<p class='collab-note'>No team matches.</p>"
    assert made.exports.value == ""


def test_each_team_has_a_row_its_typed_name_shown_as_text(coach):
    made = panel(coach)
    assert sorted(team_names(made)) == ["&lt;b&gt;Art&lt;/b&gt; &amp; music", "Grade 4 Math"]
    assert "<b>Art</b>" not in made.table.value
    math_row = made.table.value.split("<tr><td>Grade 4 Math</td>")[1].split("</tr>")[0]
    assert "<td>planning</td><td>Unit 3</td>" in math_row


def test_the_filters_show_only_the_teams_that_match_and_say_when_none_does(coach):
    made = panel(coach)
    made.stage.value = "no cycle"
    assert team_names(made) == ["&lt;b&gt;Art&lt;/b&gt; &amp; music"]
    made.stage.value = ""
    made.overdue.value = True
    assert team_names(made) == ["Grade 4 Math"]
    made.stage.value = "closed"
    assert made.table.value == "<p class='collab-note'>No team matches.</p>"


def test_the_sort_chosen_orders_the_rows(coach):
    made = panel(coach)
    made.sort.value = "team"
    assert team_names(made) == ["&lt;b&gt;Art&lt;/b&gt; &amp; music", "Grade 4 Math"]
    made.sort.value = "overdue actions"
    assert team_names(made) == ["Grade 4 Math", "&lt;b&gt;Art&lt;/b&gt; &amp; music"]


def test_the_exports_hold_every_team_whatever_the_filter(coach):
    made = panel(coach)
    made.stage.value = "closed"  # the table shows none; the exports are for a principal
    made.refresh()
    rows = list(csv.reader(io.StringIO(download(made, "collab-dashboard-csv").decode("utf-8-sig"))))
    assert rows[0][0] == "Team" and sorted(r[0] for r in rows[1:]) == [
        "<b>Art</b> & music",
        "Grade 4 Math",
    ]
    page = download(made, "collab-dashboard-html").decode("utf-8")
    assert "&lt;b&gt;Art&lt;/b&gt; &amp; music" in page and "<b>Art</b>" not in page


def test_refresh_picks_up_a_team_created_since(coach):
    made = panel(coach)
    teams.create_team(coach, "Grade 5 Science")
    made.refresh()
    assert "Grade 5 Science" in team_names(made)
