"""A survey round: one instrument given to the team once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class SurveyRound:
    """A pulse survey's round: who answered is kept apart from the answers."""

    id: int
    instrument: str  # the instrument's key
    title: str
    meeting_id: int | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    min_respondents: int
    answered: int  # how many members answered (never which answer is whose)
