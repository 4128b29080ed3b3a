"""The pulse survey panel: who opens a round, how rounds are offered, the form a member
answers (kept while they answer, gone once sent or closed), and the trend over rounds."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets

from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.instruments import store as surveys
from collab_widgets.instruments.ui import SurveyPanel
from collab_widgets.meetings import store as meetings
from tests.unit.widget_helpers import BUTTONS, find, texts


def panel(scope, meeting_id: int | None = None) -> SurveyPanel:
    made = SurveyPanel(scope, StatusLine(), lambda: meeting_id)
    made.refresh()
    return made


def fist_to_five(scope, title="Proposal", minimum=2) -> int:
    return surveys.open_round(scope, "fist-to-five", title, minimum)


def answer(made: SurveyPanel, point: int) -> None:
    [choice] = find(made.form, widgets.RadioButtons)
    choice.value = point
    [send] = find(made.form, BUTTONS, lambda b: b.description == "Send my answer")
    send.click()


def test_only_whoever_facilitates_may_open_a_round_and_no_round_says_so(ana_facilitates):
    ana, ben = panel(ana_facilitates.member(0)), panel(ana_facilitates.member(1))
    assert ana.opener.layout.display is None and ben.opener.layout.display == "none"
    assert "No survey yet." in ben.count.value
    assert ben.form.children == () and ben.results.value == ""


def test_opening_a_round_records_the_meeting_chosen_and_shows_it_at_once(ana_facilitates):
    ana = ana_facilitates.member(0)
    meeting = meetings.create(ana, dt.date(2026, 10, 22), "Late October").id
    made = panel(ana, meeting)
    made.instrument.value = "team-health"
    made.minimum.value = 4
    [open_it] = find(made, BUTTONS, lambda b: b.description == "Open the survey")
    open_it.click()
    [opened] = surveys.rounds(ana)
    assert (opened.instrument, opened.min_respondents, opened.meeting_id) == (
        "team-health",
        4,
        meeting,
    )
    assert made.round.value == opened.id
    assert "0 answered so far." in made.count.value
    assert "Results show once 4 members have answered (0 so far)." in made.results.value
    assert "The survey is open: everyone answers it on this page." in made.status.value


def test_rounds_are_offered_newest_first_and_say_whether_they_are_open(ana_facilitates):
    ana = ana_facilitates.member(0)
    older = fist_to_five(ana, "Older <b>one</b>")
    newer = fist_to_five(ana, "Newer")
    surveys.close_round(ana, older)
    made = panel(ana)
    assert made.round.options == (
        ("Newer (15 Oct 2026, open)", newer),
        ("Older <b>one</b> (15 Oct 2026, closed)", older),
    )


def test_a_closed_round_has_no_form_and_a_coach_never_gets_one(ana_facilitates):
    ana = ana_facilitates.member(0)
    round_id = fist_to_five(ana)
    assert find(panel(ana_facilitates.member(1)).form, widgets.RadioButtons)
    coach = panel(ana_facilitates.coach.open_team(ana_facilitates.code))
    assert coach.form.children == ()
    surveys.close_round(ana, round_id)
    assert panel(ana_facilitates.member(1)).form.children == ()


def test_a_half_answered_form_is_kept_while_the_page_follows_others(ana_facilitates):
    fist_to_five(ana_facilitates.member(0))
    ben = panel(ana_facilitates.member(1))
    [choice] = find(ben.form, widgets.RadioButtons)
    choice.value = 3  # chosen, not yet sent
    answer(panel(ana_facilitates.member(2)), 5)  # Chen answers on another page
    ben.refresh()  # what the page's loop does when the change counter moves
    assert "1 answered so far." in ben.count.value
    assert find(ben.form, widgets.RadioButtons) == [choice] and choice.value == 3


def test_a_sent_answer_is_thanked_counted_and_the_form_goes(ana_facilitates):
    round_id = fist_to_five(ana_facilitates.member(0))
    ben = panel(ana_facilitates.member(1))
    answer(ben, 4)
    assert surveys.has_answered(ana_facilitates.member(1), round_id)
    assert "Thank you: you have answered this survey." in texts(ben.form)
    assert not find(ben.form, widgets.RadioButtons)
    assert "1 answered so far." in ben.count.value


def two_rounds_answered(fixture, minimum: int, answering: tuple[int, ...]) -> SurveyPanel:
    ana = fixture.member(0)
    made = panel(ana)
    for title, point in (("First", 2), ("Second", 5)):
        round_id = fist_to_five(ana, title, minimum)
        for index in answering:
            surveys.answer(fixture.member(index), round_id, {"support": point})
        made.refresh()
    return made


def test_the_trend_waits_for_a_second_round_with_results(ana_facilitates):
    ana = ana_facilitates.member(0)
    first = fist_to_five(ana, "First", 3)
    for index in range(3):
        surveys.answer(ana_facilitates.member(index), first, {"support": 4})
    made = panel(ana)
    assert "The trend appears from the second round on." in made.chart.caption.value
    assert made.chart.image.layout.display == "none"
    made = two_rounds_answered(ana_facilitates, 3, (0, 1, 2))
    assert made.chart.image.layout.display is None
    assert "Fist to five (anonymous) across rounds" in made.chart.caption.value


def test_the_trend_shows_rounds_that_reached_their_own_minimum(ana_facilitates):
    made = two_rounds_answered(ana_facilitates, 2, (1, 2))
    assert "<table" in made.results.value  # the round's own results show
    assert made.chart.image.layout.display is None
