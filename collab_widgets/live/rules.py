"""Keeping a page live, and what a live board shows: plain Python, no widgets.

:class:`LiveLoop` is how a visitor's kernel learns what teammates did: once a second it
ticks (the countdown) and reads the team's change counter, a single small query, and
only when the counter moved does the page read and redraw the board. It runs while the
page shows a live protocol and stops when the run ends or the page goes away (Voilà
shuts the kernel down when the visitor leaves; :meth:`LiveLoop.stop` is also called
when the page is closed), so idle kernels can be culled.

The answering rules are what the store checks inside its transaction, whatever a page
sends: the dot vote (the budget, the dots left, the tally), the range of a mark, a group's
name, whose note is whose. The summaries turn a :class:`~collab_widgets.live.model.Board`
into what the page draws.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import mean

from collab_widgets.core.errors import CollabError, InvalidInput, NotFound
from collab_widgets.live.model import (
    CLOSED,
    FIST_LOW,
    Board,
    Contribution,
    LiveMark,
    LiveNote,
    LivePrompt,
)

log = logging.getLogger("collab_widgets")

POLL_SECONDS = 1.0  # never more often than this
WAITING_POLL_SECONDS = 5.0  # while no protocol runs: only to notice that one started


class LiveLoop:
    """Every ``interval`` seconds: ``on_tick()``, then ``on_change()`` if the counter moved.

    ``read_counter`` is the team's change counter; a :class:`CollabError` from it (the
    page's link was changed, the database is gone) stops the loop and goes to
    ``on_error`` with its plain message.
    """

    def __init__(
        self,
        read_counter: Callable[[], int],
        on_change: Callable[[], None],
        *,
        on_tick: Callable[[], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        interval: float = POLL_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.read_counter = read_counter
        self.on_change = on_change
        self.on_tick = on_tick
        self.on_error = on_error
        self.interval = interval
        self.sleep = sleep
        self._task: asyncio.Task | None = None
        self.polls = 0
        # The counter as it was when the page last read what it shows. The page sets it
        # *before* reading, so a change made while it draws is still noticed.
        self.seen: int | None = None

    @property
    def interval(self) -> float:
        return self._interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        if seconds < POLL_SECONDS:
            raise ValueError(f"A page polls at most once every {POLL_SECONDS:g} second.")
        self._interval = seconds

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start polling (again); a running loop is left as it is. Outside an event
        loop (a plain script, not a kernel) there is nothing to poll with: no-op."""
        if self.running:
            return
        try:
            events = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._task = events.create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        try:
            if self.seen is None:
                self.seen = self.read_counter()
            while True:
                await self.sleep(self.interval)
                if self.on_tick:
                    self.on_tick()
                self.polls += 1
                current = self.read_counter()
                if current != self.seen:
                    self.seen = current
                    self.on_change()
        except asyncio.CancelledError:
            raise
        except CollabError as exc:
            if self.on_error:
                self.on_error(str(exc))
        except Exception:
            log.exception("the live page stopped updating")
            if self.on_error:
                self.on_error("This page stopped updating. Reload it to carry on.")


# --- answering -------------------------------------------------------------------------

MAX_GROUP = 80  # characters of a group's name
MAX_DOTS = 10  # the most dots a dot vote gives each member (1 at least)
MAX_NOTES = 300  # notes on one board: more than any team's board, fewer than a flood


NEW_GROUP = "Group {}"  # a group started by a drop, until it is renamed


def fresh_group(taken: Collection[str | None]) -> str:
    """The first "Group N" not in ``taken``."""
    number = 1
    while NEW_GROUP.format(number) in taken:
        number += 1
    return NEW_GROUP.format(number)


def group_name(text: str | None) -> str:
    """A group's name as typed, trimmed ("" for no group): one line, not too long."""
    name = (text or "").strip()
    if len(name) > MAX_GROUP or any(ord(ch) < 32 for ch in name):
        raise InvalidInput(f"A group name is one line of at most {MAX_GROUP} characters.")
    if name.casefold() == UNGROUPED.casefold():
        raise InvalidInput(f"“{UNGROUPED}” is the pile of notes in no group; choose another name.")
    return name


def is_own_note(
    author_id: int | None, note_id: int, member_id: int | None, mine: Collection[int]
) -> bool:
    """Whether a member may change a note as its writer: their own note, or an anonymous
    one (no author) that this very page wrote (``mine``: the note ids the page holds)."""
    if author_id is not None:
        return author_id == member_id
    return note_id in mine


def check_mark(prompt: LivePrompt, value: object) -> None:
    """A fist-to-five or rating mark is a whole number in the prompt's range."""
    low, high = prompt.mark_range
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"Choose a whole number from {low} to {high}.")


# --- the dot vote ----------------------------------------------------------------------


def dots_used(my_dots: Mapping[int, int], choices: Collection[int]) -> int:
    """A member's dots on the vote's choices (note ids). Dots on a note taken off the
    board, or blanked, no longer count: they are free again."""
    return sum(dots for note_id, dots in my_dots.items() if note_id in choices)


def dots_left(budget: int | None, my_dots: Mapping[int, int], choices: Collection[int]) -> int:
    return (budget or 0) - dots_used(my_dots, choices)


def check_dot_change(change: int) -> None:
    if change not in (1, -1):
        raise InvalidInput("Add or take back one dot at a time.")


def dots_after_vote(
    budget: int | None,
    my_dots: Mapping[int, int],
    choices: Collection[int],
    note_id: int,
    change: int,
) -> int:
    """The member's dots on ``note_id`` once they add one (``change`` +1) or take one back
    (-1), within their ``budget``. ``my_dots``: their dots per note as stored."""
    check_dot_change(change)
    if note_id not in choices:
        raise NotFound("That note is not among the choices of this vote any more.")
    now_on_note = my_dots.get(note_id, 0) + change
    if now_on_note < 0:
        raise InvalidInput("You have no dot on that note to take back.")
    if change > 0 and dots_used(my_dots, choices) + 1 > (budget or 0):
        raise InvalidInput(f"You have used all {budget} of your dots. Take one back to move it.")
    return now_on_note


def vote_board(
    prompt: LivePrompt,
    choices: Sequence[LiveNote],
    votes: Iterable[tuple[int, int, int]],
    member_id: int | None,
) -> Board:
    """A dot vote as one member sees it: their dots and how many they have left, how many
    members have voted, and once the vote is closed the tally (every choice's dots).
    ``votes``: (note id, member id, dots) for each note holding some of a member's dots."""
    shown = {note.id for note in choices}
    counted = [(note_id, voter, dots) for note_id, voter, dots in votes if note_id in shown]
    mine = {note_id: dots for note_id, voter, dots in counted if voter == member_id}
    totals = None
    if prompt.status == CLOSED:
        totals = {note.id: 0 for note in choices}
        for note_id, _, dots in counted:
            totals[note_id] += dots
    return Board(
        prompt,
        tuple(choices),
        mine,
        totals,
        answered=len({voter for _, voter, _ in counted}),
        dots_left=dots_left(prompt.budget, mine, shown),
    )


# --- what a board shows ----------------------------------------------------------------

UNGROUPED = "Not grouped yet"


def grouped(notes: Sequence[LiveNote]) -> list[tuple[str, list[LiveNote]]]:
    """Notes by the facilitator's groups (in the order groups first appear), the
    ungrouped last."""
    groups: dict[str, list[LiveNote]] = {}
    for note in notes:
        groups.setdefault(note.group or UNGROUPED, []).append(note)
    ungrouped = groups.pop(UNGROUPED, [])
    result = list(groups.items())
    if ungrouped:
        result.append((UNGROUPED, ungrouped))
    return result


def vote_results(notes: Sequence[LiveNote], totals: dict[int, int]) -> list[tuple[LiveNote, int]]:
    """Notes with their dots, most dots first (ties in board order)."""
    order = {note.id: i for i, note in enumerate(notes)}
    ranked = sorted(notes, key=lambda n: (-totals.get(n.id, 0), order[n.id]))
    return [(note, totals.get(note.id, 0)) for note in ranked]


@dataclass(frozen=True)
class Spread:
    """How marks spread over a scale: a count per mark, and who is low (fist to five)."""

    low: int
    high: int
    counts: dict[int, int]
    average: float | None
    to_hear: tuple[str, ...] = ()  # fist to five: members at 0-2, heard before deciding

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def spread(marks: Sequence[LiveMark], low: int, high: int, fist: bool = False) -> Spread:
    counts = {value: 0 for value in range(low, high + 1)}
    for m in marks:
        counts[m.value] += 1
    heard = tuple(m.member for m in marks if m.value <= FIST_LOW) if fist else ()
    average = mean(m.value for m in marks) if marks else None
    return Spread(low, high, counts, average, heard)


@dataclass(frozen=True)
class Voices:
    counts: tuple[Contribution, ...]
    anonymous: int

    @property
    def heard(self) -> int:
        """How many members have contributed by name."""
        return sum(1 for c in self.counts if c.count)

    @property
    def largest_share(self) -> float:
        """The most active member's share of the named contributions (0 with none)."""
        total = sum(c.count for c in self.counts)
        return max((c.count for c in self.counts), default=0) / total if total else 0.0

    def sentence(self) -> str:
        people = len(self.counts)
        text = f"{self.heard} of {people} members have added something"
        if self.largest_share > 0.5 and self.heard > 1:
            text += "; one voice has more than half of it. Invite the others in"
        if self.anonymous:
            text += f"; {self.anonymous} anonymous note{'s' if self.anonymous != 1 else ''}"
        return text + "."


def expected_hands(present: int, team_size: int) -> tuple[int, str]:
    """Whom a fist to five expects a hand from, and how the sentence names them: the
    members marked present, or the whole team when the meeting's attendance was not
    taken."""
    return (present, "present") if present else (team_size, "on the team")


def dots_line(text: str, dots: int) -> str:
    """A dot vote's choice with its dots, as the record lists it."""
    return f"{text} — {dots} dot{'' if dots == 1 else 's'}"


def consensus_sentence(result: Spread, present: int, among: str = "present") -> str:
    """A closed fist to five as a decision's result: how many of the ``present`` members
    showed a hand, the average, and whether it is consensus or who is to be heard first.

    The rule: consensus needs a hand from every member present, each at 3 or above. A
    fist to five exists to make every position visible; a member present who showed no
    hand may be the one who cannot live with it, so a majority of hands is not enough.
    A member who marked but was not marked present counts as there. ``among`` names the
    group counted ("present", or "on the team" when attendance was not taken).

    The sentence does not start with "Fist to five": a decision shows it after its
    method ("fist to five: …"), and the record under the check's step."""
    expected = max(present, result.total)
    if not result.total:
        return f"None of the {expected} {among} showed a hand."
    hands = f"{result.total} of {expected} {among} showed a hand"
    low = (
        f"{len(result.to_hear)} at {FIST_LOW} or below, to be heard before deciding"
        if result.to_hear
        else ""
    )
    if result.total < expected:
        verdict = "not enough to call it consensus; everyone present shows a hand first"
        also = f"; {low}" if low else ""
        return f"{hands} (average {result.average:.1f}): {verdict}{also}."
    verdict = low or "everyone at 3 or above: consensus"
    return f"{hands}, average {result.average:.1f}; {verdict}."
