"""Messages in the page, the "saved" indicator, and error handling for callbacks.

Every callback a visitor can trigger runs through :func:`guarded`: a known problem shows
its plain-language message; anything unexpected is logged for the operator and the
visitor sees a calm sentence, never a traceback.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable

import ipywidgets as widgets

from ..clock import get_clock
from ..errors import CollabError
from .debounce import flush_all

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
    """Shows "Saving…", "All changes saved 14:02" or why the last change was not saved."""

    def __init__(self, **kwargs):
        super().__init__(value="", **kwargs)
        self.add_class("collab-saved")

    def saving(self) -> None:
        self.value = '<span class="collab-saving">Saving…</span>'

    def saved(self) -> None:
        stamp = get_clock().now().astimezone().strftime("%H:%M:%S")
        self.value = f'<span class="collab-saved-ok">✓ All changes saved {stamp}</span>'

    def failed(self, reason: str) -> None:
        self.value = f'<span class="collab-saved-failed">Not saved: {html.escape(reason)}</span>'


def build_page(status: StatusLine, name: str, build: Callable[[], None]) -> None:
    """Build a page with ``build()``; a failure becomes a plain message in ``status``
    (never a traceback), so the page always ends up shown and marked ready."""
    try:
        build()
    except CollabError as exc:
        status.error(str(exc))
    except Exception:
        log.exception("building the %s page failed", name)
        status.error(UNEXPECTED)


def guarded(status: StatusLine):
    """Decorate a callback so failures become messages in ``status``.

    Saves still waiting for a pause in typing are written first: the action may redraw
    the page from the database, which must already hold what was typed.
    """

    def decorate(callback):
        @functools.wraps(callback)
        def run(*args, **kwargs):
            try:
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
