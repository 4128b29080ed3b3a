"""The live loop (ticks, polls the change counter, starts and stops) with a fake sleep,
and the pure summaries a live board draws."""

import asyncio
import contextlib

import pytest

from collab_widgets.core.errors import AccessDenied
from collab_widgets.live import rules as live
from collab_widgets.live.model import Contribution, LiveMark, LiveNote


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


def _note(id, group=None, author=None):
    return LiveNote(id, f"note {id}", group, None, author)


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
