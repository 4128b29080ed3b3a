"""The runner's transitions and clock, with a fixed "now" moved by hand: no sleeping."""

import datetime as dt

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.protocols import model, runner
from collab_widgets.protocols.model import RunState

T0 = dt.datetime(2026, 10, 15, 15, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


ROSTER = [(1, "Ana"), (2, "Ben"), (3, "Chen"), (4, "Dee")]


PROTOCOL = model.Protocol(
    key="tuning",
    title="Tuning",
    purpose="",
    when="",
    roles=("facilitator", "presenter", "timekeeper", "participants"),
    steps=(model.Step("present", "Present", 5, "", "board"),),
    source="",
)


def test_the_countdown_warns_at_one_minute_and_shows_overtime_instead_of_stopping():
    state = RunState.begin([5, 10], at(0))
    assert state.remaining(at(0)) == 300 and state.phase(at(0)) == model.ON_TIME
    assert state.phase(at(239)) == model.ON_TIME
    assert state.phase(at(240)) == model.LAST_MINUTE  # one minute left
    assert state.phase(at(300)) == model.LAST_MINUTE
    assert state.phase(at(301)) == model.OVERTIME
    assert state.remaining(at(372)) == -72 and state.position == 0  # still on the step
    assert runner.clock_text(state.remaining(at(372))) == "+1:12"
    assert runner.clock_text(state.remaining(at(0.4))) == "5:00"
    assert runner.clock_text(state.remaining(at(275))) == "0:25"


def test_pausing_stops_the_clock_and_resuming_restarts_it():
    state = runner.pause(RunState.begin([5], at(0)), at(60))
    assert state.status == model.PAUSED and state.remaining(at(1000)) == 240
    state = runner.resume(state, at(400))
    assert state.remaining(at(400)) == 240 and state.remaining(at(460)) == 180
    with pytest.raises(InvalidInput, match="not paused"):
        runner.resume(state, at(470))
    with pytest.raises(InvalidInput, match="already paused"):
        runner.pause(runner.pause(state, at(470)), at(480))


def test_extending_adds_minutes_to_the_current_step_only():
    state = runner.extend(RunState.begin([5, 5], at(0)), 3, at(10))
    assert state.remaining(at(300)) == 180
    assert runner.advance(state, at(300)).remaining(at(300)) == 300
    for bad in (0, 31, "2", True):
        with pytest.raises(InvalidInput, match="1 to 30 minutes"):
            runner.extend(state, bad, at(10))


def test_advance_back_and_skip_restart_the_arriving_steps_clock():
    state = RunState.begin([5, 10, 2], at(0))
    state = runner.pause(state, at(30))
    state = runner.advance(state, at(100))  # skip from a pause: the next step runs
    assert (state.position, state.status, state.remaining(at(100))) == (1, model.RUNNING, 600)
    state = runner.back(state, at(200))
    assert state.position == 0 and state.remaining(at(200)) == 300
    with pytest.raises(InvalidInput, match="first step"):
        runner.back(state, at(210))


def test_advancing_past_the_last_step_finishes_and_a_finished_run_is_still():
    state = runner.advance(RunState.begin([1], at(0)), at(50))
    assert state.status == model.FINISHED and not state.live
    assert state.ended_at == at(50) and state.phase(at(999)) == model.DONE
    assert state.remaining(at(999)) == 10  # frozen when it ended
    for move in (runner.advance, runner.back, runner.pause, runner.finish):
        with pytest.raises(InvalidInput, match="has finished"):
            move(state, at(60))


def test_finishing_during_a_pause_counts_the_pause_out():
    state = runner.finish(runner.pause(RunState.begin([5], at(0)), at(60)), at(500))
    assert state.elapsed(at(900)) == 60


def test_turns_in_a_round_move_on_until_everyone_has_spoken():
    state = RunState.begin([5], at(0))
    for expected in (1, 2, 3):
        state = runner.next_turn(state, 3)
        assert state.turn == expected
    with pytest.raises(InvalidInput, match="Everyone has had their turn"):
        runner.next_turn(state, 3)
    assert runner.advance(RunState.begin([1, 1], at(0)), at(1)).turn == 0


def test_a_round_leaves_out_the_silent_and_lets_the_presenter_speak_last():
    roles = {"presenter": 2, "facilitator": 1}
    assert runner.round_order((), ROSTER, roles) == [
        (1, "Ana"),
        (3, "Chen"),
        (4, "Dee"),
        (2, "Ben"),
    ]
    assert (2, "Ben") not in runner.round_order(("presenter",), ROSTER, roles)
    assert runner.round_order(("everyone",), ROSTER, roles) == []


def test_who_speaks_and_who_stays_silent_in_words():
    assert runner.voices(("participants",), ("presenter",), {"presenter": "Ben"}) == (
        "participants",
        "presenter (Ben)",
    )
    assert runner.voices((), ("everyone",), {}) == ("nobody", "everyone")


def test_default_roles_follow_the_team_and_leave_the_presenter_open():
    roles = ("facilitator", "presenter", "timekeeper", "recorder", "participants")
    assert runner.default_roles(roles, {"timekeeper": 3, "recorder": 4}, 1) == {
        "facilitator": 1,
        "presenter": None,
        "timekeeper": 3,
        "recorder": 4,
    }
    assert runner.default_roles(("facilitator",), {"facilitator": 2}, 1) == {"facilitator": 2}


def test_a_run_gives_only_the_protocols_roles_and_the_presenter_does_not_facilitate():
    runner.check_roles(PROTOCOL, {"facilitator": 1, "presenter": 2, "timekeeper": 1})
    runner.check_roles(PROTOCOL, {})
    with pytest.raises(InvalidInput, match="“recorder” is not a role in Tuning"):
        runner.check_roles(PROTOCOL, {"facilitator": 1, "recorder": 3})
    with pytest.raises(InvalidInput, match="“participants” is not a role in Tuning"):
        runner.check_roles(PROTOCOL, {"participants": 3})  # everyone: nobody holds it
    with pytest.raises(InvalidInput, match="presenter cannot also facilitate"):
        runner.check_roles(PROTOCOL, {"facilitator": 2, "presenter": 2})


def test_the_recorder_is_a_member_holding_the_role():
    assert runner.is_recorder(4, 4)
    assert not runner.is_recorder(3, 4)
    assert not runner.is_recorder(None, None)  # a coach, on a run without a recorder


def test_a_board_is_anonymous_where_its_step_or_the_whole_run_says_so():
    board = model.Step("ideas", "Ideas", 5, "", "board")
    secret = model.Step("worries", "Worries", 5, "", "board", anonymous=True)
    vote = model.Step("choose", "Choose", 5, "", "dot-vote", dots=3, vote_on="ideas")
    assert not runner.anonymous_board(board, False)
    assert runner.anonymous_board(board, True) and runner.anonymous_board(secret, False)
    assert not runner.anonymous_board(vote, True)  # only a board has notes to hide


def test_a_step_is_left_when_the_team_moves_on_or_back_or_the_run_finishes():
    state = RunState.begin([5, 5], at(0))
    assert runner.leaves_step(state, runner.advance(state, at(60)))
    moved = runner.advance(state, at(60))
    assert runner.leaves_step(moved, runner.back(moved, at(70)))
    assert runner.leaves_step(state, runner.finish(state, at(60)))
    assert not runner.leaves_step(state, runner.pause(state, at(60)))
    assert not runner.leaves_step(state, runner.extend(state, 5, at(60)))
