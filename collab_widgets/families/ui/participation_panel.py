"""The Participation tab: the team's view of every class's families in numbers (what a
teammate, a coach or a visitor holding the team link sees, and the teacher too): families,
links given, who came to each class meeting, goals set and reached, conferences booked,
workshop attendance, and how the year's activities cover the six types of involvement.
No family is ever named here."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import CollabError
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.core.ui.layout import heading, html_table, note, note_html, text_block
from collab_widgets.families import library
from collab_widgets.families.model import Participation
from collab_widgets.families.store import class_meetings
from collab_widgets.families.ui import family_words as words
from collab_widgets.families.ui.state import FamilyState


def participation_rows(found: list[Participation]) -> list[list[str]]:
    return [
        [
            p.class_name,
            str(p.families),
            f"{p.with_link} ({words.rate(p.with_link, p.families)})",
            words.attendance_words(p),
            str(p.goals),
            str(p.goals_reached),
            str(p.conferences_booked),
            str(p.workshop_attendance),
        ]
        for p in found
    ]


def coverage_rows(found: list[Participation], names: dict[str, str]) -> list[list[str]]:
    """Each type of involvement (in Epstein's order): how many activities of each class
    served it, and all classes together."""
    rows = []
    for kind in library.INVOLVEMENT_IDS:
        counts = [p.involvement.get(kind, 0) for p in found]
        rows.append([names.get(kind, kind), *(str(n) for n in counts), str(sum(counts))])
    return rows


class ParticipationPanel(widgets.VBox):
    """``refresh()`` reads every class of the team."""

    def __init__(
        self,
        scope: TeamScope,
        state: FamilyState,
        status: StatusLine,
        indicator: SavedIndicator,
    ):
        self.scope, self.state, self.status = scope, state, status
        try:
            self.names = {t.id: t.name for t in library.load_involvement()}
        except CollabError as exc:
            status.error(str(exc))
            self.names = {}
        self.table = text_block()
        self.table.add_class("collab-family-participation")
        self.coverage = text_block()
        self.coverage.add_class("collab-family-involvement")
        super().__init__(
            [
                heading("Participation"),
                note(
                    "Every class's families in numbers, for the whole team: no family is "
                    "named. Attendance is per class family meeting, oldest first."
                ),
                self.table,
                heading("The six types of involvement", 4),
                note(
                    "How many of each class's meetings, workshops and conferences served "
                    "each type (a meeting may serve several)."
                ),
                self.coverage,
            ]
        )
        self.add_class("collab-family-participation-tab")

    def refresh(self) -> None:
        found = class_meetings.team_participation(self.scope)
        if not found:
            self.table.value = note_html("The team has no class yet.")
            self.coverage.value = ""
            return
        self.table.value = html_table(
            [
                "Class",
                "Families",
                "With a link",
                "Present at each meeting",
                "Goals set",
                "Goals reached",
                "Conferences booked",
                "Families at workshops",
            ],
            participation_rows(found),
            "collab-table collab-family-participation-table",
        )
        self.coverage.value = html_table(
            ["Type of involvement", *(p.class_name for p in found), "All classes"],
            coverage_rows(found, self.names),
            "collab-table collab-family-involvement-table",
        )
