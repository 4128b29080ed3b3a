"""Today's meeting: one page the facilitator projects and members open on their own
devices, walking the agenda in order — norms and agenda, wins, goal check, evidence and
protocol, reflection, decisions and actions, the record. Each step is the same component
the other workbooks show, in one kernel for the whole meeting."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.actions.ui import ActionsPanel, DecisionsPanel
from collab_widgets.core import charts
from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.closing import close_tree
from collab_widgets.core.ui.feedback import guarded
from collab_widgets.core.ui.layout import button, side_by_side, stacked
from collab_widgets.goals.ui.goal_progress import ProgressPanel
from collab_widgets.goals.ui.goals_cycle import CycleChooser
from collab_widgets.goals.ui.wins import WinsPanel
from collab_widgets.instruments.ui import SurveyPanel
from collab_widgets.live.ui import BoardView
from collab_widgets.meetings.ui.agenda_view import AgendaView
from collab_widgets.meetings.ui.meeting_choice import MeetingChooser
from collab_widgets.protocols.library import load_library
from collab_widgets.protocols.ui.run_view import LivePanel
from collab_widgets.reflection.ui import ReflectionPanel
from collab_widgets.reports.app import WorkbookApp
from collab_widgets.reports.ui.record_panel import RecordPanel

STEPS = (
    "Norms and agenda",
    "Wins",
    "Goal check",
    "Evidence and protocol",
    "Reflection",
    "Decisions and actions",
    "Record",
)


class TodaysMeetingApp(WorkbookApp):
    NAME = "Today's meeting"
    NOTEBOOK = "04_todays_meeting.ipynb"
    live: LivePanel | None = None
    survey: SurveyPanel | None = None
    built_steps: dict[int, list[widgets.Widget]] = {}  # (none before a team opens)

    def preheat(self) -> None:
        charts.warm_up()  # the first view draws a chart

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        status, indicator = self.status, self.indicator
        self.meeting = MeetingChooser(scope, status, self._meeting_changed)
        self.agenda = AgendaView(scope, status, indicator)  # the editor opens from it
        # Each step is built the first time it is shown, and kept: a page that opens on the
        # first step sends the browser that step's widgets only (the seven together were
        # five hundred, most of the page's time to open).
        self.step_builders = [
            lambda: [self.agenda],
            lambda: [WinsPanel(scope, status)],
            lambda: self._goal_step(scope),
            lambda: [self._live_panel(scope)],
            lambda: self._reflection_step(scope),
            lambda: self._decisions_step(scope),
            lambda: [self._record_panel(scope)],
        ]
        self.built_steps = {}
        self.step = widgets.ToggleButtons(
            options=[(f"{n}. {title}", n - 1) for n, title in enumerate(STEPS, start=1)],
            value=None,
            style={"button_width": "auto"},
        )
        self.step.add_class("collab-steps")
        self.step.observe(guarded(status)(lambda _c: self._show()), "value")
        self.back = button("← Back", "The step before", name="step-back")
        self.next = button("Next →", "The next step on the agenda", "primary", name="step-next")
        self.back.on_click(guarded(status)(lambda _b: self._move(-1)))
        self.next.on_click(guarded(status)(lambda _b: self._move(1)))
        self.shown_step = stacked()  # (the page's own body holds all of this)
        self.shown_step.add_class("collab-step-body")
        self.step.value = 0
        return [self.meeting, self.step, self.shown_step, side_by_side([self.back, self.next])]

    def _move(self, by: int) -> None:
        self.step.value = min(len(STEPS) - 1, max(0, self.step.value + by))

    def _goal_step(self, scope: TeamScope) -> list[widgets.Widget]:
        self.cycles = CycleChooser(scope, self.status, lambda: self.goal.refresh())
        self.goal = ProgressPanel(scope, self.status, self.cycles)
        return [self.cycles, self.goal]

    def _live_panel(self, scope: TeamScope) -> LivePanel:
        self.live = LivePanel(scope, self.status, self.indicator, load_library(), BoardView)
        return self.live

    def _reflection_step(self, scope: TeamScope) -> list[widgets.Widget]:
        self.survey = SurveyPanel(scope, self.status, self._chosen_meeting)
        self.reflection = ReflectionPanel(scope, self.status, self.indicator, self._chosen_meeting)
        return [self.reflection, self.survey]

    def _decisions_step(self, scope: TeamScope) -> list[widgets.Widget]:
        self.decisions = DecisionsPanel(scope, self.status, self.indicator, self._chosen_meeting)
        self.actions = ActionsPanel(scope, self.status, self.indicator, self._chosen_meeting)
        return [self.decisions, self.actions]

    def _record_panel(self, scope: TeamScope) -> RecordPanel:
        self.record = RecordPanel(scope, self.status, self._chosen_meeting)
        return self.record

    def _show(self) -> None:
        index = self.step.value
        if index is None:
            return
        if index not in self.built_steps:
            self.built_steps[index] = self.step_builders[index]()
        panels = self.built_steps[index]
        self.agenda.meeting_id = self.meeting.meeting_id  # the agenda of the meeting chosen
        for panel in panels:
            panel.refresh()
        self.shown_step.children = panels  # kept, not closed: each step is shown again later
        self.back.disabled = index == 0
        self.next.disabled = index == len(STEPS) - 1

    def _chosen_meeting(self) -> int | None:
        return self.meeting.meeting_id

    def _meeting_changed(self) -> None:
        self._show()

    def leave_team(self) -> None:
        for live in (self.live, self.survey):
            if live is not None:
                live.close_live()
        self.live = self.survey = None
        if self.built_steps:  # the steps not shown are in no tree the page closes
            built = [panel for panels in self.built_steps.values() for panel in panels]
            close_tree(*built, still_shown=[self.widget], kept_aside=True)
            self.built_steps = {}
