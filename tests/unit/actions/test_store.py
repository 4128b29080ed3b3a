"""Decisions and actions in the store: who was present, an action's owner, due date and
history, what carries into the next agenda, the trash, and another team seeing none of it
(SQLite, and PostgreSQL when COLLAB_TEST_POSTGRES_URL is set). The fixed clock stands at
2026-10-15 15:00 UTC."""

from __future__ import annotations

import datetime as dt

import pytest

from collab_widgets.actions import store as actions
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.history import store as trash
from collab_widgets.instruments import store as surveys
from collab_widgets.meetings import store as meetings
from collab_widgets.team.store import members
from tests.unit.store_helpers import FIST, activity_of_kind, facilitated_by_ana, other_team

# --- decisions ----------------------------------------------------------------------------


def test_a_decision_records_method_result_and_who_was_present(team, meeting):
    ana = team.member(0)
    meetings.set_attendance(ana, meeting, team.people[1].id, True)
    meetings.set_attendance(ana, meeting, team.people[0].id, True)
    meetings.set_attendance(ana, meeting, team.people[2].id, False)
    decision_id = actions.decide(
        ana, "  Reteach item 4 in small groups ", "fist to five", "all at 3 or above", meeting
    )
    [decision] = actions.decisions(team.member(2), meeting)
    assert decision.id == decision_id and decision.meeting_id == meeting
    assert decision.text == "Reteach item 4 in small groups"
    assert (decision.method, decision.result) == ("fist to five", "all at 3 or above")
    assert decision.present == ("Ana", "Ben")
    assert decision.decided_at == dt.datetime(2026, 10, 15, 15, 0, tzinfo=dt.UTC)
    # who was there is kept as it was then
    meetings.set_attendance(ana, meeting, team.people[2].id, True)
    assert actions.decisions(ana, meeting)[0].present == ("Ana", "Ben")
    [entry] = activity_of_kind(ana, "decision")
    assert entry.summary == "Decided (fist to five): Reteach item 4 in small groups"
    assert entry.link == f"decision/{decision_id}" and entry.who == "Ana"


@pytest.mark.parametrize(
    ("text", "method", "field"),
    [("   \n ", "vote", "decision"), ("", "consensus", "decision"), ("Go", "coin toss", "method")],
)
def test_a_blank_decision_or_an_unknown_method_is_refused_by_field(
    team, meeting, text, method, field
):
    with pytest.raises(InvalidInput) as error:
        actions.decide(team.member(0), text, method, "", meeting)
    assert error.value.field == field
    assert actions.decisions(team.member(0)) == []
    assert activity_of_kind(team.member(0), "decision") == []


def test_decisions_are_listed_per_meeting_latest_first(team, meeting, fixed_clock):
    ana = team.member(0)
    later = meetings.create(ana, dt.date(2026, 10, 22), "Next").id
    first = actions.decide(ana, "First", "vote", "4-1", meeting)
    same_time = actions.decide(ana, "Same minute", "consensus", "", meeting)
    fixed_clock.advance(minutes=5)
    other = actions.decide(ana, "At the next meeting", "consensus", "", later)
    fixed_clock.advance(minutes=5)
    last = actions.decide(ana, "Last", "facilitator decided", "", meeting)
    assert [d.id for d in actions.decisions(ana, meeting)] == [last, same_time, first]
    assert [d.id for d in actions.decisions(ana, later)] == [other]
    assert [d.id for d in actions.decisions(ana)] == [last, other, same_time, first]


def test_a_decision_goes_to_the_trash_and_comes_back(team, meeting):
    facilitated_by_ana(team)
    decision_id = actions.decide(team.member(1), "Keep it", "consensus", "", meeting)
    with pytest.raises(AccessDenied):
        actions.delete_decision(team.member(1), decision_id)
    actions.delete_decision(team.member(0), decision_id)
    assert actions.decisions(team.member(1), meeting) == []
    assert [(i.kind, i.id, i.label) for i in trash.items(team.as_coach)] == [
        ("decision", decision_id, "Keep it")
    ]
    with pytest.raises(NotFound):
        actions.delete_decision(team.member(0), decision_id)
    with pytest.raises(AccessDenied):
        trash.restore(team.member(1), "decision", decision_id)
    trash.restore(team.member(0), "decision", decision_id)
    assert [d.id for d in actions.decisions(team.member(1), meeting)] == [decision_id]
    assert trash.items(team.as_coach) == []


def test_an_action_keeps_owner_due_date_what_prompted_it_and_its_history(
    team, meeting, fixed_clock
):
    ana, ben = team.member(0), team.member(1)
    due = dt.date(2026, 10, 29)
    action_id = actions.add_action(
        ana,
        "  Reteach item 4 in small groups  ",
        owner_id=team.people[1].id,
        due_on=due,
        meeting_id=meeting,
        prompted_by="Decision: reteach",
    )
    [action] = actions.actions(team.member(2))
    assert action.id == action_id and action.meeting_id == meeting
    assert (action.text, action.owner, action.owner_id) == (
        "Reteach item 4 in small groups",
        "Ben",
        team.people[1].id,
    )
    assert (action.due_on, action.status, action.prompted_by) == (due, "open", "Decision: reteach")
    fixed_clock.advance(hours=1)
    actions.update_action(ben, action_id, status="in progress")
    fixed_clock.advance(hours=1)
    actions.update_action(team.as_coach, action_id, status="done", due_on=None)
    actions.update_action(ana, action_id, status="done")  # unchanged: no history entry
    changes = [(c.who, c.change) for c in actions.history(team.member(2), action_id)]
    assert changes == [
        ("Ana", "created"),
        ("Ben", "status: open → in progress"),
        (None, "status: in progress → done"),
        (None, "due date removed"),
    ]
    assert [c.at.hour for c in actions.history(ana, action_id)] == [15, 16, 17, 17]
    summaries = [e.summary for e in activity_of_kind(ana, "action")]
    assert summaries == [
        "Action “Reteach item 4 in small groups”: status: in progress → done; due date removed",
        "Action “Reteach item 4 in small groups”: status: open → in progress",
        "Action added: Reteach item 4 in small groups",
    ]
    assert actions.actions(ana)[0].status == "done"
    assert actions.actions(ana, open_only=True) == []


def test_an_unknown_status_is_refused(team, meeting):
    action_id = actions.add_action(team.member(0), "Call the parents", meeting_id=meeting)
    with pytest.raises(InvalidInput, match="open, in progress, done, dropped"):
        actions.update_action(team.member(0), action_id, status="finished")
    assert actions.actions(team.member(0))[0].status == "open"
    assert [c.change for c in actions.history(team.member(0), action_id)] == ["created"]


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_a_blank_or_too_long_action_is_refused(team, meeting, text):
    with pytest.raises(InvalidInput):
        actions.add_action(team.member(0), text, meeting_id=meeting)
    assert actions.actions(team.member(0)) == []


def test_an_owner_not_on_the_roster_is_refused(team, meeting):
    ana = team.member(0)
    dee = other_team(team)
    chen = team.people[2].id
    members.remove(team.as_coach, chen)
    for owner in (chen, dee.member_id, 987654):
        with pytest.raises(InvalidInput, match="not on the team's roster"):
            actions.add_action(ana, "Plan the unit", owner_id=owner, meeting_id=meeting)
    assert actions.actions(ana) == []
    action_id = actions.add_action(ana, "Plan the unit", owner_id=team.people[1].id)
    with pytest.raises(InvalidInput, match="not on the team's roster"):
        actions.update_action(ana, action_id, owner_id=chen)
    assert actions.actions(ana)[0].owner == "Ben"
    actions.update_action(ana, action_id, owner_id=None)
    assert actions.actions(ana)[0].owner == ""


def test_open_actions_carry_into_the_next_meetings_agenda(team):
    ana = team.member(0)
    first = meetings.create(ana, dt.date(2026, 10, 8), "First").id
    second = meetings.create(ana, dt.date(2026, 10, 22), "Second").id
    third = meetings.create(ana, dt.date(2026, 10, 29), "Third").id

    def add(text, meeting_id, due=None):
        return actions.add_action(ana, text, due_on=due, meeting_id=meeting_id)

    still_open = add("open one", first, dt.date(2026, 10, 20))
    going = add("in progress", first, dt.date(2026, 10, 12))
    finished = add("done one", first)
    given_up = add("dropped one", first)
    actions.update_action(ana, going, status="in progress")
    actions.update_action(ana, finished, status="done")
    actions.update_action(ana, given_up, status="dropped")
    at_second = add("made at the second meeting", second)
    between = add("added between meetings", None)  # 15 October: after the first
    undated = add("undated at the first", first)

    assert actions.carried_into(ana, first) == []
    assert [a.id for a in actions.carried_into(ana, second)] == [
        going,  # due 12 October
        still_open,  # due 20 October
        between,
        undated,  # undated ones last, by id
    ]
    assert [a.id for a in actions.carried_into(team.member(1), third)] == [
        going,
        still_open,
        at_second,  # undated ones by id
        between,
        undated,
    ]
    # once done, an action no longer carries
    actions.update_action(ana, still_open, status="done")
    assert still_open not in [a.id for a in actions.carried_into(ana, third)]


def test_an_action_is_overdue_only_while_open_and_past_its_date(team, meeting):
    ana = team.member(0)
    late = actions.add_action(ana, "late", due_on=dt.date(2026, 10, 10), meeting_id=meeting)
    actions.add_action(ana, "undated", meeting_id=meeting)
    dropped = actions.add_action(ana, "dropped", due_on=dt.date(2026, 10, 1), meeting_id=meeting)
    actions.update_action(ana, dropped, status="dropped")
    by_text = {a.text: a for a in actions.actions(ana)}
    assert by_text["late"].overdue(dt.date(2026, 10, 11))
    assert not by_text["late"].overdue(dt.date(2026, 10, 10))  # due today: not yet late
    assert not by_text["undated"].overdue(dt.date(2030, 1, 1))
    assert not by_text["dropped"].overdue(dt.date(2026, 10, 15))
    actions.update_action(ana, late, status="in progress")
    assert actions.actions(ana)[0].overdue(dt.date(2026, 10, 11))
    # open ones first (by due date, undated last), then the rest
    assert [a.text for a in actions.actions(ana)] == ["late", "undated", "dropped"]


def test_an_action_goes_to_the_trash_and_comes_back(team, meeting):
    facilitated_by_ana(team)
    action_id = actions.add_action(team.member(1), "Share the rubric", meeting_id=meeting)
    with pytest.raises(AccessDenied):
        actions.delete_action(team.member(1), action_id)
    actions.delete_action(team.member(0), action_id)
    assert actions.actions(team.member(1)) == []
    with pytest.raises(NotFound):
        actions.history(team.member(1), action_id)
    with pytest.raises(NotFound):
        actions.update_action(team.member(1), action_id, status="done")
    assert [(i.kind, i.label) for i in trash.items(team.as_coach)] == [
        ("action", "Share the rubric")
    ]
    trash.restore(team.as_coach, "action", action_id)
    assert [a.id for a in actions.actions(team.member(1))] == [action_id]


def test_another_team_sees_none_of_it(team, meeting):
    ana = team.member(0)
    meetings.set_attendance(ana, meeting, team.people[0].id, True)
    decision_id = actions.decide(ana, "Ours", "vote", "", meeting)
    action_id = actions.add_action(ana, "Ours too", meeting_id=meeting)
    round_id = surveys.open_round(ana, FIST, "Our round", 2, meeting)
    surveys.answer(ana, round_id, {"support": 3})
    surveys.answer(team.member(1), round_id, {"support": 4})
    actions.delete_decision(ana, decision_id)
    dee = other_team(team)
    assert actions.decisions(dee) == [] and actions.decisions(dee, meeting) == []
    assert actions.actions(dee) == [] and surveys.rounds(dee) == []
    assert trash.items(dee) == []
    for attempt in (
        lambda: actions.carried_into(dee, meeting),
        lambda: actions.history(dee, action_id),
        lambda: actions.update_action(dee, action_id, status="done"),
        lambda: actions.set_text(dee, action_id, "theirs"),
        lambda: actions.delete_action(dee, action_id),
        lambda: actions.delete_decision(dee, decision_id),
        lambda: trash.restore(dee, "decision", decision_id),
        lambda: actions.decide(dee, "Theirs", "vote", "", meeting),
        lambda: actions.add_action(dee, "Theirs", meeting_id=meeting),
        lambda: surveys.get_round(dee, round_id),
        lambda: surveys.results(dee, round_id),
        lambda: surveys.answer(dee, round_id, {"support": 0}),
        lambda: surveys.close_round(dee, round_id),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert not surveys.has_answered(dee, round_id)
    assert actions.actions(ana)[0].text == "Ours too"
    assert surveys.get_round(ana, round_id).answered == 2
    assert [d.id for d in trash.items(ana)] == [decision_id]
