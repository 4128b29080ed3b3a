"""Save text as it is typed: after a short pause, at least every two seconds of steady
typing (:mod:`.debounce`), before any other action on the page, and at shutdown.

:func:`autosave` is for a value only its visitor edits. :class:`SharedText` is for text
several people may edit at once (norms, agenda items, the four questions, a goal's
draft, the synthesis, step notes, decisions, actions): each save says which version it
was typed over, and one typed over an out-of-date version never overwrites the newer
text. The visitor then sees the other person's text beside their own, both kept, until
they keep theirs or take the other; until then the page's save state says "Not saved".
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.errors import CollabError, EditConflict
from collab_widgets.core.ui.debounce import Debouncer
from collab_widgets.core.ui.feedback import UNEXPECTED, SavedIndicator, log
from collab_widgets.core.ui.layout import (
    button,
    note_html,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.core.ui.looks import relayout, shared_layout


def save_reported(save: Callable[[], None], indicator: SavedIndicator, key: str, what: str) -> bool:
    """Run ``save``; report to ``indicator`` under ``key``. Whether it was stored."""
    try:
        save()
    except CollabError as exc:
        indicator.failed(str(exc), key)
    except Exception:
        log.exception("saving %s failed", what)
        indicator.failed(UNEXPECTED, key)
    else:
        indicator.saved(key)
        return True
    return False


def autosave(
    widget: widgets.ValueWidget,
    save: Callable[[object], None],
    indicator: SavedIndicator,
    key: str | None = None,
) -> Debouncer:
    """Store ``widget.value`` with ``save`` as it is typed. Boxes saved together as one
    record (a form whose fields are checked together) report under one ``key``."""
    key = key or f"box-{widget.model_id}"

    def write() -> None:
        save_reported(lambda: save(widget.value), indicator, key, widget.description)

    debouncer = Debouncer(write)

    def changed(_change) -> None:
        indicator.saving(key)
        debouncer.trigger()

    widget.observe(changed, "value")
    _forget_when_closed(widget, indicator, lambda: key)
    return debouncer


def _forget_when_closed(box: widgets.Widget, indicator: SavedIndicator, key, keep=lambda: False):
    """When a redraw closes ``box``, its failed save no longer describes the page (unless
    ``keep()``: a choice between two texts, shown again when the box is rebuilt)."""

    def closed(change) -> None:
        if change["new"] is None and not keep():
            indicator.forget(key())

    box.observe(closed, "comm")


class SharedText:
    """A text box several people may edit; :attr:`view` shows it with, when needed, the
    other person's newer text and the choice between the two.

    ``save(typed, base)`` stores ``typed`` unless the store no longer holds ``base`` (the
    text this page last read or wrote), raising :class:`~..errors.EditConflict` then.
    ``key`` names the text on the page (e.g. ``"norm:12"``): a box rebuilt under the same
    key after a redraw gets back what the visitor had typed and not yet saved. ``below``:
    widgets shown under the box in :attr:`view` (the box's checks), after the choice.
    """

    def __init__(
        self,
        box: widgets.Text | widgets.Textarea,
        save: Callable[[str, str], None],
        indicator: SavedIndicator,
        key: str,
        below: tuple[widgets.Widget, ...] = (),
    ):
        self.box = box
        self.below = below
        self.save = save
        self.indicator = indicator
        self.key = key
        self.base = box.value
        self.conflicted = False
        self.their_text = ""
        # the other person's text and the choice: built on the first conflict (most boxes
        # never have one, and a page has dozens of boxes)
        self.panel: widgets.VBox | None = None
        self.theirs: widgets.HTML | None = None
        # the box, and the choice below it when there is one, take the box's place and
        # width; the box fills it; never squeezed out of a row of controls on a phone
        width = {"width": box.layout.width} if box.layout.width else {}
        self.view = widgets.VBox(
            [box, *below], layout=shared_layout(min_width="min(100%, 18em)", **width)
        )
        if width:
            relayout(box, width="100%")
        self.filling = False  # the page, not the visitor, is setting the box
        self.debouncer = Debouncer(self._write)
        self._bring_back()
        box.observe(self._typed, "value")
        _forget_when_closed(box, indicator, lambda: self.key, lambda: self.conflicted)

    def load(self, stored: str, key: str | None = None) -> None:
        """Show the store's text ``stored`` (for ``key``, when the box now shows another
        record), unless the visitor has unsaved typing here: that is never replaced."""
        if key is not None and key != self.key:
            self.debouncer.flush()
            self.key = key  # the earlier record's unsaved text stays kept under its key
            self.conflicted = False
            self._show_choice(False)
        elif (
            self.debouncer.waiting
            or self.conflicted
            or self.indicator.holds_unsaved(self.key)  # refused (too long…): still theirs
        ):
            return
        self.base = stored
        self._fill(stored)
        self._bring_back()

    def keep_mine(self) -> None:
        """Save the visitor's text over the newer one they have now seen."""
        if not self.conflicted:
            return  # a second press, or a press the page never offered
        self.base = self.their_text
        self._write()

    def use_theirs(self) -> None:
        if not self.conflicted:
            return
        self.debouncer.flush()  # a save still waiting learns the latest of theirs first
        if not self.conflicted:
            return  # that save went in (theirs was changed back meanwhile): nothing to take
        self.base = self.their_text
        self._resolved()
        self._fill(self.base)
        self.indicator.saved(self.key)

    # --- inside ---

    def _fill(self, text: str) -> None:
        self.filling = True
        try:
            self.box.value = text
        finally:
            self.filling = False

    def _typed(self, _change) -> None:
        if self.filling:
            return
        self.indicator.saving(self.key)
        self.debouncer.trigger()

    def _write(self) -> None:
        typed = self.box.value
        if typed == self.base and not self.conflicted:
            self.indicator.saved(self.key)  # nothing new (a redraw filled the box)
            return
        if save_reported(lambda: self._save(typed), self.indicator, self.key, self.key):
            self.base = typed
            self._resolved()

    def _save(self, typed: str) -> None:
        try:
            self.save(typed, self.base)
        except EditConflict as conflict:
            self._conflict(conflict.theirs)
            raise

    def _conflict(self, theirs: str) -> None:
        self.conflicted = True
        self.their_text = theirs
        self._show_choice(True)
        self.theirs.value = (
            f"<div class='collab-theirs'><b>Theirs:</b> {html.escape(theirs) or '(empty)'}</div>"
        )
        self.indicator.kept[self.key] = (self.box.value, self.base, theirs)

    def _resolved(self) -> None:
        self.conflicted = False
        self._show_choice(False)
        self.indicator.kept.pop(self.key, None)

    def _show_choice(self, shown: bool) -> None:
        """Show or hide the other person's text and the choice; built when first shown."""
        if self.panel is None and shown:
            self.panel = self._choice_panel()
            self.view.children = (self.box, self.panel, *self.below)
        if self.panel is not None:
            set_shown(self.panel, shown)

    def _choice_panel(self) -> widgets.VBox:
        self.theirs = text_block()
        self.theirs.add_class("collab-conflict-theirs")
        keep = button("Keep mine", "Save your text in place of theirs", name="keep-mine")
        keep.on_click(lambda _b: self.keep_mine())
        take = button(
            "Use theirs", "Put their text in your box instead of yours", name="use-theirs"
        )
        take.on_click(lambda _b: self.use_theirs())
        panel = stacked(
            [
                text_block(
                    note_html(
                        "Someone else changed this text while you were typing. Yours is "
                        "still in the box above, not saved; theirs is below. Keep one, or "
                        "copy what you need from theirs into yours and keep yours."
                    )
                ),
                self.theirs,
                side_by_side([keep, take]),
            ]
        )
        panel.add_class("collab-conflict")
        return panel

    def _bring_back(self) -> None:
        """After a redraw: the visitor's unsaved text and the choice, as they were."""
        kept = self.indicator.kept.get(self.key)
        if kept is None:
            return
        mine, base, _theirs = kept
        stored = self.box.value
        if stored == mine:  # the same words were saved since: nothing left to choose
            self._resolved()
            self.indicator.saved(self.key)
            return
        self.base = base
        self._fill(mine)
        self._conflict(stored)
