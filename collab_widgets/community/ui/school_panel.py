"""The School tab: the principal's and coordinator's view across the school in numbers —
partners active, agreements ending, service and placement hours, mentoring matches and
their health, students taking part (a count under the privacy minimum shows as "fewer
than 5"), the coverage of the six types of involvement, and the school's recent record.
No student is named here."""

from __future__ import annotations

from collab_widgets.community.model import SchoolView
from collab_widgets.community.store import plan, schools
from collab_widgets.community.ui import community_tab as tab
from collab_widgets.community.ui.community_tab import CoverageView, Panel
from collab_widgets.community.ui.state import CommunityState
from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.core.ui.layout import heading, html_table, note, note_html, text_block

RECENT = 12  # the record's latest entries shown


def _shown(count: int | None) -> str:
    """A part of a count hidden under the minimum: hidden with it."""
    return "–" if count is None else str(count)


def view_rows(view: SchoolView) -> list[list[str]]:
    return [
        [
            "Partners active (an agreement today, or work together this year)",
            str(view.partners_active),
        ],
        ["Agreements ending soon or just ended", str(view.agreements_lapsing)],
        ["Service-learning hours (students × hours)", tab.hours(view.service_hours)],
        ["Career placement hours", tab.hours(view.career_hours)],
        ["Mentoring matches open", tab.students(view.matches_active)],
        ["… going well", _shown(view.matches_healthy)],
        ["… flagged (a clearance lapsed, or no meeting for weeks)", _shown(view.matches_flagged)],
        ["Students mentored", tab.students(view.students_mentored)],
        ["Students in service projects", tab.students(view.students_in_service)],
        ["Students placed with a partner", tab.students(view.students_placed)],
    ]


class SchoolPanel(Panel):
    """``refresh()`` reads the school's view and its recent record."""

    def __init__(self, state: CommunityState, status: StatusLine):
        super().__init__(state, status)
        self.numbers = text_block()
        self.numbers.add_class("collab-community-school")
        self.coverage = CoverageView("Coverage of the six types of involvement")
        self.record = text_block()
        self.record.add_class("collab-community-record")
        self.lay_out(
            [
                heading("The school's partnerships"),
                note(
                    "The school in numbers: no student is named, and a count of fewer than "
                    "5 students is shown as “fewer than 5”."
                ),
                self.numbers,
                heading("The six types of involvement", 4),
                note(
                    "Activities of the current plan per type: planned, planned ones that "
                    "happened, and everything done this year from families, the community, "
                    "mentoring, service and careers."
                ),
                self.coverage,
                heading("Recent changes", 4),
                self.record,
            ],
            "collab-community-school-tab",
        )

    def refresh(self) -> None:
        view = plan.school_view(self.scope)
        self.numbers.value = html_table(
            ["", "Number"], view_rows(view), "collab-table collab-community-school-table"
        )
        self.coverage.show(view.coverage)
        entries = schools.entries(self.scope, RECENT)
        self.record.value = (
            html_table(
                ["When", "Who", "What"],
                [
                    [f"{at.astimezone():%d %b %Y %H:%M}", who or "—", summary]
                    for at, _kind, summary, who in entries
                ],
                "collab-table collab-community-record-table",
            )
            if entries
            else note_html("Nothing recorded yet.")
        )
