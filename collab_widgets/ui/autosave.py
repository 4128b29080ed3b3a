"""Save text as it is typed: a short debounce after the last keystroke, and at shutdown.

Text widgets sync every keystroke (``continuous_update=True``); :func:`autosave` waits
for a pause (:data:`.debounce.DELAY`), then stores the value exactly as typed and updates
the saved indicator. Waiting saves are written before any other action on the page and
when the kernel shuts down, so neither a redraw nor closing the tab mid-sentence loses
anything.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..errors import CollabError
from .debounce import Debouncer
from .feedback import UNEXPECTED, SavedIndicator, log


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
