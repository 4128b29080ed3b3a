"""Start here: join or create a team, roster and roles, links, norms, next meeting, the
wall of wins."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.layout import LazyPanel
from collab_widgets.goals.ui.wins import WinsPanel
from collab_widgets.history.ui import HistoryPanel
from collab_widgets.meetings.ui.meeting import MeetingPanel
from collab_widgets.reports.app import WorkbookApp
from collab_widgets.team.ui.norms_panel import NormsPanel
from collab_widgets.team.ui.roster import RosterPanel

TABS = ("Team and roles", "Norms", "Next meeting", "Wins", "Trash and history")


class StartHereApp(WorkbookApp):
    NAME = "Start here"
    NOTEBOOK = "00_start_here.ipynb"

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        status, indicator = self.status, self.indicator
        panels = [  # the tabs after the first are built when first opened
            RosterPanel(scope, status, indicator, self.own_link_changed),
            LazyPanel(lambda: NormsPanel(scope, status, indicator)),
            LazyPanel(lambda: MeetingPanel(scope, status, indicator)),
            LazyPanel(lambda: WinsPanel(scope, status)),
            LazyPanel(lambda: HistoryPanel(scope, status)),
        ]
        return [self.tabbed(TABS, panels)]
