"""Goals: the cycle of inquiry and its four critical questions, the SMART-goal builder,
progress towards each goal, the cycle's timeline and the wall of wins."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.layout import LazyPanel, lazy_tab
from collab_widgets.goals.ui.goal_builder import GoalBuilder
from collab_widgets.goals.ui.goal_progress import ProgressPanel
from collab_widgets.goals.ui.goals_cycle import CycleChooser, CyclePanel
from collab_widgets.goals.ui.timeline_view import TimelinePanel
from collab_widgets.goals.ui.wins import WinsPanel
from collab_widgets.reports.app import WorkbookApp

TABS = ("Four questions", "SMART goal", "Progress", "Timeline", "Wins")


class GoalsApp(WorkbookApp):
    NAME = "Goals"
    NOTEBOOK = "03_goal_setting.ipynb"

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        self.cycles = CycleChooser(scope, self.status, self._cycle_changed)
        self.cycle = CyclePanel(scope, self.status, self.indicator, self.cycles)
        # the other tabs are built when first opened (the SMART goal alone is half the page)
        self.lazy = {
            "builder": LazyPanel(
                lambda: GoalBuilder(scope, self.status, self.indicator, self.cycles)
            ),
            "progress": LazyPanel(lambda: ProgressPanel(scope, self.status, self.cycles)),
            "timeline": LazyPanel(lambda: TimelinePanel(scope, self.cycles, self.link)),
            "wins": LazyPanel(lambda: WinsPanel(scope, self.status)),
        }
        tabs = self.tabbed(TABS, [self.cycle, *self.lazy.values()])
        self.cycle.refresh()
        return [self.cycles, tabs]

    builder = lazy_tab("builder")
    progress = lazy_tab("progress")
    timeline = lazy_tab("timeline")
    wins = lazy_tab("wins")

    def _cycle_changed(self) -> None:
        self.tabs.children[self.tabs.selected_index].refresh()

    def _tab_opened(self, change) -> None:
        # the list of cycles above the tabs is read again too, as the tab is: a cycle a
        # teammate planned, renamed or moved to the trash shows without a reload (the one
        # chosen stays chosen while it is there)
        self.cycles.refresh()
        super()._tab_opened(change)
