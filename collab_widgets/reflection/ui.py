"""Reflection: What? So what? Now what? — each member's own, private (only its author
ever sees it), then the team's shared synthesis; both saved as typed, per meeting."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.autosave import SharedText, autosave
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.core.ui.layout import heading, note, set_shown, stacked
from collab_widgets.reflection import store as reflections
from collab_widgets.reflection.model import REFLECTION_PARTS

HINTS = {
    "what": "What happened? What did we see and do?",
    "so_what": "So what? Why does it matter; what did we learn?",
    "now_what": "Now what? What will we do next, and how will we know it worked?",
}


def _boxes(prefix: str) -> dict[str, widgets.Textarea]:
    boxes = {}
    for part in REFLECTION_PARTS:
        box = widgets.Textarea(
            description=reflections.PART_NAMES[part],
            placeholder=HINTS[part],
            layout=widgets.Layout(width="100%", height="70px"),
        )
        box.add_class(f"collab-{prefix}-{part.replace('_', '-')}")
        boxes[part] = box
    return boxes


class ReflectionPanel(widgets.VBox):
    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        indicator: SavedIndicator,
        chosen_meeting: Callable[[], int | None],
    ):
        self.scope = scope
        self.chosen_meeting = chosen_meeting  # the meeting chosen at the page's top
        self.filling = False
        self.shown: dict[str, str] = {}  # what the page last read or wrote, per box
        # the meeting whose reflection is in the boxes: a save still waiting when another
        # meeting is chosen belongs to this one, not to the new choice
        self.meeting_shown: int | None = None
        self.own = _boxes("own")
        self.savers = [
            autosave(box, lambda value, p=part: self._save_own(p, value), indicator)
            for part, box in self.own.items()
        ]
        self.shared = _boxes("synthesis")
        self.synthesis = {
            part: SharedText(
                box,
                lambda typed, base, p=part: reflections.save_synthesis(
                    self.scope, self.meeting_shown, p, typed, base
                ),
                indicator,
                f"synthesis:none:{part}",
            )
            for part, box in self.shared.items()
        }
        self.private = stacked(
            [
                heading("Your reflection", 4),
                note(
                    "Only you ever see this — not your teammates, not the facilitator, not "
                    "the coach."
                ),
                *self.own.values(),
            ]
        )
        self.empty = note("Plan a meeting first (Start page, Next meeting).")
        super().__init__(
            [
                heading("Reflection"),
                self.empty,
                self.private,
                heading("The team's synthesis", 4),
                note("Written together, for the meeting record."),
                *(shared.view for shared in self.synthesis.values()),
            ]
        )
        self.add_class("collab-reflection")

    def refresh(self) -> None:
        for saver in (*self.savers, *(shared.debouncer for shared in self.synthesis.values())):
            saver.flush()
        meeting_id = self.meeting_shown = self.chosen_meeting()
        set_shown(self.empty, meeting_id is None)
        for box in (*self.own.values(), *self.shared.values()):
            box.disabled = meeting_id is None
        set_shown(self.private, self.scope.member_id is not None)
        if meeting_id is None:
            return
        mine, ours = (
            reflections.own(self.scope, meeting_id),
            reflections.synthesis(self.scope, meeting_id),
        )
        self.filling = True
        try:
            for part in REFLECTION_PARTS:
                self.shown[part] = self.own[part].value = getattr(mine, part)
        finally:
            self.filling = False
        for part, shared in self.synthesis.items():
            shared.load(getattr(ours, part), f"synthesis:{meeting_id}:{part}")

    def _save_own(self, part: str, value: str) -> None:
        # what refresh() just put in the box is not written back (a member who only
        # opened the page has written no reflection)
        if self.filling or self.meeting_shown is None or self.shown.get(part) == value:
            return
        reflections.save_own(self.scope, self.meeting_shown, part, value)
        self.shown[part] = value
