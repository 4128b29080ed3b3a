"""A running protocol on one page (RunView) and the Protocol tab around it (LivePanel):
the step shown, who speaks, the facilitator's buttons and what they do, the recorder's
notes as others read them, rounds, and what the tab offers before and after a run."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.live import store as live
from collab_widgets.live.ui import BoardView
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import load_library
from collab_widgets.protocols.ui.run_setup import RunSetup
from collab_widgets.protocols.ui.run_view import LivePanel, RunView
from collab_widgets.team.store import members
from tests.unit.widget_helpers import BUTTONS, answer_yes, find, texts

LIBRARY = load_library("")  # the shipped protocols only, whatever COLLAB_PROTOCOLS says


@pytest.fixture
def roles(sqlite_team):
    """Ana facilitates, Chen records."""
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    members.assign_role(sqlite_team.as_coach, "recorder", sqlite_team.people[2].id)
    return sqlite_team


def start(fixture, key: str, **roles_given) -> int:
    chosen = {"facilitator": fixture.people[0].id, "recorder": fixture.people[2].id}
    chosen.update(roles_given)
    protocol = LIBRARY.get(key)
    chosen = {role: who for role, who in chosen.items() if role in protocol.roles}
    return runs.start_run(fixture.member(0), protocol, None, chosen)


def view(scope, run_id: int, ended: list | None = None) -> RunView:
    heard = ended if ended is not None else []
    return RunView(
        scope,
        StatusLine(),
        SavedIndicator(),
        runs.get_run(scope, run_id),
        set(),
        lambda: heard.append("ended"),
        BoardView,
    )


def tab(scope, heard: list | None = None) -> LivePanel:
    told = heard if heard is not None else []
    return LivePanel(
        scope, StatusLine(), SavedIndicator(), LIBRARY, BoardView, lambda run: told.append(run)
    )


def button(widget, words: str) -> widgets.Button:
    found = find(widget, BUTTONS, lambda b: words in b.description)
    assert found, f"no button with {words!r}"
    return found[0]


def advance_to(fixture, run_id: int, key: str) -> None:
    while runs.get_run(fixture.member(0), run_id).current.key != key:
        runs.control(fixture.member(0), run_id, runner.advance)


def test_the_step_is_shown_with_its_number_length_and_what_it_collects(roles):
    run_id = start(roles, "fist-to-five")
    shown = view(roles.member(1), run_id)
    assert (
        "<h3>Fist to five</h3><p class='collab-step-title'>Step 1 of 6: "
        "<b>State the proposal</b> · 3 min · free notes (taken by the recorder)</p>"
    ) in shown.header.value
    assert shown.prompt.value.startswith("<div class='collab-prompt'>The facilitator states")
    assert "<b>Speaks:</b> facilitator (Ana)" in shown.who.value
    assert "<li>▶ State the proposal — 3 min</li>" in shown.steps.value


def test_a_silent_step_says_everyone_works_in_silence(roles):
    run_id = start(roles, "chalk-talk")
    advance_to(roles, run_id, "silent-writing")
    shown = view(roles.member(1), run_id)
    assert "Everyone works in silence during this step." in shown.who.value
    assert "<b>Speaks:</b> nobody" in shown.who.value


def test_the_facilitators_buttons_follow_the_step_and_a_member_gets_none(roles):
    run_id = start(roles, "fist-to-five")
    leader = view(roles.member(0), run_id)
    assert button(leader.controls, "Back").disabled
    button(leader.controls, "Next step").click()
    assert not button(leader.controls, "Back").disabled
    assert "Step 2 of 6" in leader.header.value
    assert "<li class='collab-step-done'>State the proposal — 3 min</li>" in leader.steps.value
    member = view(roles.member(1), run_id)
    assert not find(member.controls, BUTTONS)
    assert "Ana leads the steps; this page follows." in texts(member.controls)


def test_the_last_step_finishes_the_run_and_the_page_hears_it_ended(roles):
    run_id = start(roles, "fist-to-five")
    ended = []
    leader = view(roles.member(0), run_id, ended)
    advance_to(roles, run_id, "record")
    leader.reload()
    button(leader.controls, "Finish").click()
    assert runs.get_run(roles.member(0), run_id).state.status == "finished"
    assert ended == ["ended"]
    assert "“Fist to five” has finished. Its notes are under Earlier runs." in (leader.status.value)


def test_ending_early_asks_first(roles):
    run_id = start(roles, "fist-to-five")
    ended = []
    leader = view(roles.member(0), run_id, ended)
    button(leader.controls, "End the protocol").click()
    assert runs.get_run(roles.member(0), run_id).state.live and ended == []
    answer_yes(leader.controls)
    assert not runs.get_run(roles.member(0), run_id).state.live and ended == ["ended"]


def test_those_who_do_not_take_notes_read_them_with_who_takes_them(roles):
    run_id = start(roles, "fist-to-five")
    ben = view(roles.member(1), run_id)
    assert ben.notes_box is None
    assert "<i>Nothing yet.</i>" in ben.notes_html.value
    assert "<small>Taken by Chen.</small>" in ben.notes_html.value
    chen = view(roles.member(2), run_id)
    assert chen.notes_box is not None and not chen.notes_box.disabled


def test_a_round_shows_whose_turn_it_is_and_only_the_facilitator_moves_it(roles):
    run_id = start(roles, "chalk-talk")
    advance_to(roles, run_id, "share")
    member = view(roles.member(1), run_id)
    assert not find(member.input, BUTTONS)
    leader = view(roles.member(0), run_id)
    for _ in range(3):
        button(leader.input, "Next speaker").click()
    assert "Everyone has spoken." in leader.round.value
    assert leader.round.value.count("collab-turn-done") == 3


def test_a_member_who_takes_over_moderating_a_round_mid_step_gets_next_speaker(roles):
    run_id = start(roles, "chalk-talk")
    advance_to(roles, run_id, "share")
    ben = view(roles.member(1), run_id)
    assert "Next speaker" not in texts(ben.input) and "leads the steps" in texts(ben.controls)
    members.remove(roles.as_coach, roles.people[0].id)  # the moderator leaves the team
    members.assign_role(roles.as_coach, "facilitator", roles.people[1].id)
    ben.reload()  # his page's next poll
    assert texts(ben.input).count("Next speaker") == 1 and "Next step ▶" in texts(ben.controls)
    button(ben.input, "Next speaker").click()
    assert ben.round.value.count("collab-turn-done") == 1


def test_the_voices_count_who_has_added_something(roles):
    run_id = start(roles, "looking-at-data")
    advance_to(roles, run_id, "describe")
    prompt = runs.get_run(roles.member(0), run_id).current_prompt_id
    live.add_note(roles.member(1), prompt, "a first observation")
    shown = view(roles.member(0), run_id)
    assert "1 of 3 members have added something." in shown.voices.value


def test_before_a_run_the_facilitator_may_start_one_about_the_assessment_given(roles):
    leader, member = tab(roles.member(0)), tab(roles.member(1))
    [setup] = find(leader, RunSetup)
    leader.about(42)
    assert setup.assessment_id == 42 and leader.assessment_id == 42
    assert not find(member, RunSetup)
    assert "No protocol is running" in texts(member)
    assert leader.mode == member.mode == "waiting"


def test_the_tab_follows_a_run_and_tells_the_page_each_refresh(roles):
    heard = []
    member = tab(roles.member(1), heard)
    assert heard == [None]
    run_id = start(roles, "fist-to-five")
    member.refresh()
    assert member.mode == "live" and member.view.run.id == run_id
    assert [run.id if run else None for run in heard] == [None, run_id]
    first_view = member.view
    member.refresh()
    assert member.view is first_view  # the same run: redrawn, not rebuilt


def test_after_a_run_a_member_may_look_again_and_the_facilitator_may_start_another(roles):
    leader, member = tab(roles.member(0)), tab(roles.member(1))
    run_id = start(roles, "fist-to-five")
    member.refresh()
    runs.control(roles.member(0), run_id, runner.finish)
    member.refresh()
    leader.refresh()
    assert member.mode == "ended" and "“Fist to five” has finished" in texts(member)
    button(member, "Look for a new protocol").click()
    assert member.mode == "waiting" and "No protocol is running" in texts(member)
    assert leader.mode == "waiting" and find(leader, RunSetup)


def test_ending_the_run_from_this_page_tells_the_page_at_once(roles):
    heard = []
    leader = tab(roles.member(0), heard)
    start(roles, "fist-to-five")
    leader.refresh()
    button(leader.view.controls, "End the protocol").click()
    answer_yes(leader.view.controls)
    assert leader.mode == "ended" and heard[-1] is None
    assert find(leader, RunSetup) and not find(
        leader, widgets.Button, lambda b: b.description == "Look for a new protocol"
    )


def test_a_fist_to_five_mark_says_what_it_means_on_the_button(roles):
    run_id = start(roles, "fist-to-five")
    advance_to(roles, run_id, "first-check")
    shown = view(roles.member(1), run_id)
    marks = find(shown, widgets.ToggleButtons)
    assert [label for label, _ in marks[0].options] == [
        "0 · block",
        "1 · serious doubts",
        "2 · doubts",
        "3 · can live with it",
        "4 · support",
        "5 · champion",
    ]
