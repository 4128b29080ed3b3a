"""In the classroom: planning lessons together, lesson study, observing a lesson (on a
phone or a laptop), its debrief on the live board, and peer observation."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.actions.ui import ActionsPanel
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.ui.co_plan import CoPlanPanel
from collab_widgets.classroom.ui.lesson_study import LessonStudyPanel
from collab_widgets.classroom.ui.observe import ObservationPanel
from collab_widgets.classroom.ui.peer import PeerPanel
from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.layout import LazyPanel, built_tab, lazy_tab, note
from collab_widgets.live.ui import BoardView
from collab_widgets.protocols.library import load_library
from collab_widgets.protocols.ui.run_view import LivePanel
from collab_widgets.reports.app import WorkbookApp

TABS = ("Plan together", "Lesson study", "Observe", "Debrief", "Peer observation")
DEBRIEF_TAB = TABS.index("Debrief")


class DebriefTab(widgets.VBox):
    """The lesson study's debrief on the live board, and the actions that come out of it
    (they belong to the debrief's meeting, so the meeting record and the action plan list
    them)."""

    def __init__(self, scope: TeamScope, status, indicator):
        self.live = LivePanel(scope, status, indicator, load_library(), BoardView)
        self.actions = ActionsPanel(
            scope, status, indicator, lambda: classroom.debrief_meeting(scope)
        )
        super().__init__(
            [
                note(
                    "Start the debrief from the Lesson study tab once the lesson is over: the "
                    "observers' notes are then on its boards, grouped by case student and by "
                    "part of the lesson."
                ),
                self.live,
                self.actions,
            ]
        )

    def refresh(self) -> None:
        self.live.refresh()
        self.actions.refresh()

    def close_live(self) -> None:
        self.live.close_live()


class ClassroomApp(WorkbookApp):
    NAME = "In the classroom"
    NOTEBOOK = "06_in_the_classroom.ipynb"
    lazy: dict[str, LazyPanel] = {}

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        status, indicator = self.status, self.indicator
        self.plans = CoPlanPanel(scope, status, indicator)
        # the other tabs are built when first opened
        self.lazy = {
            "study": LazyPanel(
                lambda: LessonStudyPanel(scope, status, indicator, self._show_debrief)
            ),
            "observe": LazyPanel(lambda: ObservationPanel(scope, status, indicator)),
            "debrief": LazyPanel(lambda: DebriefTab(scope, status, indicator)),
            "peer": LazyPanel(lambda: PeerPanel(scope, status, indicator)),
        }
        tabs = self.tabbed(TABS, [self.plans, *self.lazy.values()])
        self.plans.refresh()
        return [tabs]

    study = lazy_tab("study")
    observe = lazy_tab("observe")
    debrief = lazy_tab("debrief")
    peer = lazy_tab("peer")

    def _show_debrief(self) -> None:
        self.tabs.selected_index = DEBRIEF_TAB

    def leave_team(self) -> None:
        live = [self.plans] if getattr(self, "plans", None) is not None else []
        live += [built_tab(self, name) for name in ("observe", "debrief", "peer")]
        for panel in live:
            if panel is not None:
                panel.close_live()
        self.plans = None
        self.lazy = {}
