"""Run an action once, a short pause after the last of a burst of triggers, and at least
every :data:`LONGEST_WAIT` seconds while the triggers keep coming (steady typing).

Every waiting action is written out by :func:`flush_all`: before any other action on the
page runs (:func:`..feedback.guarded` calls it, so a redraw never reads the database
before the latest typing is in it) and when the kernel shuts down.
"""

from __future__ import annotations

import asyncio
import atexit
import weakref
from collections.abc import Callable

DELAY = 0.4  # seconds of quiet after the last keystroke
LONGEST_WAIT = 2.0  # seconds: typing without a pause is still saved this often
_pending: weakref.WeakSet[Debouncer] = weakref.WeakSet()


class Debouncer:
    """Calls ``action`` once, ``delay`` seconds after the latest :meth:`trigger`, or
    :data:`LONGEST_WAIT` seconds after the first trigger still waiting, whichever is first."""

    def __init__(self, action: Callable[[], None], delay: float | None = None):
        self.action = action
        self.delay = DELAY if delay is None else delay
        self._handle: asyncio.TimerHandle | None = None
        self._waiting_since: float | None = None

    def trigger(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain scripts, unit tests): save at once
            self.action()
            return
        now = loop.time()
        if self._handle:
            self._handle.cancel()
        else:
            self._waiting_since = now
        _pending.add(self)
        due = min(now + self.delay, self._waiting_since + LONGEST_WAIT)
        self._handle = loop.call_at(due, self.flush)

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
            self._waiting_since = None
            _pending.discard(self)
            self.action()

    @property
    def waiting(self) -> bool:
        return self._handle is not None


@atexit.register
def flush_all() -> None:
    """Run every waiting action now (another action is about to run, or the kernel stops)."""
    for debouncer in list(_pending):
        debouncer.flush()
