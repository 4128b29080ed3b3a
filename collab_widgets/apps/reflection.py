"""Reflection and actions: What? So what? Now what?, pulse surveys, the decision log, the
action plan and the meeting record, for the meeting chosen at the top."""

from __future__ import annotations

import ipywidgets as widgets

from ..store import TeamScope
from ..ui.decisions_actions import ActionsPanel, DecisionsPanel
from ..ui.meeting_choice import MeetingChooser
from ..ui.page import WorkbookPage
from ..ui.record_panel import RecordPanel
from ..ui.reflection import ReflectionPanel
from ..ui.surveys import SurveyPanel

TABS = ("Reflection", "Pulse survey", "Decisions", "Actions", "Meeting record")


class ReflectionApp(WorkbookPage):
    NAME = "Reflection and actions"
    NOTEBOOK = "05_reflection_and_actions.ipynb"
    survey: SurveyPanel | None = None

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        self.meeting = MeetingChooser(scope, self.status, self._meeting_changed)
        self.reflection = ReflectionPanel(scope, self.status, self.indicator, self.meeting)
        self.survey = SurveyPanel(scope, self.status, self.meeting)
        self.decisions = DecisionsPanel(scope, self.status, self.indicator, self.meeting)
        self.actions = ActionsPanel(scope, self.status, self.indicator, self.meeting)
        self.record = RecordPanel(scope, self.status, self.meeting)
        panels = [self.reflection, self.survey, self.decisions, self.actions, self.record]
        tabs = self.tabbed(TABS, panels)
        self.reflection.refresh()
        return [self.meeting, tabs]

    def _meeting_changed(self) -> None:
        self.tabs.children[self.tabs.selected_index].refresh()

    def leave_team(self) -> None:
        if self.survey is not None:
            self.survey.close_live()
            self.survey = None
