"""Protocols: the library, the running protocol with its live board, and earlier runs."""

from __future__ import annotations

import ipywidgets as widgets

from ..protocols.library import load_library
from ..store import TeamScope
from ..ui.page import WorkbookPage
from ..ui.past_runs import PastRunsPanel
from ..ui.protocol_library import LibraryPanel
from ..ui.run_view import LivePanel

TABS = ("Protocol", "Library", "Earlier runs")


class ProtocolsApp(WorkbookPage):
    NAME = "Protocols"
    NOTEBOOK = "01_protocols.ipynb"
    live: LivePanel | None = None

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        library = load_library()
        self.live = LivePanel(scope, self.status, self.indicator, library)
        return [self.tabbed(TABS, [self.live, LibraryPanel(library), PastRunsPanel(scope)])]

    def leave_team(self) -> None:
        if self.live is not None:
            self.live.close_live()
            self.live = None
