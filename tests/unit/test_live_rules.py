"""The live board's answering rules as plain functions, without a database: the dot vote
(budget, dots left, the tally), a mark's range, a group's name, whose note is whose. The
store's tests (test_live_and_runs.py) check that it keeps them inside its transaction."""

import pytest

from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.live import rules
from collab_widgets.live.model import CLOSED, OPEN, LiveNote, LivePrompt


def prompt(kind="dot-vote", status=OPEN, budget=3, scale=None) -> LivePrompt:
    return LivePrompt(1, 1, 0, kind, "Choose", "", False, status, budget=budget, scale=scale)


A, B, GONE = (LiveNote(i, text, None, None, None) for i, text in ((10, "A"), (11, "B"), (12, "")))
CHOICES = {A.id, B.id}  # GONE is no longer among them (taken off the board, or blanked)


def test_a_members_dots_stay_within_the_budget():
    assert rules.dots_after_vote(3, {}, CHOICES, A.id, +1) == 1
    assert rules.dots_after_vote(3, {A.id: 2}, CHOICES, A.id, +1) == 3
    assert rules.dots_after_vote(3, {A.id: 2, B.id: 1}, CHOICES, A.id, -1) == 1
    with pytest.raises(InvalidInput, match="used all 3 of your dots. Take one back"):
        rules.dots_after_vote(3, {A.id: 2, B.id: 1}, CHOICES, A.id, +1)
    with pytest.raises(InvalidInput, match="Take one back to move it"):
        rules.dots_after_vote(None, {}, CHOICES, A.id, +1)  # no budget: no dots to give


def test_dots_on_a_note_no_longer_among_the_choices_are_free_again():
    mine = {A.id: 1, GONE.id: 2}
    assert rules.dots_used(mine, CHOICES) == 1
    assert rules.dots_left(3, mine, CHOICES) == 2
    assert rules.dots_after_vote(3, mine, CHOICES, B.id, +1) == 1
    with pytest.raises(NotFound, match="not among the choices of this vote any more"):
        rules.dots_after_vote(3, mine, CHOICES, GONE.id, -1)


def test_one_dot_at_a_time_and_none_taken_back_that_is_not_there():
    for change in (0, 2, -3):
        with pytest.raises(InvalidInput, match="one dot at a time"):
            rules.check_dot_change(change)
        with pytest.raises(InvalidInput, match="one dot at a time"):
            rules.dots_after_vote(3, {}, CHOICES, A.id, change)
    with pytest.raises(InvalidInput, match="no dot on that note to take back"):
        rules.dots_after_vote(3, {B.id: 1}, CHOICES, A.id, -1)


def test_an_open_vote_shows_a_member_their_own_dots_and_how_many_voted():
    votes = [(A.id, 1, 2), (B.id, 1, 1), (B.id, 2, 1), (GONE.id, 3, 2)]
    board = rules.vote_board(prompt(), [A, B], votes, member_id=2)
    assert board.notes == (A, B) and board.my_dots == {B.id: 1} and board.dots_left == 2
    assert board.totals is None  # not while the vote is open
    assert board.answered == 2  # member 3's dots are only on a note taken off


def test_a_closed_vote_tallies_every_choice_in_board_order():
    votes = [(B.id, 1, 2), (B.id, 2, 1), (GONE.id, 2, 2)]
    board = rules.vote_board(prompt(status=CLOSED), [A, B], votes, member_id=None)
    assert list(board.totals.items()) == [(A.id, 0), (B.id, 3)]
    assert board.my_dots == {} and board.dots_left == 3  # a coach, who has no dots
    assert [(n.id, dots) for n, dots in rules.vote_results(board.notes, board.totals)] == [
        (B.id, 3),
        (A.id, 0),
    ]


def test_a_mark_is_a_whole_number_in_the_prompts_range():
    fist, rating = prompt("fist-to-five", budget=None), prompt("rating", budget=None, scale=4)
    rules.check_mark(fist, 0)
    rules.check_mark(fist, 5)
    rules.check_mark(rating, 4)
    for check, value, words in (
        (fist, 6, "from 0 to 5"),
        (fist, -1, "from 0 to 5"),
        (rating, 0, "from 1 to 4"),
        (rating, 2.0, "from 1 to 4"),
        (rating, True, "from 1 to 4"),
    ):
        with pytest.raises(InvalidInput, match=f"Choose a whole number {words}"):
            rules.check_mark(check, value)


def test_a_group_name_is_one_trimmed_line_of_at_most_80_characters():
    assert rules.group_name("  Assessment  ") == "Assessment"
    assert rules.group_name("") == "" and rules.group_name(None) == ""
    assert rules.group_name("x" * 80) == "x" * 80
    for bad in ("x" * 81, "two\nlines", "tab\there"):
        with pytest.raises(InvalidInput, match="one line of at most 80 characters"):
            rules.group_name(bad)


def test_a_note_is_ones_own_by_its_author_or_if_anonymous_by_the_page_that_wrote_it():
    assert rules.is_own_note(author_id=2, note_id=10, member_id=2, mine=())
    assert not rules.is_own_note(author_id=2, note_id=10, member_id=3, mine={10})
    assert rules.is_own_note(author_id=None, note_id=10, member_id=3, mine={10})
    assert not rules.is_own_note(author_id=None, note_id=10, member_id=3, mine={11})
