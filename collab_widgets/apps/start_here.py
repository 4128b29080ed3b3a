"""Start here: join or create a team, roster and roles, links, norms, next meeting, the
wall of wins."""

from __future__ import annotations

import ipywidgets as widgets

from ..store import TeamScope
from ..ui.history import HistoryPanel
from ..ui.meeting import MeetingPanel
from ..ui.norms import NormsPanel
from ..ui.page import WorkbookPage
from ..ui.roster import RosterPanel
from ..ui.wins import WinsPanel

TABS = ("Team and roles", "Norms", "Next meeting", "Wins", "Trash and history")


class StartHereApp(WorkbookPage):
    NAME = "Start here"
    NOTEBOOK = "00_start_here.ipynb"

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        panels = [
            RosterPanel(scope, self.status, self.indicator, self.own_link_changed),
            NormsPanel(scope, self.status, self.indicator),
            MeetingPanel(scope, self.status, self.indicator),
            WinsPanel(scope, self.status),
            HistoryPanel(scope, self.status),
        ]
        return [self.tabbed(TABS, panels)]
