"""Protocols: the library, the running protocol with its live board, and earlier runs."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.live.ui import BoardView
from collab_widgets.protocols.library import load_library
from collab_widgets.protocols.ui.past_runs import PastRunsPanel
from collab_widgets.protocols.ui.protocol_library import LibraryPanel
from collab_widgets.protocols.ui.run_view import LivePanel
from collab_widgets.reports.app import WorkbookApp

TABS = ("Protocol", "Library", "Earlier runs")


class ProtocolsApp(WorkbookApp):
    NAME = "Protocols"
    NOTEBOOK = "01_protocols.ipynb"
    live: LivePanel | None = None

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        library = load_library()
        self.live = LivePanel(scope, self.status, self.indicator, library, BoardView)
        return [self.tabbed(TABS, [self.live, LibraryPanel(library), PastRunsPanel(scope)])]

    def leave_team(self) -> None:
        if self.live is not None:
            self.live.close_live()
            self.live = None
