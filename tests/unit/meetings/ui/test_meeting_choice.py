"""Which meeting a page works on: the next one unless another is chosen; a choice is kept
while the list is read again, and only a visitor's choice tells the page."""

from __future__ import annotations

import datetime as dt

from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.meetings import store as meetings
from collab_widgets.meetings.ui.meeting_choice import MeetingChooser


def chooser(scope, changes: list) -> MeetingChooser:
    return MeetingChooser(scope, StatusLine(), lambda: changes.append("changed"))


def test_a_team_without_meetings_has_none_chosen(sqlite_team):
    made = chooser(sqlite_team.member(0), [])
    assert made.meeting_id is None and made.choice.options == ()


def test_the_next_meeting_is_chosen_at_first_and_each_is_offered_by_date_and_title(
    sqlite_team,
):
    ana = sqlite_team.member(0)
    past = meetings.create(ana, dt.date(2026, 10, 1), "September review")
    upcoming = meetings.create(ana, dt.date(2026, 10, 22), "October planning")
    changes = []
    made = chooser(ana, changes)
    assert made.meeting_id == upcoming.id
    labels = dict((value, label) for label, value in made.choice.options)
    assert labels[past.id] == "Thu 01 Oct 2026 — September review"
    assert labels[upcoming.id] == "Thu 22 Oct 2026 — October planning"
    assert changes == []  # filling the list is not a visitor's choice


def test_a_choice_is_kept_when_the_list_is_read_again_and_tells_the_page(sqlite_team):
    ana = sqlite_team.member(0)
    past = meetings.create(ana, dt.date(2026, 10, 1), "September review")
    meetings.create(ana, dt.date(2026, 10, 22), "October planning")
    changes = []
    made = chooser(ana, changes)
    made.choice.value = past.id
    assert changes == ["changed"]
    meetings.create(sqlite_team.member(1), dt.date(2026, 10, 20), "Added by Ben")
    made.refresh()
    assert made.meeting_id == past.id and len(made.choice.options) == 3
    assert changes == ["changed"]
