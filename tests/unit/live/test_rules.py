"""The live loop (ticks, polls the change counter, starts and stops) with a fake sleep,
and the pure summaries a live board draws."""

import asyncio
import contextlib

import pytest

from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.live import rules
from collab_widgets.live import rules as live
from collab_widgets.live.model import CLOSED, OPEN, Contribution, LiveMark, LiveNote, LivePrompt


class Counter:
    def __init__(self, values):
        self.values = list(values)
        self.reads = 0

    def __call__(self):
        self.reads += 1
        return self.values[min(self.reads - 1, len(self.values) - 1)]


def run_loop(loop: live.LiveLoop, ticks: int) -> list[float]:
    """Let the loop make ``ticks`` sleeps, each answered at once; returns the intervals."""
    slept: list[float] = []

    async def fake_sleep(seconds):
        slept.append(seconds)
        if len(slept) > ticks:
            loop.stop()
        await asyncio.sleep(0)

    loop.sleep = fake_sleep

    async def main():
        loop.start()
        with contextlib.suppress(asyncio.CancelledError):  # stopped, or ended by itself
            await loop._task

    asyncio.run(main())
    return slept


def _note(id, group=None, author=None):
    return LiveNote(id, f"note {id}", group, None, author)


def prompt(kind="dot-vote", status=OPEN, budget=3, scale=None) -> LivePrompt:
    return LivePrompt(1, 1, 0, kind, "Choose", "", False, status, budget=budget, scale=scale)


A, B, GONE = (LiveNote(i, text, None, None, None) for i, text in ((10, "A"), (11, "B"), (12, "")))


CHOICES = {A.id, B.id}  # GONE is no longer among them (taken off the board, or blanked)


def test_the_loop_redraws_only_when_the_counter_moved_and_ticks_every_time():
    counter = Counter([5, 5, 5, 6, 6, 9])
    changes, ticks = [], []
    loop = live.LiveLoop(counter, lambda: changes.append(1), on_tick=lambda: ticks.append(1))
    slept = run_loop(loop, 5)
    assert slept[:5] == [1.0] * 5  # once a second
    assert len(ticks) == 5 and len(changes) == 2  # 5->6 and 6->9
    assert loop.polls == 5 and not loop.running


def test_a_change_made_while_the_page_drew_is_noticed():
    counter = Counter([7])  # the counter already moved past what the page read
    changes = []
    loop = live.LiveLoop(counter, lambda: changes.append(1))
    loop.seen = 6  # the page read 6 before it drew
    run_loop(loop, 2)
    assert changes == [1]


def test_a_page_never_polls_more_than_once_a_second():
    with pytest.raises(ValueError, match="at most once every 1 second"):
        live.LiveLoop(lambda: 0, lambda: None, interval=0.2)
    loop = live.LiveLoop(lambda: 0, lambda: None)
    loop.interval = live.WAITING_POLL_SECONDS
    assert loop.interval == 5.0


def test_start_is_idempotent_and_stop_ends_polling():
    async def main():
        loop = live.LiveLoop(lambda: 0, lambda: None, interval=1000)
        loop.start()
        first = loop._task
        loop.start()
        assert loop._task is first and loop.running
        loop.stop()
        await asyncio.sleep(0)
        assert not loop.running and first.cancelled()

    asyncio.run(main())


def test_an_ended_session_stops_the_loop_with_its_message():
    errors = []

    def counter():
        raise AccessDenied("This page's link no longer opens the team")

    async def main():
        loop = live.LiveLoop(counter, lambda: None, on_error=errors.append, interval=1000)
        loop.start()
        await asyncio.sleep(0)
        assert not loop.running

    asyncio.run(main())
    assert errors == ["This page's link no longer opens the team"]


def test_an_unexpected_failure_stops_the_loop_calmly():
    errors, calls = [], Counter([1, 2])

    def broken():
        raise RuntimeError("boom")

    loop = live.LiveLoop(calls, broken, on_error=errors.append)
    run_loop(loop, 3)
    assert errors == ["This page stopped updating. Reload it to carry on."]


def test_notes_are_grouped_in_first_seen_order_with_the_ungrouped_last():
    notes = [_note(1), _note(2, "Fractions"), _note(3, "Time"), _note(4, "Fractions")]
    assert [(g, [n.id for n in ns]) for g, ns in live.grouped(notes)] == [
        ("Fractions", [2, 4]),
        ("Time", [3]),
        (live.UNGROUPED, [1]),
    ]


def test_vote_results_rank_by_dots_then_board_order():
    notes = [_note(1), _note(2), _note(3)]
    assert [(n.id, d) for n, d in live.vote_results(notes, {2: 3, 3: 3})] == [
        (2, 3),
        (3, 3),
        (1, 0),
    ]


def test_fist_to_five_spread_flags_those_at_two_or_less():
    marks = [LiveMark(1, "Ana", 5), LiveMark(2, "Ben", 2), LiveMark(3, "Chen", 0)]
    result = live.spread(marks, 0, 5, fist=True)
    assert result.counts == {0: 1, 1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert result.to_hear == ("Ben", "Chen") and result.total == 3
    assert round(result.average, 2) == 2.33
    assert live.spread([], 1, 5).average is None


def test_voices_say_how_widely_the_team_was_heard():
    one_voice = live.Voices(
        (Contribution(1, "Ana", 6), Contribution(2, "Ben", 1), Contribution(3, "Chen", 0)), 2
    )
    assert one_voice.heard == 2 and round(one_voice.largest_share, 2) == 0.86
    assert one_voice.sentence() == (
        "2 of 3 members have added something; one voice has more than half of it. "
        "Invite the others in; 2 anonymous notes."
    )
    even = live.Voices((Contribution(1, "Ana", 2), Contribution(2, "Ben", 2)), 0)
    assert even.sentence() == "2 of 2 members have added something."


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
