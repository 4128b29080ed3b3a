"""The meeting record panel: one click makes the chosen meeting's record as a page and as
Markdown, named after the team and the date; a meeting gone or never planned is explained."""

from __future__ import annotations

import base64
import datetime as dt
import re

from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.meetings import store as meetings
from collab_widgets.reports.ui.record_panel import RecordPanel
from tests.unit.widget_helpers import BUTTONS, find

DAY = dt.date(2026, 10, 22)


def panel(scope, meeting_id: int | None) -> RecordPanel:
    made = RecordPanel(scope, StatusLine(), lambda: meeting_id)
    made.refresh()
    return made


def make(made: RecordPanel) -> None:
    [go] = find(made, BUTTONS, lambda b: b.description == "Make the meeting record")
    go.click()


def downloads(made: RecordPanel) -> dict[str, tuple[str, bytes]]:
    """Each link's class: (the file name it saves as, the bytes it holds)."""
    found = re.findall(
        r"<a class='([^']*)' download='([^']*)' href='data:[^;]*;base64,([^']*)'",
        made.links.value,
    )
    return {css: (name, base64.b64decode(data)) for css, name, data in found}


def test_the_record_comes_as_a_page_and_as_markdown_named_after_the_team_and_day(
    sqlite_team,
):
    ana = sqlite_team.member(0)
    meeting = meetings.create(ana, DAY, "Data <b>day</b>").id
    made = panel(ana, meeting)
    make(made)
    files = downloads(made)
    assert files["collab-record-html"][0] == "grade-4-math-meeting-2026-10-22.html"
    assert files["collab-record-md"][0] == "grade-4-math-meeting-2026-10-22.md"
    assert files["collab-record-md"][1].decode("utf-8").startswith("# ")
    assert "Data &lt;b&gt;day&lt;/b&gt;, 22 October 2026:" in made.links.value
    assert "<b>day</b>" not in made.links.value
    size = len(files["collab-record-html"][1]) // 1024
    assert f"22 October 2026: {size} KB.</p>" in made.links.value
    assert "The record is ready: open it, print it or save it." in made.status.value


def test_a_coach_makes_the_record_too(sqlite_team):
    meeting = meetings.create(sqlite_team.member(0), DAY, "Late October").id
    made = panel(sqlite_team.coach.open_team(sqlite_team.code), meeting)
    make(made)
    assert "collab-record-html" in downloads(made)


def test_opening_the_tab_again_offers_no_record_of_an_earlier_choice(sqlite_team):
    ana = sqlite_team.member(0)
    made = panel(ana, meetings.create(ana, DAY, "Late October").id)
    make(made)
    assert made.links.value
    made.refresh()
    assert made.links.value == ""


def test_a_meeting_moved_to_the_trash_since_it_was_chosen_is_explained(sqlite_team):
    ana = sqlite_team.member(0)
    meeting = meetings.create(ana, DAY, "Late October").id
    made = panel(ana, meeting)
    meetings.delete(ana, meeting)
    make(made)
    assert "no longer there" in made.status.value and "collab-error" in made.status.value
    assert made.links.value == ""
