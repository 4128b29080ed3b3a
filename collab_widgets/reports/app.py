"""The base of every workbook's app: the page frame (team's :class:`WorkbookPage`) with
the coach's dashboard on its coach page. The coach page is a team screen and the
dashboard a reports one; an app is where two domains' screens meet."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.db import CoachScope
from collab_widgets.team.ui.page import WorkbookPage


class WorkbookApp(WorkbookPage):
    def coach_dashboard(self, coach: CoachScope) -> widgets.Widget:
        # imported only when a coach page opens: the dashboard's figures need pandas,
        # which a team's light pages skip
        from collab_widgets.reports.ui.coach_dashboard import DashboardPanel

        return DashboardPanel(coach, self.status)
