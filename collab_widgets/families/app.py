"""Families: a class's families and the people with a link to their own page, class family
meetings around the class's results on one skill (each family sees its own child, sets a
60-day goal at home), conferences, workshops and anonymous feedback, and the team's view
of participation. Every tab shows the class chosen on the first one (one
:class:`~collab_widgets.families.ui.state.FamilyState` for the page)."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.layout import LazyPanel, built_tab, lazy_tab
from collab_widgets.families.ui.conferences_panel import ConferencesPanel
from collab_widgets.families.ui.families_panel import FamiliesPanel
from collab_widgets.families.ui.meetings_panel import MeetingsPanel
from collab_widgets.families.ui.participation_panel import ParticipationPanel
from collab_widgets.families.ui.state import FamilyState
from collab_widgets.families.ui.workshops_panel import WorkshopsPanel
from collab_widgets.reports.app import WorkbookApp

TABS = ("Families", "Meetings", "Conferences", "Workshops & feedback", "Participation")


class FamiliesApp(WorkbookApp):
    NAME = "Families"
    NOTEBOOK = "09_families.ipynb"
    lazy: dict[str, LazyPanel] = {}

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        status, indicator = self.status, self.indicator
        self.state = state = FamilyState(scope)
        self.families = FamiliesPanel(scope, state, status, indicator)
        # the other tabs are built when first opened; they follow the class chosen here
        self.lazy = {
            "meetings": LazyPanel(lambda: MeetingsPanel(scope, state, status, indicator)),
            "conferences": LazyPanel(lambda: ConferencesPanel(scope, state, status, indicator)),
            "workshops": LazyPanel(lambda: WorkshopsPanel(scope, state, status, indicator)),
            "participation": LazyPanel(lambda: ParticipationPanel(scope, state, status, indicator)),
        }
        tabs = self.tabbed(TABS, [self.families, *self.lazy.values()])
        self.families.refresh()
        return [tabs]

    meetings = lazy_tab("meetings")
    conferences = lazy_tab("conferences")
    workshops = lazy_tab("workshops")
    participation = lazy_tab("participation")

    def leave_team(self) -> None:
        for name in self.lazy:
            panel = built_tab(self, name)
            if panel is not None and hasattr(panel, "close_live"):
                panel.close_live()
        state = getattr(self, "state", None)
        if state is not None:
            state.unobserve_all()  # a late change reaches no panel of the view gone
        self.families = None
        self.lazy = {}
