"""What every domain shares: a team's members and roles, the activity record's entries,
and the checks on what people type (names, texts, minutes, edits typed over another's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from collab_widgets.core.errors import EditConflict, InvalidInput

ROLES = ("facilitator", "timekeeper", "recorder")


MAX_NAME = 80


MAX_TEXT = 2000


MAX_MINUTES = 240


def plural(n: float, word: str, many: str | None = None) -> str:
    """A count and its noun, singular for one: ``plural(1, "student")`` is "1 student",
    ``plural(3, "student")`` "3 students"; ``many`` for an irregular plural ("people")."""
    count = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{count} {word if n == 1 else many or word + 's'}"


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


def check_unchanged(stored: str | None, base: str | None, typed: str) -> None:
    """Refuse to save ``typed`` over a shared text someone else changed since the page
    read it as ``base``. ``base`` None: a save that is not made from a page (a script).
    The same words typed on both pages are no conflict."""
    if base is not None and (stored or "") not in (base, typed):
        raise EditConflict(stored or "")


def encodable(text: str) -> bool:
    """Whether the text can be written down at all: JSON and Python allow a lone half of
    a surrogate pair, which no encoding (and so no database or file) can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
    token: str  # their personal token: "" unless the reader is this member or a coach
    joined: dt.datetime
    position: int
    claimed: bool = False  # taken by its owner: the team link no longer hands it out


@dataclass(frozen=True)
class ActivityEntry:
    id: int
    at: dt.datetime
    kind: str
    summary: str
    who: str | None
    link: str | None


@dataclass(frozen=True)
class TeamSummary:
    id: int
    name: str
    code: str
    member_count: int
    created: dt.datetime
