"""Messages in the page, the "saved" indicator, and error handling for callbacks.

Every callback a visitor can trigger runs through :func:`guarded`: a known problem shows
its plain-language message; anything unexpected is logged for the operator and the
visitor sees a calm sentence, never a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.clock import get_clock
from collab_widgets.core.errors import CollabError
from collab_widgets.core.ui.debounce import flush_all

log = logging.getLogger("collab_widgets")

UNEXPECTED = (
    "Something went wrong on the server and this change was not made. Everything saved "
    "before is safe. Reload the page and try again; if it happens again, tell your coach."
)


class StatusLine(widgets.HTML):
    """One line of feedback: an error, a warning or a confirmation. Text is escaped."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_class("collab-status")

    def _show(self, kind: str, text: str) -> None:
        self.value = (
            f'<div class="collab-msg collab-{kind}" role="status">{html.escape(text)}</div>'
        )

    def error(self, text: str) -> None:
        self._show("error", text)

    def info(self, text: str) -> None:
        self._show("info", text)

    def ok(self, text: str) -> None:
        self._show("ok", text)

    def clear(self) -> None:
        self.value = ""


class SavedIndicator(widgets.HTML):
    """The page's save state, true for every box at once: "Not saved: …" while any box
    holds text the store does not (a failed save, or another person's newer text shown
    beside the visitor's), "Saving…" while any save is waiting, and only then "All
    changes saved" with the time of the last save.

    Each box reports under its own ``key``; a one-off change (a date picked, a box
    ticked) reports without one. The unsaved boxes' texts are kept here by key, so a
    redraw of the page that rebuilds a box gives it back what the visitor typed.
    """

    def __init__(self, **kwargs):
        super().__init__(value="", **kwargs)
        self.add_class("collab-saved")
        self._saving: set[str] = set()
        self._unsaved: dict[str, str] = {}  # key -> why it is not saved
        self.kept: dict[str, object] = {}  # key -> what a box needs to come back as it was
        self._saved_at = None

    def saving(self, key: str | None = None) -> None:
        if key is not None:
            self._saving.add(key)
        self._show()

    def saved(self, key: str | None = None) -> None:
        if key is not None:
            self._saving.discard(key)
            self._unsaved.pop(key, None)
            self.kept.pop(key, None)
        self._saved_at = get_clock().now()
        self._show()

    def failed(self, reason: str, key: str | None = None) -> None:
        self._saving.discard(key)
        self._unsaved[key] = reason
        self._show()

    def forget(self, key: str) -> None:
        """A box gone from the page (redrawn from the store) holds nothing unsaved."""
        if key not in self._saving and key not in self._unsaved:
            return  # nothing to redraw (as for every box closed when the kernel stops)
        self._saving.discard(key)
        self._unsaved.pop(key, None)
        self._show()

    def holds_unsaved(self, key: str) -> bool:
        """Whether the box under ``key`` holds text its last save could not store."""
        return key in self._unsaved

    @property
    def all_saved(self) -> bool:
        return not self._saving and not self._unsaved

    def _show(self) -> None:
        if self._unsaved:
            reasons = list(dict.fromkeys(self._unsaved.values()))
            more = f" ({len(self._unsaved)} boxes)" if len(self._unsaved) > 1 else ""
            self.value = (
                f'<span class="collab-saved-failed" role="status">Not saved{more}: '
                f"{html.escape(reasons[-1])}</span>"
            )
        elif self._saving:
            since = f" (last saved {self._stamp()})" if self._saved_at else ""
            self.value = f'<span class="collab-saving">Saving…{since}</span>'
        elif self._saved_at is not None:
            self.value = f'<span class="collab-saved-ok">✓ All changes saved {self._stamp()}</span>'
        else:
            self.value = ""  # nothing typed yet on this page

    def _stamp(self) -> str:
        return self._saved_at.astimezone().strftime("%H:%M:%S")


# The status line of the page being built now, if one is. A plain variable, not a
# context variable: a kernel runs one thing at a time, and tasks started during the build
# (a live page's polling) would otherwise keep it for ever.
_page_being_built: StatusLine | None = None


def build_page(status: StatusLine, name: str, build: Callable[[], None]) -> None:
    """Build a page with ``build()``; a failure becomes a plain message in ``status``
    (never a traceback), so the page always ends up shown and marked ready."""
    global _page_being_built
    outer, _page_being_built = _page_being_built, status
    try:
        build()
    except CollabError as exc:
        status.error(str(exc))
    except Exception:
        log.exception("building the %s page failed", name)
        status.error(UNEXPECTED)
    finally:
        _page_being_built = outer


def after_page_built(action: Callable[[], None]) -> None:
    """Run ``action`` once the page being built has been handed over, if one is being
    built in a kernel; at once otherwise (a click, a script, a test).

    Under Voilà a workbook's only cell builds its page, and the browser starts loading the
    page's scripts (about a second) only when that cell has finished: what the first view
    can show a moment later (a chart's picture) is done then, while the browser loads,
    instead of before. Failures show in the page's status line, as in any callback."""
    status = _page_being_built
    if status is None:
        action()
        return
    try:
        kernel_loop = asyncio.get_running_loop()
    except RuntimeError:
        action()
        return
    kernel_loop.call_soon(guarded(status, flush=False)(action))


def guarded(status: StatusLine, flush: bool = True):
    """Decorate a callback so failures become messages in ``status``.

    Saves still waiting for a pause in typing are written first (unless ``flush`` is
    False: a callback that only redraws what was typed): the action may redraw the page
    from the database, which must already hold what was typed.
    """

    def decorate(callback):
        @functools.wraps(callback)
        def run(*args, **kwargs):
            try:
                if flush:
                    flush_all()
                result = callback(*args, **kwargs)
            except CollabError as exc:
                status.error(str(exc))
                return None
            except Exception:
                log.exception("unexpected error in %s", callback.__qualname__)
                status.error(UNEXPECTED)
                return None
            return result

        return run

    return decorate
