"""Plain records shared by every layer, and the validation of what people type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import InvalidInput

ROLES = ("facilitator", "timekeeper", "recorder")
NORM_CATEGORIES = (
    "time",
    "listening",
    "confidentiality",
    "decision-making",
    "participation",
    "expectations",
)
NORM_RATINGS = {1: "not kept", 2: "partly kept", 3: "mostly kept", 4: "fully kept"}
CHECK_PHASES = ("start", "end")

MAX_NAME = 80
MAX_TEXT = 2000
MAX_MINUTES = 240


def clean_name(typed: str, what: str = "name") -> str:
    """A person's or team's name as it will be stored: surrounding spaces removed."""
    name = (typed or "").strip()
    if not name:
        raise InvalidInput(f"The {what} is empty. Type at least one letter.", what)
    if len(name) > MAX_NAME:
        raise InvalidInput(
            f"The {what} is {len(name):,} characters long; keep it to {MAX_NAME} or fewer.", what
        )
    if any(ord(ch) < 32 for ch in name):
        raise InvalidInput(f"The {what} contains a line break or tab; use one line.", what)
    return name


def check_text(typed: str, what: str = "text") -> str:
    """Free text saved exactly as typed, within a length a page can show."""
    if typed is None:
        return ""
    if len(typed) > MAX_TEXT:
        raise InvalidInput(
            f"The {what} is {len(typed):,} characters long; keep it to {MAX_TEXT:,} or fewer. "
            "What you typed before that is still saved.",
            what,
        )
    return typed


def check_minutes(minutes: int) -> int:
    if not isinstance(minutes, int) or minutes < 0 or minutes > MAX_MINUTES:
        raise InvalidInput(
            f"A time box is a whole number of minutes from 0 to {MAX_MINUTES}.", "minutes"
        )
    return minutes


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    token: str
    joined: dt.datetime
    position: int


@dataclass(frozen=True)
class Norm:
    id: int
    category: str
    text: str
    position: int
    retired: bool


@dataclass(frozen=True)
class AgendaItem:
    id: int
    title: str
    minutes: int
    position: int


@dataclass(frozen=True)
class Meeting:
    id: int
    date: dt.date
    title: str
    agenda: tuple[AgendaItem, ...] = ()
    present: frozenset[int] = field(default_factory=frozenset)

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self.agenda)


@dataclass(frozen=True)
class ActivityEntry:
    id: int
    at: dt.datetime
    kind: str
    summary: str
    who: str | None
    link: str | None


@dataclass(frozen=True)
class TrashItem:
    kind: str
    id: int
    label: str
    deleted_at: dt.datetime


@dataclass(frozen=True)
class TeamSummary:
    id: int
    name: str
    code: str
    member_count: int
    created: dt.datetime
