"""The live engine and protocol runs in the store: who may do what, anonymity, dot budgets,
results only once closed, the change counter pages poll, and runs in exports."""

import datetime as dt

import pytest

from collab_widgets.backup import store as lifecycle
from collab_widgets.core.db import activity
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.live import store as live
from collab_widgets.live.model import CLOSED, OPEN, WAITING
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.model import FINISHED, PAUSED
from collab_widgets.team.store import members, teams
from tests.unit.conftest import LIBRARY, Meeting


def test_starting_copies_the_fitted_steps_and_opens_the_first(team):
    session = Meeting(team, minutes=30)
    run = session.run()
    assert [s.key for s in run.steps] == [s.key for s in session.protocol.steps]
    assert sum(s.minutes for s in run.steps) == 30
    assert run.state.position == 0 and run.state.status == "running"
    statuses = [p.status for p in live.prompts(session.ana, run.session_id)]
    assert statuses[0] == OPEN and set(statuses[1:]) == {WAITING}
    assert run.role_names == {"facilitator": "Ana", "presenter": "Ben", "recorder": "Chen"}
    assert "presenter" in run.steps[2].silent
    entry = activity.entries(session.ana)[0]
    assert "Looking at data" in entry.summary and entry.link == f"run/{run.id}"


def test_only_one_protocol_runs_at_a_time_and_only_a_facilitator_starts_it(looking):
    with pytest.raises(InvalidInput, match="still running"):
        runs.start_run(looking.ana, looking.protocol, looking.meeting.id, {})
    runs.control(looking.ana, looking.run_id, runner.finish)
    members.assign_role(looking.team.as_coach, "facilitator", looking.ids[0])
    with pytest.raises(AccessDenied, match="only the facilitator or the coach"):
        runs.start_run(looking.ben, looking.protocol, looking.meeting.id, {})
    runs.start_run(looking.ana, looking.protocol, looking.meeting.id, {})


def test_start_refuses_other_teams_meetings_and_people_and_a_presenter_who_facilitates(team):
    other = teams.create_team(team.coach, "Other team")
    elsewhere = meetings.create(other, dt.date(2026, 10, 21))
    tuning = LIBRARY.get("tuning")
    ana, ids = team.scopes[0], [p.id for p in team.people]
    mine = meetings.create(ana, dt.date(2026, 10, 20))
    with pytest.raises(NotFound):
        runs.start_run(ana, tuning, elsewhere.id, {})
    with pytest.raises(AccessDenied, match="not on this team"):
        runs.start_run(ana, tuning, mine.id, {"facilitator": 99999})
    with pytest.raises(InvalidInput, match="presenter cannot also facilitate"):
        runs.start_run(ana, tuning, mine.id, {"facilitator": ids[0], "presenter": ids[0]})
    with pytest.raises(InvalidInput, match="not a role"):
        runs.start_run(ana, LIBRARY.get("chalk-talk"), mine.id, {"presenter": ids[1]})


def test_only_the_runs_facilitator_or_the_coach_controls_it(looking):
    for member in (looking.ben, looking.chen):
        for move in (
            runner.advance,
            runner.back,
            runner.pause,
            runner.finish,
            lambda state, now: runner.extend(state, 5, now),
            lambda state, _now: runner.next_turn(state, 3),
        ):
            with pytest.raises(AccessDenied, match="Only the facilitator of this protocol"):
                runs.control(member, looking.run_id, move)
    assert runs.control(looking.ana, looking.run_id, runner.pause).state.status == PAUSED
    run = runs.control(looking.team.as_coach, looking.run_id, runner.resume)
    assert run.state.status == "running"


def test_moving_closes_the_step_left_and_opens_the_step_arrived_at(looking):
    first = looking.run().current_prompt_id
    run = runs.control(looking.ana, looking.run_id, runner.advance)
    status = {p.id: p.status for p in live.prompts(looking.ana, run.session_id)}
    assert status[first] == CLOSED and status[run.current_prompt_id] == OPEN
    run = runs.control(looking.ana, looking.run_id, runner.back)
    status = {p.id: p.status for p in live.prompts(looking.ana, run.session_id)}
    assert status[first] == OPEN


def test_coming_back_to_a_closed_vote_keeps_its_results_in_view(looking):
    board = looking.go_to("next-steps")
    note = live.add_note(looking.ben, board, "Reteach item 4")
    vote = looking.go_to("choose")
    live.vote(looking.ben, vote, note, +1)
    live.close_prompt(looking.ana, vote)
    runs.control(looking.ana, looking.run_id, runner.back)
    assert live.board(looking.ben, board).prompt.status == OPEN  # a board takes notes again
    runs.control(looking.ana, looking.run_id, runner.advance)
    assert live.board(looking.ben, vote).totals == {note: 1}


def test_finishing_records_it_and_the_run_joins_the_meetings_history(looking):
    run = runs.control(looking.ana, looking.run_id, runner.finish)
    assert run.state.status == FINISHED and runs.live_run(looking.ben) is None
    assert [r.id for r in runs.past_runs(looking.ben, looking.meeting.id)] == [run.id]
    assert "finished" in activity.entries(looking.ana)[0].summary


def test_a_state_change_from_a_stale_page_is_applied_to_the_current_state(looking):
    runs.control(looking.ana, looking.run_id, runner.advance)
    runs.control(looking.team.as_coach, looking.run_id, runner.advance)  # another page
    assert looking.run().state.position == 2


def test_step_notes_are_the_recorders_and_saved_as_typed(looking):
    text = "  Two groups <b>split</b> on item 4 🙂\nNext: ask Ben  "
    runs.set_step_notes(looking.chen, looking.run_id, 0, text)
    runs.set_step_notes(looking.ana, looking.run_id, 1, "facilitator may too")
    assert looking.run(looking.ben).steps[0].notes == text
    with pytest.raises(AccessDenied, match="recorder"):
        runs.set_step_notes(looking.ben, looking.run_id, 0, "not mine to write")
    with pytest.raises(NotFound):
        runs.set_step_notes(looking.chen, looking.run_id, 99, "no such step")
    assert runs.may_take_notes(looking.chen, looking.run())
    assert not runs.may_take_notes(looking.ben, looking.run())


def test_a_run_travels_in_a_team_export(looking):
    board = looking.go_to("describe")
    live.add_note(looking.ben, board, "exported note")
    runs.set_step_notes(looking.chen, looking.run_id, 0, "exported notes")
    runs.control(looking.ana, looking.run_id, runner.finish)
    copy = lifecycle.import_team(looking.team.coach, lifecycle.export_team(looking.team.as_coach))
    run = runs.past_runs(copy)[0]
    assert run.title == "Looking at data" and run.steps[0].notes == "exported notes"
    assert [n.text for n in live.board(copy, run.steps[2].prompt_id).notes] == ["exported note"]
    assert run.role_names["recorder"] == "Chen"
