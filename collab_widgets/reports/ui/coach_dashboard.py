"""The coach's dashboard: every team the coach follows on one table, sorted and filtered
as the coach chooses, with an export for a principal (a printable page and a spreadsheet).
The figures come from :mod:`collab_widgets.reports.dashboard`; nothing private is among them."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.db import CoachScope
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import (
    download_link,
    heading,
    html_table,
    note,
    side_by_side,
    text_block,
)
from collab_widgets.goals.model import CYCLE_STAGES
from collab_widgets.reports import dashboard

ANY = ("(any)", "")


class DashboardPanel(widgets.VBox):
    def __init__(self, coach: CoachScope, status: StatusLine):
        self.coach = coach
        self.found: list[dashboard.TeamRow] = []
        self.sort = widgets.Dropdown(description="Sort by", options=list(dashboard.SORTS))
        self.stage = widgets.Dropdown(
            description="Stage", options=[ANY, *[(s, s) for s in (*CYCLE_STAGES, "no cycle")]]
        )
        self.state = widgets.Dropdown(
            # in the order sorting by goal status shows them: the most urgent first
            description="Goal",
            options=[ANY, *[(s, s) for s in dashboard.STATUS_ORDER]],
        )
        self.overdue = widgets.Checkbox(description="Only teams with overdue actions", indent=False)
        for control in (self.sort, self.stage, self.state, self.overdue):
            control.observe(guarded(status)(lambda _c: self._show()), "value")
        self.table = text_block()
        self.table.add_class("collab-dashboard")
        self.exports = text_block()
        self.exports.add_class("collab-dashboard-exports")
        super().__init__(
            [
                heading("Your teams at a glance"),
                note(
                    "Figures only: no private reflection, no single survey answer, no student "
                    "name. A pulse round under its minimum of answers shows as “hidden”."
                ),
                side_by_side([self.sort, self.stage, self.state]),
                self.overdue,
                self.table,
                self.exports,
            ]
        )

    def refresh(self) -> None:
        self.found = dashboard.rows(self.coach)
        made = self.coach.store.now()
        self.exports.value = (
            download_link(
                "The dashboard for a principal (page)",
                "teams-at-a-glance.html",
                "text/html",
                dashboard.dashboard_html(self.found, self.coach.name, made).encode("utf-8"),
                "collab-dashboard-html",
            )
            + " · "
            + download_link(
                "Spreadsheet (CSV)",
                "teams-at-a-glance.csv",
                "text/csv",
                dashboard.dashboard_csv(self.found).encode("utf-8-sig"),
                "collab-dashboard-csv",
            )
            if self.found
            else ""
        )
        self._show()

    def _show(self) -> None:
        shown = dashboard.sort_rows(
            dashboard.filter_rows(
                self.found, self.stage.value, self.state.value, self.overdue.value
            ),
            self.sort.value,
        )
        self.table.value = (
            html_table(
                list(dashboard.COLUMNS), [[str(c) for c in dashboard.cells(r)] for r in shown]
            )
            if shown
            else "<p class='collab-note'>No team matches.</p>"
        )
