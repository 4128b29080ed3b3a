"""Reflection and actions: What? So what? Now what?, pulse surveys, the decision log, the
action plan and the meeting record, for the meeting chosen at the top."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.actions.ui import ActionsPanel, DecisionsPanel
from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.layout import LazyPanel, built_tab, lazy_tab
from collab_widgets.instruments.ui import SurveyPanel
from collab_widgets.meetings.ui.meeting_choice import MeetingChooser
from collab_widgets.reflection.ui import ReflectionPanel
from collab_widgets.reports.app import WorkbookApp
from collab_widgets.reports.ui.record_panel import RecordPanel

TABS = ("Reflection", "Pulse survey", "Decisions", "Actions", "Meeting record")


class ReflectionApp(WorkbookApp):
    NAME = "Reflection and actions"
    NOTEBOOK = "05_reflection_and_actions.ipynb"
    lazy: dict[str, LazyPanel] = {}  # (none before a team opens)

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        self.meeting = MeetingChooser(scope, self.status, self._meeting_changed)
        self.reflection = ReflectionPanel(scope, self.status, self.indicator, self._chosen_meeting)
        status, indicator, chosen = self.status, self.indicator, self._chosen_meeting
        # the other tabs are built when first opened
        self.lazy = {
            "survey": LazyPanel(lambda: SurveyPanel(scope, status, chosen)),
            "decisions": LazyPanel(lambda: DecisionsPanel(scope, status, indicator, chosen)),
            "actions": LazyPanel(lambda: ActionsPanel(scope, status, indicator, chosen)),
            "record": LazyPanel(lambda: RecordPanel(scope, status, chosen)),
        }
        tabs = self.tabbed(TABS, [self.reflection, *self.lazy.values()])
        self.reflection.refresh()
        return [self.meeting, tabs]

    survey = lazy_tab("survey")
    decisions = lazy_tab("decisions")
    actions = lazy_tab("actions")
    record = lazy_tab("record")

    def _chosen_meeting(self) -> int | None:
        return self.meeting.meeting_id

    def _meeting_changed(self) -> None:
        self.tabs.children[self.tabs.selected_index].refresh()

    def leave_team(self) -> None:
        if survey := built_tab(self, "survey"):
            survey.close_live()
        self.lazy = {}
