"""The reflection panel: the meeting it works on, the member's private reflection (a coach
has none), the team's synthesis written together, and nothing to type without a meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from collab_widgets.core.ui.debounce import flush_all
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.meetings import store as meetings
from collab_widgets.reflection import store as reflections
from collab_widgets.reflection.ui import HINTS, ReflectionPanel


class Chosen:
    """The meeting chosen at the page's top, as the page's chooser gives it."""

    def __init__(self, meeting_id: int | None):
        self.meeting_id = meeting_id

    def __call__(self) -> int | None:
        return self.meeting_id


@pytest.fixture
def two_meetings(sqlite_team):
    ana = sqlite_team.member(0)
    sqlite_team.first = meetings.create(ana, dt.date(2026, 10, 8), "Early October").id
    sqlite_team.second = meetings.create(ana, dt.date(2026, 10, 22), "Late October").id
    return sqlite_team


def panel(scope, chosen, indicator: SavedIndicator | None = None) -> ReflectionPanel:
    made = ReflectionPanel(scope, StatusLine(), indicator or SavedIndicator(), chosen)
    made.refresh()
    return made


def test_without_a_meeting_nothing_can_be_typed_and_the_panel_says_why(sqlite_team):
    made = panel(sqlite_team.member(0), Chosen(None))
    assert made.empty.layout.display is None
    assert "Plan a meeting first (Start page, Next meeting)." in made.empty.value
    assert all(box.disabled for box in (*made.own.values(), *made.shared.values()))


def test_each_box_says_what_to_write_in_it(two_meetings):
    made = panel(two_meetings.member(0), Chosen(two_meetings.first))
    for part, hint in HINTS.items():
        assert made.own[part].placeholder == made.shared[part].placeholder == hint
    assert made.own["so_what"].description == "So what?"
    assert not any(box.disabled for box in made.own.values())


def test_a_coach_has_no_private_reflection_but_reads_and_writes_the_synthesis(two_meetings):
    reflections.save_synthesis(two_meetings.member(0), two_meetings.first, "what", "We met", "")
    coach = two_meetings.coach.open_team(two_meetings.code)
    made = panel(coach, Chosen(two_meetings.first))
    assert made.private.layout.display == "none"
    assert made.shared["what"].value == "We met"
    made.shared["what"].value = "We met and <b>agreed</b>"
    flush_all()
    assert reflections.synthesis(two_meetings.member(1), two_meetings.first).what == (
        "We met and <b>agreed</b>"
    )
    assert panel(two_meetings.member(0), Chosen(None)).private.layout.display is None


def test_the_boxes_follow_the_meeting_chosen(two_meetings):
    ana = two_meetings.member(0)
    reflections.save_own(ana, two_meetings.first, "what", "Mine, early")
    reflections.save_synthesis(ana, two_meetings.second, "now_what", "Ours, late", "")
    chosen = Chosen(two_meetings.first)
    made = panel(ana, chosen)
    assert made.own["what"].value == "Mine, early" and made.shared["now_what"].value == ""
    chosen.meeting_id = two_meetings.second
    made.refresh()
    assert made.own["what"].value == "" and made.shared["now_what"].value == "Ours, late"


def test_typing_saves_to_the_meeting_shown_each_member_their_own(two_meetings):
    ana, ben = two_meetings.member(0), two_meetings.member(1)
    anas = panel(ana, Chosen(two_meetings.second))
    bens = panel(ben, Chosen(two_meetings.second))
    anas.own["now_what"].value = "Try <i>number talks</i>"
    bens.own["now_what"].value = "Ask Maya"
    flush_all()
    assert reflections.own(ana, two_meetings.second).now_what == "Try <i>number talks</i>"
    assert reflections.own(ben, two_meetings.second).now_what == "Ask Maya"
    assert reflections.own(ana, two_meetings.first).now_what == ""


def test_a_synthesis_changed_meanwhile_on_another_page_is_not_overwritten(two_meetings):
    ana, ben = two_meetings.member(0), two_meetings.member(1)
    indicator = SavedIndicator()
    bens = panel(ben, Chosen(two_meetings.first), indicator)
    reflections.save_synthesis(ana, two_meetings.first, "so_what", "Ana's version", "")
    bens.shared["so_what"].value = "Ben's version"
    flush_all()
    assert reflections.synthesis(ana, two_meetings.first).so_what == "Ana's version"
    assert bens.synthesis["so_what"].panel.layout.display is None  # both shown, to choose
    assert "Not saved" in indicator.value
