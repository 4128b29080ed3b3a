"""Did the groups help? The same students' mean percent on an assessment before and on a
later one, for each saved arrangement of the class (each grouping; tutors and tutees of
each set of tutoring pairs apart) beside the whole class. Counts and means only, never a
name; an arrangement of fewer students than the team's smallest group shown has no
figures. A coach reads it as the team does."""

from __future__ import annotations

import contextlib

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    heading,
    html_table,
    note,
    note_html,
    refill,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.evidence import store as evidence
from collab_widgets.students import evidence_links
from collab_widgets.students.evidence_links import GrowthRow
from collab_widgets.students.store import classes, groupings
from collab_widgets.students.ui.state import ClassState

COLUMNS = ["Arrangement", "Students matched", "Before", "Later", "Growth"]
WHOLE_CLASS = "The whole class (to compare with)"
ROLES = (("tutor", "tutors"), ("tutee", "tutees"))


def reading_note(min_n: int) -> str:
    return (
        "How to read it: growth is the change in the mean percent of the same students "
        "(those with a score on both assessments) from the first assessment to the later "
        "one. It shows what went along with an arrangement, not what it caused: students "
        "were not placed at random, the two assessments may differ in difficulty, and a "
        "lot of other teaching happened in between. Compare each row with the whole "
        f"class. An arrangement of fewer than {min_n} students is not shown (the team's "
        "smallest group), so that no student can be recognised."
    )


def suppressed(min_n: int) -> str:
    return f"fewer than {min_n} students: not shown"


def _percent(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f} points" if signed else f"{value:.1f}%"


class GrowthPanel(widgets.VBox):
    def __init__(
        self,
        scope: TeamScope,
        state: ClassState,
        status: StatusLine,
        indicator: SavedIndicator,
    ):
        self.scope, self.state, self.status, self.indicator = scope, state, status, indicator
        self.filling = False
        guard = guarded(status)
        self.before = widgets.Dropdown(
            description="Before",
            options=[],
            tooltip="An assessment from before the groups worked together",
            layout=widgets.Layout(width="auto"),
        )
        self.after = widgets.Dropdown(
            description="Later",
            options=[],
            tooltip="An assessment given later, after the groups worked together",
            layout=widgets.Layout(width="auto"),
        )
        compare = button(
            "Compare",
            "The mean percent of each arrangement's students on both assessments",
            "primary",
            "compare-growth",
        )
        compare.on_click(guard(lambda _b: self._compare()))
        self.too_few = note(
            "Save two assessments of these students in Evidence: one from before the groups "
            "or pairs, one from later."
        )
        self.choose = stacked(
            [side_by_side([self.before, self.after], flex_flow="row wrap"), compare]
        )
        self.table = text_block()
        self.table.add_class("collab-growth-table")
        self.reading = text_block()
        self.no_class = note("Choose a class first.")
        self.body = stacked([self.too_few, self.choose, self.table, self.reading])
        super().__init__(
            [
                heading("Did the groups help?"),
                note(
                    "How the students of each saved grouping and of each set of tutoring "
                    "pairs did on a later assessment, against an earlier one. Counts and "
                    "means only; no student is named."
                ),
                self.no_class,
                self.body,
            ]
        )
        self.add_class("collab-growth")
        redraw = guarded(status, flush=False)
        self.watching = [
            (redraw(lambda _c: self._class_changed()), "class_id"),
            (redraw(lambda _c: self.refresh()), "revision"),
        ]
        for handler, name in self.watching:
            state.observe(handler, name)

    def _class_changed(self) -> None:
        self.table.value = ""
        self.refresh()

    def refresh(self) -> None:
        class_id = self.state.class_id
        set_shown(self.no_class, class_id is None)
        set_shown(self.body, class_id is not None)
        if class_id is None:
            return
        found = evidence_links.assessments(self.scope)  # newest first
        self.filling = True
        try:
            second = found[1][1] if len(found) > 1 else None
            refill(self.before, found, keep=self.before.value or second)
            refill(self.after, found)
        finally:
            self.filling = False
        enough = len(found) >= 2
        set_shown(self.too_few, not enough)
        set_shown(self.choose, enough)
        self.reading.value = note_html(reading_note(evidence.settings(self.scope).min_n))

    # --- comparing --------------------------------------------------------------------------

    def arrangements(self, class_id: int) -> list[tuple[str, set[int]]]:
        """The whole class, then each saved grouping (newest first): its students, or for
        tutoring pairs its tutors and its tutees (a third in a triad is neither)."""
        roster = classes.roster(self.scope, class_id)
        found: list[tuple[str, set[int]]] = [(WHOLE_CLASS, {s.id for s in roster})]
        for info in groupings.groupings(self.scope, class_id):
            placed = groupings.grouping(self.scope, info.id).placements
            if info.kind == "tutoring":
                for role, words in ROLES:
                    found.append(
                        (
                            f"{info.name} (tutoring pairs): {words}",
                            {p.student_id for p in placed if p.role == role},
                        )
                    )
            else:
                found.append((f"{info.name} (groups)", {p.student_id for p in placed}))
        return found

    def _compare(self) -> None:
        class_id = self.state.class_id
        if class_id is None:
            self.status.error("Choose a class first.")
            return
        before, after = self.before.value, self.after.value
        if before is None or after is None:
            self.status.error("Choose an assessment from before and a later one.")
            return
        roster = classes.roster(self.scope, class_id)
        rows, min_n = evidence_links.growth_by_arrangement(
            self.scope, roster, self.arrangements(class_id), before, after
        )
        self.table.value = html_table(
            COLUMNS, [self._cells(row, min_n) for row in rows], "collab-table collab-growth"
        )
        self.reading.value = note_html(reading_note(min_n))
        self.status.clear()

    @staticmethod
    def _cells(row: GrowthRow, min_n: int) -> list[str]:
        if row.before is None:
            return [row.arrangement, suppressed(min_n), "—", "—", "—"]
        return [
            row.arrangement,
            str(row.students),
            _percent(row.before),
            _percent(row.after),
            _percent(row.growth, signed=True),
        ]

    def close(self) -> None:
        for handler, name in getattr(self, "watching", []):
            with contextlib.suppress(ValueError):  # the page let go of every observer
                self.state.unobserve(handler, name)
        self.watching = []
        super().close()
