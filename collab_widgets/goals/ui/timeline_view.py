"""The "Timeline" tab: the cycle's story from the activity record, oldest first, each
entry linking to the workbook where it happened."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope, activity
from collab_widgets.core.ui.layout import heading, note, text_block
from collab_widgets.goals import store
from collab_widgets.goals.timeline import timeline
from collab_widgets.goals.ui.goals_cycle import CycleChooser

SHOWN = 500  # entries read from the record; a cycle of a few weeks has far fewer


class TimelinePanel(widgets.VBox):
    def __init__(self, scope: TeamScope, chooser: CycleChooser, link: Callable[[str], str]):
        self.scope = scope
        self.chooser = chooser
        self.link = link
        self.entries = text_block()
        self.entries.add_class("collab-timeline")
        super().__init__(
            [
                heading("Cycle timeline"),
                note(
                    "What the team did during this cycle, in order: goals and their versions, "
                    "assessments, protocols, meetings, wins. Each links to where it happened."
                ),
                self.entries,
            ]
        )

    def refresh(self) -> None:
        cycle_id = self.chooser.cycle_id
        if cycle_id is None:
            self.entries.value = ""
            return
        cycle = store.get_cycle(self.scope, cycle_id)
        found = timeline(activity.entries(self.scope, limit=SHOWN), cycle.starts_on, cycle.ends_on)
        lines = []
        for entry in found:
            text = html.escape(entry.summary)
            if entry.notebook:
                href = html.escape(self.link(entry.notebook), quote=True)
                text = f'<a href="{href}">{text}</a>'
            lines.append(
                f"<li><small>{entry.at.astimezone():%d %b %Y %H:%M}</small> {text}"
                f" — {html.escape(entry.who or 'coach')}</li>"
            )
        self.entries.value = (
            f"<ol class='collab-timeline-list'>{''.join(lines)}</ol>"
            if lines
            else "<p class='collab-note'>Nothing recorded in this cycle's dates yet.</p>"
        )
