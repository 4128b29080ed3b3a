"""Reflection and actions: What? So what? Now what?, pulse surveys, the decision log, the
action plan and the meeting record, for the meeting chosen at the top."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.actions.ui import ActionsPanel, DecisionsPanel
from collab_widgets.core.db import TeamScope
from collab_widgets.instruments.ui import SurveyPanel
from collab_widgets.meetings.ui.meeting_choice import MeetingChooser
from collab_widgets.reflection.ui import ReflectionPanel
from collab_widgets.reports.app import WorkbookApp
from collab_widgets.reports.ui.record_panel import RecordPanel

TABS = ("Reflection", "Pulse survey", "Decisions", "Actions", "Meeting record")


class ReflectionApp(WorkbookApp):
    NAME = "Reflection and actions"
    NOTEBOOK = "05_reflection_and_actions.ipynb"
    survey: SurveyPanel | None = None

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        self.meeting = MeetingChooser(scope, self.status, self._meeting_changed)
        self.reflection = ReflectionPanel(scope, self.status, self.indicator, self._chosen_meeting)
        self.survey = SurveyPanel(scope, self.status, self._chosen_meeting)
        self.decisions = DecisionsPanel(scope, self.status, self.indicator, self._chosen_meeting)
        self.actions = ActionsPanel(scope, self.status, self.indicator, self._chosen_meeting)
        self.record = RecordPanel(scope, self.status, self._chosen_meeting)
        panels = [self.reflection, self.survey, self.decisions, self.actions, self.record]
        tabs = self.tabbed(TABS, panels)
        self.reflection.refresh()
        return [self.meeting, tabs]

    def _chosen_meeting(self) -> int | None:
        return self.meeting.meeting_id

    def _meeting_changed(self) -> None:
        self.tabs.children[self.tabs.selected_index].refresh()

    def leave_team(self) -> None:
        if self.survey is not None:
            self.survey.close_live()
            self.survey = None
