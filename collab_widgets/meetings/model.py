"""Meetings and their agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


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
