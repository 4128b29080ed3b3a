"""Save text as it is typed: a short debounce after the last keystroke, and at shutdown.

Text widgets sync every keystroke (``continuous_update=True``); :func:`autosave` waits
for a pause of ``DELAY`` seconds, then stores the value exactly as typed and updates the
saved indicator. Pending saves are written when the kernel shuts down, so closing the tab
mid-sentence loses nothing.
"""

from __future__ import annotations

import asyncio
import atexit
import weakref
from collections.abc import Callable

import ipywidgets as widgets

from ..errors import CollabError
from .feedback import UNEXPECTED, SavedIndicator, log

DELAY = 0.4
_pending: weakref.WeakSet[Debouncer] = weakref.WeakSet()


class Debouncer:
    """Calls ``action`` once, ``delay`` seconds after the latest :meth:`trigger`."""

    def __init__(self, action: Callable[[], None], delay: float | None = None):
        self.action = action
        self.delay = DELAY if delay is None else delay
        self._handle: asyncio.TimerHandle | None = None

    def trigger(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain scripts, unit tests): save at once
            self.action()
            return
        if self._handle:
            self._handle.cancel()
        _pending.add(self)
        self._handle = loop.call_later(self.delay, self.flush)

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
            _pending.discard(self)
            self.action()

    @property
    def waiting(self) -> bool:
        return self._handle is not None


@atexit.register
def flush_all() -> None:
    """Write every pending save (the kernel is shutting down)."""
    for debouncer in list(_pending):
        debouncer.flush()


def autosave(
    widget: widgets.ValueWidget, save: Callable[[object], None], indicator: SavedIndicator
) -> Debouncer:
    """Store ``widget.value`` with ``save`` after each pause in typing."""

    def write() -> None:
        try:
            save(widget.value)
        except CollabError as exc:
            indicator.failed(str(exc))
        except Exception:
            log.exception("saving %s failed", widget.description)
            indicator.failed(UNEXPECTED)
        else:
            indicator.saved()

    debouncer = Debouncer(write)

    def changed(_change) -> None:
        indicator.saving()
        debouncer.trigger()

    widget.observe(changed, "value")
    return debouncer
