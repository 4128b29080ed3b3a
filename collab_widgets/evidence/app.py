"""Evidence: add an assessment's scores, look at the results, talk about them with a
Data-Driven Dialogue, and set the team's bands, cut points and privacy minimum."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core import charts
from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.layout import LazyPanel, built_tab, lazy_tab
from collab_widgets.evidence.ui.dialogue import DialoguePanel, dialogue_library
from collab_widgets.evidence.ui.results import ResultsPanel
from collab_widgets.evidence.ui.settings import SettingsPanel
from collab_widgets.evidence.ui.upload import UploadPanel
from collab_widgets.live.ui import BoardView
from collab_widgets.protocols.ui.run_view import LivePanel
from collab_widgets.reports.app import WorkbookApp

TABS = ("Results", "Add scores", "Dialogue", "Settings")


class EvidenceApp(WorkbookApp):
    NAME = "Evidence"
    NOTEBOOK = "02_evidence_analysis.ipynb"
    lazy: dict[str, LazyPanel] = {}  # (none before a team opens)

    def preheat(self) -> None:
        charts.warm_up()  # the first view draws a chart

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        # A change made in one tab shows in the others at once, never only after a reload.
        status, indicator = self.status, self.indicator
        self.results = ResultsPanel(scope, status, indicator, self._renamed_or_trashed)
        # the other tabs are built when first opened
        self.lazy = {
            "upload": LazyPanel(lambda: UploadPanel(scope, status, self._saved)),
            "dialogue": LazyPanel(
                lambda: DialoguePanel(
                    scope,
                    status,
                    lambda follow: LivePanel(
                        scope, status, indicator, dialogue_library(), BoardView, follow
                    ),
                )
            ),
            "settings": LazyPanel(
                lambda: SettingsPanel(scope, status, indicator, self._settings_changed)
            ),
        }
        return [self.tabbed(TABS, [self.results, *self.lazy.values()])]

    upload = lazy_tab("upload")
    dialogue = lazy_tab("dialogue")
    settings = lazy_tab("settings")

    def _saved(self, assessment_id: int) -> None:
        self.results.refresh(select=assessment_id)
        if dialogue := built_tab(self, "dialogue"):
            dialogue.refresh()
        self.tabs.selected_index = 0

    def _renamed_or_trashed(self) -> None:
        if dialogue := built_tab(self, "dialogue"):
            dialogue.refresh()

    def _settings_changed(self) -> None:
        self.results.refresh()
        if dialogue := built_tab(self, "dialogue"):
            dialogue.settings_changed()

    def leave_team(self) -> None:
        if dialogue := built_tab(self, "dialogue"):
            dialogue.live.close_live()
        self.lazy = {}
