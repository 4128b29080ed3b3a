"""Decisions and actions, and an action's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DECISION_METHODS = ("consensus", "fist to five", "vote", "facilitator decided")


OPEN, IN_PROGRESS, DONE, DROPPED = "open", "in progress", "done", "dropped"


ACTION_STATUSES = (OPEN, IN_PROGRESS, DONE, DROPPED)


OPEN_ACTION_STATUSES = (OPEN, IN_PROGRESS)


@dataclass(frozen=True)
class Decision:
    id: int
    meeting_id: int | None
    text: str
    method: str
    result: str  # e.g. "fist to five: all at 3 or above (4 of 4)"
    present: tuple[str, ...]  # who was there when it was decided
    decided_at: dt.datetime


@dataclass(frozen=True)
class Action:
    id: int
    meeting_id: int | None
    text: str
    owner_id: int | None
    owner: str  # "" when nobody owns it yet
    due_on: dt.date | None
    status: str
    prompted_by: str  # what it came from: a decision, a protocol step, an inference ("" if none)
    created_at: dt.datetime

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class ActionChange:
    at: dt.datetime
    who: str | None
    change: str
