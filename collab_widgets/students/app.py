"""Students together: a teacher's classes, balanced groups from the team's evidence, peer
tutoring pairs, the students' teamwork check from their own devices, and whether the
groups went along with growth. Every tab shows the class chosen on the first one (one
:class:`~collab_widgets.students.ui.state.ClassState` for the page)."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.layout import LazyPanel, built_tab, lazy_tab
from collab_widgets.reports.app import WorkbookApp
from collab_widgets.students.ui.class_panel import ClassPanel
from collab_widgets.students.ui.evaluation_panel import EvaluationPanel
from collab_widgets.students.ui.groups_panel import GroupsPanel
from collab_widgets.students.ui.growth_panel import GrowthPanel
from collab_widgets.students.ui.state import ClassState
from collab_widgets.students.ui.tutoring_panel import TutoringPanel

TABS = ("Class", "Groups", "Peer tutoring", "Teamwork check", "Growth by grouping")


class StudentsApp(WorkbookApp):
    NAME = "Students together"
    NOTEBOOK = "08_students.ipynb"
    lazy: dict[str, LazyPanel] = {}

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        status, indicator = self.status, self.indicator
        self.state = state = ClassState(scope)
        self.classes = ClassPanel(scope, state, status, indicator)
        # the other tabs are built when first opened; they follow the class chosen here
        self.lazy = {
            "groups": LazyPanel(lambda: GroupsPanel(scope, state, status, indicator)),
            "tutoring": LazyPanel(lambda: TutoringPanel(scope, state, status, indicator)),
            "evaluation": LazyPanel(lambda: EvaluationPanel(scope, state, status, indicator)),
            "growth": LazyPanel(lambda: GrowthPanel(scope, state, status, indicator)),
        }
        tabs = self.tabbed(TABS, [self.classes, *self.lazy.values()])
        self.classes.refresh()
        return [tabs]

    groups = lazy_tab("groups")
    tutoring = lazy_tab("tutoring")
    evaluation = lazy_tab("evaluation")
    growth = lazy_tab("growth")

    def leave_team(self) -> None:
        live = [self.classes] if getattr(self, "classes", None) is not None else []
        live += [built_tab(self, name) for name in self.lazy]
        for panel in live:
            if panel is not None and hasattr(panel, "close_live"):
                panel.close_live()
        state = getattr(self, "state", None)
        if state is not None:
            state.unobserve_all()  # a late change reaches no panel of the view gone
        self.classes = None
        self.lazy = {}
