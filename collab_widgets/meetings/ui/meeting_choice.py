"""Which meeting a page works on: the next one (today's) unless another is chosen."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import refill
from collab_widgets.meetings import store as meetings


class MeetingChooser(widgets.VBox):
    """``meeting_id`` is the chosen meeting (None while the team has none); ``on_change``
    runs when another is chosen."""

    def __init__(self, scope: TeamScope, status: StatusLine, on_change: Callable[[], None]):
        self.scope = scope
        self.on_change = on_change
        self.filling = False
        self.choice = widgets.Dropdown(description="Meeting", layout=widgets.Layout(width="100%"))
        self.choice.add_class("collab-meeting-choice")
        self.choice.observe(guarded(status)(self._chose), "value")
        super().__init__([self.choice])
        self.refresh()

    @property
    def meeting_id(self) -> int | None:
        return self.choice.value

    def refresh(self) -> None:
        every = meetings.all_meetings(self.scope)
        upcoming = meetings.next_meeting(self.scope)
        self.filling = True
        try:
            refill(
                self.choice,
                [(f"{m.date:%a %d %b %Y} — {m.title}", m.id) for m in every],
                keep=self.choice.value or (upcoming.id if upcoming else None),
            )
        finally:
            self.filling = False

    def _chose(self, _change) -> None:
        if not self.filling:
            self.on_change()
