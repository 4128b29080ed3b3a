"""Getting into the community page without a working school link: typing its code."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import SchoolScope
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import form_button, heading, note, side_by_side


class SchoolJoinScreen(widgets.VBox):
    """Asks for the code of a coordinator's or principal's link; ``open_code(code)`` turns
    it into a scope (through the page's gate, which counts wrong codes) and ``on_open``
    gets the scope."""

    def __init__(
        self,
        open_code: Callable[[str], SchoolScope],
        on_open: Callable[[SchoolScope], None],
        message: str = "",
    ):
        self.open_code, self.on_open = open_code, on_open
        self.status = StatusLine()
        self.code = widgets.Text(
            description="School code",
            placeholder="the code after school= in your link",
            tooltip="Paste the code at the end of your school link, as it is",
        )
        self.code.add_class("collab-code")
        self.open_button = form_button(
            "Open", "Open the school's partnerships", [self.code], "primary", "open-school"
        )
        self.open_button.on_click(guarded(self.status)(self._open))
        super().__init__(
            [
                heading("Open your school's partnerships"),
                note(
                    "This page opens with the school link given to the school's partnership "
                    "coordinator or principal. Paste the code from that link (what follows "
                    "school=) as it is. A team's code does not open it."
                ),
                side_by_side([self.code, self.open_button], flex_flow="row wrap"),
                self.status,
            ]
        )
        self.add_class("collab-join")
        if message:
            self.status.error(message)

    def _open(self, _button=None) -> None:
        scope = self.open_code(self.code.value)
        self.status.clear()
        self.on_open(scope)
