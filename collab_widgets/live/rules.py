"""Keeping a page live, and what a live board shows: plain Python, no widgets.

:class:`LiveLoop` is how a visitor's kernel learns what teammates did: once a second it
ticks (the countdown) and reads the team's change counter, a single small query, and
only when the counter moved does the page read and redraw the board. It runs while the
page shows a live protocol and stops when the run ends or the page goes away (Voilà
shuts the kernel down when the visitor leaves; :meth:`LiveLoop.stop` is also called
when the page is closed), so idle kernels can be culled.

The summaries turn a :class:`~collab_widgets.model.Board` into what the page draws.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from statistics import mean

from collab_widgets.core.errors import CollabError
from collab_widgets.live.model import FIST_LOW, Contribution, LiveMark, LiveNote

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
