"""The "Progress" tab: a goal's chart from baseline through its checkpoints to the target,
its status by the rule (:mod:`collab_widgets.goals.progress`), and checkpoints added from
an assessment or typed."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.core import charts
from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.ui.chart_view import ChartView
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    form_button,
    heading,
    html_table,
    note,
    refill,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.evidence import store as evidence_store
from collab_widgets.goals import progress, smart, store, team_goal
from collab_widgets.goals.ui.goal_builder import goal_label
from collab_widgets.goals.ui.goals_cycle import CycleChooser


class ProgressPanel(widgets.VBox):
    def __init__(self, scope: TeamScope, status: StatusLine, chooser: CycleChooser):
        self.scope = scope
        self.status = status
        self.chooser = chooser
        self.filling = False
        self.goal = widgets.Dropdown(description="Goal", layout=widgets.Layout(width="100%"))
        self.goal.add_class("collab-progress-goal")
        self.goal.observe(guarded(status)(lambda _c: self._show()), "value")
        self.state = text_block()
        self.state.add_class("collab-goal-status")
        self.chart = ChartView()
        self.chart.add_class("collab-progress-chart")
        self.table = text_block()
        self.source = widgets.Dropdown(description="From")
        from_assessment = button(
            "Add from this assessment", "Measure the goal's group on it", name="checkpoint-from"
        )
        from_assessment.on_click(guarded(status)(lambda _b: self._from_assessment()))
        self.when = widgets.Text(description="Date", placeholder="YYYY-MM-DD")
        self.value = widgets.Text(description="Value", placeholder="e.g. 55")
        self.note = widgets.Text(description="Note", placeholder="e.g. exit ticket, week 3")
        typed = form_button(
            "Add this checkpoint",
            "A figure the team measured another way",
            [self.when, self.value, self.note],
            name="checkpoint-typed",
        )
        typed.on_click(guarded(status)(lambda _b: self._typed()))
        self.empty = note("Save a version of a goal (SMART goal tab) to follow its progress.")
        self.body = stacked(
            [
                self.goal,
                self.state,
                self.chart,
                heading("Checkpoints", 4),
                self.table,
                side_by_side([self.source, from_assessment]),
                side_by_side([self.when, self.value, self.note, typed]),
            ]
        )
        super().__init__([heading("Progress"), self.empty, self.body])
        self.add_class("collab-progress")

    def refresh(self) -> None:
        cycle_id = self.chooser.cycle_id
        goals = [] if cycle_id is None else store.goals(self.scope, cycle_id)
        saved_goals = [(n, g) for n, g in enumerate(goals, start=1) if g.versions]
        set_shown(self.empty, not saved_goals)
        set_shown(self.body, saved_goals)
        self.filling = True
        try:
            refill(
                self.goal,
                [
                    (goal_label(n, len(g.versions), g.latest.statement), g.id)
                    for n, g in saved_goals
                ],
            )
            refill(self.source, [(a.name, a.id) for a in evidence_store.assessments(self.scope)])
        finally:
            self.filling = False
        self._show()

    def _show(self, current: team_goal.GoalState | None = None) -> None:
        if self.filling or self.goal.value is None:
            return
        current = current or team_goal.refresh(self.scope, self.goal.value)
        goal, line = current.goal, current.line
        unit = "%" if smart.is_percent(goal.latest.draft.measure) else ""
        today = team_goal.today(self.scope)
        self.state.value = (
            f"<p class='collab-status collab-status-{current.status.replace(' ', '-')}'>"
            f"{html.escape(progress.explain(line, goal.checkpoints, today, unit))}</p>"
        )
        points = [(c.taken_on, c.value) for c in goal.checkpoints]
        self.chart.show(
            None
            if line is None
            else charts.goal_progress(
                goal.latest.statement,
                line.starts,
                line.baseline,
                line.ends,
                line.target,
                points,
                unit,
                line.tolerance,
            ),
            empty="The chart appears once the goal has a baseline, a target and a date.",
        )
        rows = [[f"{c.taken_on:%d %b %Y}", f"{c.value:g}{unit}", c.note] for c in goal.checkpoints]
        self.table.value = (
            html_table(["Date", "Value", "Note"], rows)
            if rows
            else "<p class='collab-note'>No checkpoint yet.</p>"
        )

    def _from_assessment(self) -> None:
        if self.source.value is None:
            raise InvalidInput("Save an assessment in the Evidence workbook first.")
        goal = store.get_goal(self.scope, self.goal.value)
        self._added(team_goal.checkpoint_from(self.scope, goal, self.source.value))

    def _typed(self) -> None:
        current = team_goal.add_checkpoint(
            self.scope, self.goal.value, self.when.value, self.value.value, self.note.value
        )
        self.when.value = self.value.value = self.note.value = ""
        self._added(current)

    def _added(self, current: team_goal.GoalState) -> None:
        self._show(current)
        if current.status == progress.MET:
            self.status.ok("The goal is met — it is on the wall of wins. Well done!")
        else:
            self.status.ok("Checkpoint added.")
