import datetime as dt

import pytest

from collab_widgets.core.charts import norms_check_chart
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.meetings import store as meetings
from collab_widgets.team.store import norms


def test_a_new_meeting_has_a_time_boxed_agenda(team):
    meeting = meetings.create(team.member(0), dt.date(2026, 10, 20))
    assert [i.title for i in meeting.agenda][0] == "Norms check"
    assert meeting.total_minutes == 60


def test_agenda_items_edit_add_and_remove(team):
    scope = team.member(0)
    meeting = meetings.create(scope, dt.date(2026, 10, 20))
    first = meeting.agenda[0]
    meetings.set_agenda_item(scope, first.id, title="Norms check 🙂", minutes=4)
    added = meetings.add_agenda_item(scope, meeting.id, "Celebrate", 6)
    meetings.delete_agenda_item(scope, meeting.agenda[1].id)
    again = meetings.get(scope, meeting.id)
    assert again.agenda[0].title == "Norms check 🙂" and again.agenda[0].minutes == 4
    assert again.agenda[-1].id == added
    assert again.total_minutes == 60 + 1 - 5 + 6


@pytest.mark.parametrize("minutes", [-1, 241, 2.5])
def test_time_boxes_must_be_sensible(team, minutes):
    meeting = meetings.create(team.member(0), dt.date(2026, 10, 20))
    with pytest.raises(InvalidInput, match="whole number of minutes"):
        meetings.set_agenda_item(team.member(0), meeting.agenda[0].id, minutes=minutes)


def test_next_meeting_is_the_first_upcoming_one(team, fixed_clock):
    scope = team.member(0)
    meetings.create(scope, dt.date(2026, 10, 1), "Past")
    meetings.create(scope, dt.date(2026, 10, 29), "Later")
    meetings.create(scope, dt.date(2026, 10, 22), "Sooner")
    assert meetings.next_meeting(scope).title == "Sooner"
    fixed_clock.advance(days=30)
    assert meetings.next_meeting(scope).title == "Later"  # no upcoming: the latest


def test_attendance(team):
    meeting = meetings.create(team.member(0), dt.date(2026, 10, 20))
    meetings.set_attendance(team.member(0), meeting.id, team.people[0].id, True)
    meetings.set_attendance(team.member(1), meeting.id, team.people[1].id, True)
    meetings.set_attendance(team.member(1), meeting.id, team.people[1].id, False)
    assert meetings.get(team.member(2), meeting.id).present == {team.people[0].id}


def test_norms_check_keeps_one_mark_per_member_norm_and_phase(team):
    meeting = meetings.create(team.member(0), dt.date(2026, 10, 20))
    norm = norms.add(team.member(0), "time", "We start on time.")
    meetings.check_norm(team.member(0), meeting.id, norm.id, "start", 2)
    meetings.check_norm(team.member(0), meeting.id, norm.id, "start", 3)
    meetings.check_norm(team.member(1), meeting.id, norm.id, "start", 4)
    meetings.check_norm(team.member(1), meeting.id, norm.id, "end", 4)
    summary = {(s.norm_id, s.phase): s for s in meetings.check_summary(team.member(2), meeting.id)}
    assert summary[(norm.id, "start")].mean == 3.5 and summary[(norm.id, "start")].count == 2
    assert summary[(norm.id, "end")].count == 1


@pytest.mark.parametrize("phase,rating", [("middle", 3), ("start", 5), ("end", 0)])
def test_norms_check_refuses_nonsense(team, phase, rating):
    meeting = meetings.create(team.member(0), dt.date(2026, 10, 20))
    norm = norms.add(team.member(0), "time", "x")
    with pytest.raises(InvalidInput):
        meetings.check_norm(team.member(0), meeting.id, norm.id, phase, rating)


def test_a_deleted_meeting_is_in_the_trash(team):
    from collab_widgets.history import store as trash

    meeting = meetings.create(team.as_coach, dt.date(2026, 10, 20))
    meetings.delete(team.as_coach, meeting.id)
    with pytest.raises(NotFound):
        meetings.get(team.as_coach, meeting.id)
    trash.restore(team.as_coach, "meeting", meeting.id)
    assert meetings.get(team.as_coach, meeting.id).title == "Team meeting"


def test_norms_check_chart_is_a_png_with_alt_text_and_survives_dollars():
    chart = norms_check_chart(
        ["We start on time", "We spend $5 on $snacks$ <b>"], [3.0, None], [3.5, 2.0], ["2/2", "0/1"]
    )
    assert chart.png.startswith(b"\x89PNG")
    assert "We start on time: start 3.0, end 3.5" in chart.alt
    assert "no marks" in chart.alt


def test_the_last_checked_meeting_is_charted_for_the_next_one(team):
    from collab_widgets.team.norms_check import last_checked_meeting, meeting_chart

    scope = team.member(0)
    norm = norms.add(scope, "time", "We start on time.")
    past = meetings.create(scope, dt.date(2026, 10, 1), "Past")
    upcoming = meetings.create(scope, dt.date(2026, 10, 22), "Next")
    assert last_checked_meeting(scope, before_id=upcoming.id) is None
    assert meeting_chart(scope, past.id) is None
    meetings.check_norm(scope, past.id, norm.id, "end", 4)
    assert last_checked_meeting(scope, before_id=upcoming.id).id == past.id
    assert "end 4.0" in meeting_chart(scope, past.id).alt
    assert meeting_chart(scope, upcoming.id) is None
