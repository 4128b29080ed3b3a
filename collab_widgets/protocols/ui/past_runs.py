"""Earlier protocol runs: each step's notes and what its board, vote or check came to."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.layout import heading, note, refill
from collab_widgets.live import store as live
from collab_widgets.live.ui import results_html
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.model import Run


def run_html(scope: TeamScope, run: Run) -> str:
    """The record of one run: roles, then each step with its notes and results."""
    roles = ", ".join(f"{role}: {html.escape(name)}" for role, name in run.role_names.items())
    parts = [f"<p><b>{html.escape(run.title)}</b> · {roles}</p>"]
    for step in run.steps:
        notes = html.escape(step.notes) if step.notes.strip() else ""
        parts.append(
            f"<h4>{step.position + 1}. {html.escape(step.title)} <small>({step.minutes} min)"
            "</small></h4>"
        )
        if notes:
            parts.append(f"<div class='collab-step-notes-shown'>{notes}</div>")
        if step.kind in ("board", "dot-vote", "fist-to-five", "rating"):
            parts.append(results_html(live.board(scope, step.prompt_id)))
    parts.append(f"<p><small>Source: {html.escape(run.source)}</small></p>")
    return "".join(parts)


class PastRunsPanel(widgets.VBox):
    """Built empty; filled when its tab opens."""

    def __init__(self, scope: TeamScope):
        self.scope = scope
        self.choice = widgets.Dropdown(description="Run", layout=widgets.Layout(width="auto"))
        self.choice.observe(lambda _c: self._show(), "value")
        self.record = widgets.HTML()
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
        self.choice.layout.display = None if options else "none"
        if not options:
            self.record.value = self.empty.value
        self._show()

    def _show(self) -> None:
        run = self.runs.get(self.choice.value) if self.choice.value else None
        if run is not None:
            self.record.value = run_html(self.scope, run)
