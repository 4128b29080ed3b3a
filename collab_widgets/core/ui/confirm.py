"""A button for an action that cannot be taken back in one click (ending a protocol for
everyone, changing a code, moving something to the trash): a first click asks, in place,
with the consequence in words; only "Yes, …" does it, and "Cancel" leaves all as it was."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import button, text_block


class Confirm(widgets.HBox):
    def __init__(
        self,
        label: str,
        tooltip: str,
        question: str,
        yes: str,
        action: Callable[[], None],
        status: StatusLine,
        *,
        style: str = "",
        name: str = "",
    ):
        self.button = button(label, tooltip, style, name)
        self.button.on_click(lambda _b: self.ask())
        self.question = text_block(
            f"<span class='collab-confirm-question' role='alert'>{html.escape(question)}</span>"
        )
        self.yes = button(yes, question, "danger", f"confirm-{name}" if name else "confirm")
        self.yes.on_click(guarded(status)(lambda _b: self._do(action)))
        self.no = button("Cancel", "Leave everything as it is", name="cancel")
        self.no.on_click(lambda _b: self.back())
        super().__init__(
            [self.button], layout=widgets.Layout(align_items="center", flex_flow="row wrap")
        )
        self.add_class("collab-confirm")

    def ask(self) -> None:
        self.children = (self.question, self.yes, self.no)

    def back(self) -> None:
        self.children = (self.button,)

    def _do(self, action: Callable[[], None]) -> None:
        self.back()  # first: the action may redraw the page this stands on
        action()
