"""The live engine's records: prompts, notes, marks and a board."""

from __future__ import annotations

from dataclasses import dataclass, field

# The live engine: what a prompt collects, and where it stands.
PROMPT_KINDS = ("notes", "board", "round", "dot-vote", "fist-to-five", "rating")


WAITING, OPEN, CLOSED = "waiting", "open", "closed"


PROMPT_STATUSES = (WAITING, OPEN, CLOSED)


ENTRY_KINDS = ("note", "option", "check")


FIST_LOW = 2  # a fist-to-five mark at or below this is heard before deciding


@dataclass(frozen=True)
class LivePrompt:
    id: int
    session_id: int
    position: int
    kind: str
    title: str
    text: str
    anonymous: bool
    status: str
    budget: int | None = None  # dots per member in a dot vote
    scale: int | None = None  # highest mark of a rating
    source_prompt_id: int | None = None  # the board a dot vote is about

    @property
    def mark_range(self) -> tuple[int, int]:
        return mark_range(self.kind, self.scale)


def mark_range(kind: str | None, scale: int | None) -> tuple[int, int]:
    """Lowest and highest mark: 0-5 for a fist to five, 1 to the scale for a rating."""
    return (0, 5) if kind == "fist-to-five" else (1, scale or 5)


@dataclass(frozen=True)
class LiveNote:
    """A sticky note, or an option of a vote. ``author_id`` is None when anonymous."""

    id: int
    text: str
    group: str | None
    author_id: int | None
    author: str | None


@dataclass(frozen=True)
class LiveMark:
    """One member's fist-to-five or rating mark."""

    member_id: int
    member: str
    value: int


@dataclass(frozen=True)
class Board:
    """What one prompt shows to one member. Totals and marks only once it is closed."""

    prompt: LivePrompt
    notes: tuple[LiveNote, ...] = ()  # on a board, or the choices of a vote
    my_dots: dict[int, int] = field(default_factory=dict)  # note id -> my dots
    totals: dict[int, int] | None = None  # note id -> dots, once voting closed
    marks: tuple[LiveMark, ...] | None = None  # once the check closed
    my_mark: int | None = None
    answered: int = 0  # how many members have marked or voted so far
    dots_left: int = 0  # of my budget in a dot vote (see live.rules.vote_board)


@dataclass(frozen=True)
class Contribution:
    member_id: int
    member: str
    count: int
