"""The workshop presenter's state without widgets: what is chosen when the list changes,
what the controls allow at each point of a workshop, when the page polls, and that showing
the stored state never acts (only the trainer's changes do). The page bound to it:
``test_workshops.py``."""

import subprocess
import sys

from collab_widgets.workshops.rules import Aggregate, Workshop, WorkshopPrompt
from collab_widgets.workshops.state import PRESENT_TAB, PROMPTS_TAB, PresenterState

PROMPTS = (
    WorkshopPrompt(11, 0, "choice", "Ready?", ("Yes", "No")),
    WorkshopPrompt(12, 1, "word", "One word"),
    WorkshopPrompt(13, 2, "text", "What do you hope for?"),
)


def _workshop(position=-1, *, ended=False, results_shown=False, joined=4, workshop_id=1):
    return Workshop(
        workshop_id, "Kickoff", "ABC123", position, results_shown, ended, PROMPTS, joined=joined
    )


def _heard(state, name):
    """The trainer's changes of ``name`` that reached the page's action."""
    heard = []
    state.on_edit(lambda change: heard.append(change["new"]), name)
    return heard


def test_the_chosen_workshop_stays_while_offered_else_the_first_else_none():
    state = PresenterState()
    chosen = _heard(state, "chosen")
    state.offer([("Kickoff", 1), ("Data day", 2)], keep=None)
    assert state.chosen == 1
    state.offer([("Kickoff", 1), ("Data day", 2)], keep=2)
    assert state.chosen == 2
    state.offer([("New one", 3), ("Kickoff", 1)], keep=2)  # 2 no longer offered
    assert state.chosen == 3
    state.offer([], keep=3)
    assert state.chosen is None and state.choices == []
    assert chosen == []  # the page's own refresh is not the trainer's choice


def test_the_trainers_choice_acts_but_showing_the_stored_state_does_not():
    state = PresenterState()
    chosen, revealed = _heard(state, "chosen"), _heard(state, "results_shown")
    state.show(_workshop(0, results_shown=True), Aggregate("choice", 0))
    assert state.results_shown and revealed == []
    state.results_shown = False  # the trainer hides the results
    state.chosen = 7  # and picks another workshop
    assert revealed == [False] and chosen == [7]


def test_a_load_inside_an_action_does_not_act_again():
    state = PresenterState()

    def reveal(change):
        state.show(_workshop(0, results_shown=not change["new"]))  # the store says otherwise
        revealed.append(change["new"])

    revealed = []
    state.on_edit(reveal, "results_shown")
    state.results_shown = True
    assert revealed == [True] and not state.results_shown and not state.is_loading
    state.results_shown = True  # after the load, the trainer's changes act again
    assert revealed == [True, True]


def test_before_the_first_prompt_only_next_and_end():
    state = PresenterState()
    state.show(_workshop(-1), None)
    assert state.prompt is None and state.answered == ()
    assert (state.can_go_back, state.can_go_next, state.can_reveal, state.can_end) == (
        False,
        True,
        False,
        True,
    )


def test_a_prompt_in_the_middle_can_go_either_way_and_be_revealed():
    state = PresenterState()
    state.show(_workshop(1, joined=5), Aggregate("word", 3))
    assert state.prompt == PROMPTS[1]
    assert state.answered == (3, 5)
    assert state.can_go_back and state.can_go_next and state.can_reveal and state.can_end


def test_the_last_prompt_has_no_next():
    state = PresenterState()
    state.show(_workshop(2), Aggregate("text", 0))
    assert state.can_go_back and not state.can_go_next


def test_an_ended_workshop_still_shows_its_last_prompt_but_allows_nothing():
    state = PresenterState()
    state.show(_workshop(1, ended=True, joined=2), Aggregate("word", 2))
    assert state.prompt == PROMPTS[1] and state.answered == (2, 2)
    assert not (state.can_go_back or state.can_go_next or state.can_reveal or state.can_end)


def test_no_workshop_allows_nothing():
    state = PresenterState()
    state.show(_workshop(1), Aggregate("word", 1))
    state.show(None)
    assert state.workshop is None and state.prompt is None and state.answered == ()
    assert not (state.can_go_back or state.can_go_next or state.can_reveal or state.can_end)
    assert not state.results_shown


def test_observers_see_the_workshop_and_its_answers_together():
    state = PresenterState()
    state.show(_workshop(0, joined=1), Aggregate("choice", 1))
    seen = []
    state.observe(lambda _c: seen.append(state.answered), "answered")
    state.show(_workshop(1, joined=6), Aggregate("word", 4))
    assert seen == [(4, 6)]  # never the new workshop with the old prompt's answers


def test_the_page_polls_only_on_the_present_tab_while_the_workshop_runs():
    state = PresenterState()
    state.tab = PRESENT_TAB
    assert not state.polling  # no workshop
    state.show(_workshop(0), Aggregate("choice", 0))
    assert state.polling
    state.tab = PROMPTS_TAB
    assert not state.polling
    state.tab = PRESENT_TAB
    state.show(_workshop(0, ended=True), Aggregate("choice", 0))
    assert not state.polling


def test_the_state_needs_no_widgets():
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, collab_widgets.workshops.state; print('ipywidgets' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "False"
