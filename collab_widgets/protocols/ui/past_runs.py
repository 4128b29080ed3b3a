"""Earlier protocol runs: each step's notes and what its board, vote or check came to."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.layout import heading, note, refill, set_shown, text_block
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.render import run_html


class PastRunsPanel(widgets.VBox):
    """Built empty; filled when its tab opens."""

    def __init__(self, scope: TeamScope):
        self.scope = scope
        self.choice = widgets.Dropdown(description="Run", layout=widgets.Layout(width="auto"))
        self.choice.observe(lambda _c: self._show(), "value")
        self.record = text_block()
        self.record.add_class("collab-run-record")
        self.empty = note("No protocol has finished yet.")
        super().__init__([heading("Earlier runs"), self.choice, self.record])

    def refresh(self) -> None:
        finished = runs.past_runs(self.scope)
        dates = {m.id: m.date for m in meetings.all_meetings(self.scope)}
        self.runs = {run.id: run for run in finished}
        options = [
            (f"{dates.get(r.meeting_id, r.state.started_at.date()):%d %b %Y} — {r.title}", r.id)
            for r in finished
        ]
        refill(self.choice, options)  # keep the run being read, else show the newest
        set_shown(self.choice, options)
        if not options:
            self.record.value = self.empty.value
        self._show()

    def _show(self) -> None:
        run = self.runs.get(self.choice.value) if self.choice.value else None
        if run is not None:
            self.record.value = run_html(self.scope, run)
