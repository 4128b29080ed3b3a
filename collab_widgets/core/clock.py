"""The one source of "now" and "today".

Tests and sample data set the date with :func:`use_clock` (or the ``COLLAB_TODAY``
environment variable, ``YYYY-MM-DD``) so that everything date-dependent is reproducible.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass


class Clock:
    """Wall clock in UTC."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def today(self) -> dt.date:
        return self.now().date()


@dataclass
class FixedClock(Clock):
    """A clock that stands still at ``at`` until moved with :meth:`advance`."""

    at: dt.datetime

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at = self.at + dt.timedelta(**delta)


def _clock_from_environment() -> Clock:
    today = os.environ.get("COLLAB_TODAY")
    if not today:
        return Clock()
    day = dt.date.fromisoformat(today)
    return FixedClock(dt.datetime(day.year, day.month, day.day, 15, 0, tzinfo=dt.UTC))


_current: Clock = _clock_from_environment()


def get_clock() -> Clock:
    return _current


def use_clock(clock: Clock) -> Clock:
    """Make ``clock`` the process-wide clock; returns the previous one."""
    global _current
    previous, _current = _current, clock
    return previous
