"""The Results tab: a saved assessment's overview, items, standards, subgroups, growth and
groups, for all students or one large-enough group, with pseudonyms unless a teacher
shows real names on their own screen. Every figure comes from
:mod:`collab_widgets.evidence.views`.

The real-names box only asks: whether names show is decided from the scope each time a view
draws them (a visitor's browser can set the box's value even where it is hidden), and each
assessment whose names show is in the activity record."""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import Permission, TeamScope
from collab_widgets.core.errors import AccessDenied, NotFound
from collab_widgets.core.model import plural
from collab_widgets.core.ui.autosave import SharedText
from collab_widgets.core.ui.chart_view import ChartView
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    download_link,
    heading,
    html_table,
    note,
    refill,
    set_shown,
    stacked,
    text_block,
)
from collab_widgets.evidence import explain, render, saved, store, views
from collab_widgets.evidence.model import AssessmentInfo, EvidenceSettings
from collab_widgets.evidence.scores import Scores

SECTIONS = ("Overview", "Items", "Standards", "Subgroups", "Growth", "Groups")
GROUP_NAMES = {
    "intervention": "Intervention (question 3)",
    "close": "Close to proficient",
    "proficient": "Proficient",
    "extension": "Extension (question 4)",
}


def _percent(value) -> str:
    return (
        "–"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else (f"{value:.0f}%")
    )


def _label(info: AssessmentInfo) -> str:
    return f"{info.name} — {plural(info.students, 'student')}" + (
        f", {info.given_on:%d %b %Y}" if info.given_on else ""
    )


class ResultsPanel(widgets.VBox):
    """``on_changed()`` runs after this panel renamed or trashed an assessment, so the
    page's other lists of assessments follow at once."""

    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        indicator: SavedIndicator,
        on_changed: Callable[[], None] | None = None,
    ):
        self.scope = scope
        self.status = status
        self.on_changed = on_changed
        self.scores: Scores | None = None
        self.opened: int | None = None  # the assessment whose scores are ``scores``
        self.listed: list[AssessmentInfo] = []
        self.filling = False  # while the panel itself changes controls, their observers wait
        # assessments whose real names this page has recorded as shown since the box was ticked
        self.recorded_reveals: set[int] = set()
        self.settings: EvidenceSettings = store.settings(scope)
        guard = guarded(status)
        self.assessment = widgets.Dropdown(
            description="Assessment", layout=widgets.Layout(width="100%")
        )
        self.assessment.add_class("collab-assessment-choice")
        self.section = widgets.ToggleButtons(options=SECTIONS, description="Show")
        self.section.add_class("collab-results-section")
        self.students = widgets.Dropdown(
            description="Students", layout=widgets.Layout(width="auto")
        )
        self.by = widgets.Dropdown(description="Break down by")
        self.compare = widgets.Dropdown(
            description="Compare with", layout=widgets.Layout(width="100%")
        )
        self.teacher = widgets.Dropdown(description="Whose students")
        self.group_order = widgets.ToggleButtons(
            options=[("Lowest score first", "percent"), ("By name", "name")],
            description="Order",
        )
        self.group_order.add_class("collab-group-order")
        self.real_names = widgets.Checkbox(
            description="Show real names on my screen (recorded)", indent=False
        )
        self.real_names.add_class("collab-real-names")
        self.name = widgets.Text(
            description="Name", layout=widgets.Layout(width="100%"), tooltip="Saved as you type"
        )
        self.name.add_class("collab-assessment-rename")
        self.shared_name = SharedText(self.name, self._rename, indicator, "assessment:none:name")
        self.delete = Confirm(
            "Move to the trash",
            "With its scores and its dialogue",
            "Move this assessment to the trash, with its scores and its dialogue? It can be "
            "restored from the Start page.",
            "Yes, to the trash",
            self._delete,
            status,
            style="danger",
            name="delete-assessment",
        )
        self.summary = text_block()
        self.chart = ChartView()
        self.table = text_block()
        self.table.add_class("collab-results-table")
        self.controls = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.controls.add_class("collab-results-controls")
        self.how = text_block()  # "How is this calculated?", folded
        self.how.add_class("collab-how")
        self.content = stacked([self.summary, self.chart, self.table, self.how])
        self.manage = stacked([self.shared_name.view, self.delete])
        self.empty = note("No assessment yet: add one under Add scores.")
        for control in (self.assessment,):
            control.observe(guard(lambda _c: self._open()), "value")
        for control in (
            self.section,
            self.students,
            self.by,
            self.compare,
            self.teacher,
            self.group_order,
        ):
            control.observe(guard(lambda _c: self.redraw()), "value")
        self.real_names.observe(guard(self._names_toggled), "value")
        self.main = stacked(
            [
                self.assessment,
                self.section,
                self.controls,
                self.real_names,
                self.content,
                self.manage,
            ]
        )
        super().__init__([heading("Results"), self.empty, self.main])
        self.add_class("collab-results")
        self.refresh()

    # --- choosing ----------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        self.settings = store.settings(self.scope)
        listed = self._list(select)
        set_shown(self.empty, not listed)
        set_shown(self.main, listed)
        if not listed:
            self.scores = self.opened = None
            return
        self.opened = None  # read again: the settings or the assessment may have changed
        self._open()

    def _list(self, select: int | None = None) -> list[AssessmentInfo]:
        """The team's assessments in the choice, keeping (or selecting) one; no redraw."""
        self.listed = store.assessments(self.scope)
        self.filling = True  # the choices change together; one redraw after
        try:
            refill(self.assessment, [(_label(a), a.id) for a in self.listed], keep=select)
            self._fill_compare()
        finally:
            self.filling = False
        return self.listed

    def _fill_compare(self) -> None:
        """Growth compares with any assessment but the one looked at."""
        others = [(_label(a), a.id) for a in self.listed if a.id != self.assessment.value]
        refill(self.compare, [("—", None), *others] if others else [])

    def _open(self) -> None:
        if self.filling or self.assessment.value is None:
            return
        self.shared_name.debouncer.flush()  # a name typed for the one shown until now is its own
        try:
            self.scores = saved.load(self.scope, self.assessment.value)
        except NotFound as exc:
            self.status.error(str(exc))
            self.refresh()
            return
        self.opened = self.assessment.value
        self.shared_name.load(self.scores.name, f"assessment:{self.opened}:name")
        set_shown(self.delete, self.scope.allows(Permission.FACILITATE))
        self.filling = True
        try:  # each list shows one of its own choices (a new list alone would show none)
            filters = views.filters(self.scores, self.settings)
            refill(self.students, [(f.label, f) for f in filters])
            by, kept = views.breakdowns(self.scores, self.settings), self.by.value
            self.by.options = by
            self.by.value = kept if kept in by else (by[0] if by else None)
            teachers = views.teachers(self.scores)
            refill(self.teacher, [("All teachers", ""), *((t, t) for t in teachers)])
            self._fill_compare()
        finally:
            self.filling = False
        self.redraw()

    def _names_toggled(self, change) -> None:
        if self.filling:
            return
        if not change["new"]:
            self.recorded_reveals.clear()  # ticked again later: a new reveal, recorded again
        elif not self._real_names_allowed():
            return
        self.redraw()

    def _real_names_allowed(self) -> bool:
        """Whether the box is ticked and the scope allows real names now; a refusal unticks
        the box and says why."""
        if not self.real_names.value:
            return False
        try:
            store.check_real_names(self.scope)
        except AccessDenied as refused:
            self.recorded_reveals.clear()
            self.filling = True
            try:
                self.real_names.value = False
            finally:
                self.filling = False
            self.status.error(str(refused))
            return False
        return True

    def _shows_real_names(self, *assessment_ids: int) -> bool:
        """Asked by a view just before it draws the names of these assessments' students:
        real names if allowed now, each assessment's reveal recorded once per tick."""
        if not self._real_names_allowed():
            return False
        for assessment_id in assessment_ids:
            if assessment_id not in self.recorded_reveals:
                store.record_reveal(self.scope, assessment_id)
                self.recorded_reveals.add(assessment_id)
                self.status.info("Real names show on your screen only; the team record notes it.")
        return True

    # --- drawing -------------------------------------------------------------------------

    def redraw(self) -> None:
        if self.filling or self.scores is None:
            return
        section = self.section.value
        controls = {
            "Overview": [self.students],
            "Items": [self.students],
            "Standards": [self.students],
            "Subgroups": [self.by] if self.by.options else [],
            "Growth": [self.compare] if self.compare.options else [],
            "Groups": [self.teacher, self.group_order],
        }[section]
        self.controls.children = controls  # kept widgets: shown or not, never closed
        set_shown(
            self.real_names,
            section in ("Growth", "Groups") and store.may_show_real_names(self.scope),
        )
        self.summary.value = self.table.value = ""
        self.how.value = _how_calculated(section, self.settings)
        getattr(self, f"_draw_{section.lower()}")()

    def _chosen_students(self):
        return self.students.value or views.StudentFilter()

    def _draw_overview(self) -> None:
        figures, chart = views.overview(self.scores, self.settings, self._chosen_students())
        mean = figures["mean"]
        self.summary.value = (
            f"<p><b>{figures['students']}</b> "
            f"{'student' if figures['students'] == 1 else 'students'}; average "
            f"<b>{_percent(mean)}</b>.</p>"
            + "".join(
                f"<p class='collab-warning'>{html.escape(w)}</p>" for w in self.scores.warnings
            )
        )
        self.chart.show(chart)
        table = figures["bands"]
        self.table.value = html_table(
            ["Band", "Students", "Percent"],
            [
                [b, n, _percent(p)]
                for b, n, p in zip(table["band"], table["n"], table["percent"], strict=True)
            ],
        )

    def _draw_items(self) -> None:
        if self.scores.totals_only:
            self.chart.show(None, "This assessment has totals only; add an answer key for items.")
            return
        table, chart = views.items_view(self.scores, self.settings, self._chosen_students())
        self.chart.show(chart)
        has_options = "top_distractor" in table
        rows = [
            [
                row.item,
                row.standard or "",
                row.n,
                _percent(row.pct_correct),
                *(
                    [
                        f"{row.top_distractor} ({row.top_share:.0f}%)"
                        if isinstance(row.top_distractor, str)
                        else ""
                    ]
                    if has_options
                    else []
                ),
            ]
            for row in table.itertuples()
        ]
        columns = ["Item", "Standard", "Answered", "Percent correct"]
        self.table.value = html_table(
            columns + (["Most chosen wrong answer"] if has_options else []), rows
        )

    def _draw_standards(self) -> None:
        table, chart = views.standards_view(self.scores, self.settings, self._chosen_students())
        if chart is None:
            self.chart.show(None, "No item has a standard: upload an item map with standards.")
            return
        self.chart.show(chart)
        self.table.value = html_table(
            ["Standard", "Items", "Students", "Percent correct"],
            [[r.standard, r.items, r.n, _percent(r.pct_correct)] for r in table.itertuples()],
        )

    def _draw_subgroups(self) -> None:
        if not self.by.value:
            off = (
                ""
                if self.settings.compare_teachers
                else " Comparing teachers or sections is off (Settings)."
            )
            self.chart.show(
                None,
                "This assessment has no attribute column (such as ELL or IEP) to break "
                "results down by." + off,
            )
            return
        means, crosstab, chart = views.subgroups_view(self.scores, self.settings, self.by.value)
        self.chart.show(chart)
        self.summary.value = note(
            f"Groups under {plural(self.settings.min_n, 'student')} are not shown (–), nor "
            "any figure from which one could be worked out."
        ).value
        self.table.value = html_table(*views.table_rows(means)) + html_table(
            *views.table_rows(crosstab)
        )

    def _draw_growth(self) -> None:
        other = self.compare.value
        if not self.compare.options:
            self.chart.show(
                None,
                f"Nothing else to compare with yet: “{self.scores.name}” is the team's only "
                "assessment. Add the earlier (or later) one under Add scores.",
            )
            return
        if other is None or other == self.assessment.value:
            self.chart.show(None, "Choose the earlier (or later) assessment to compare with.")
            return
        before, after = saved.load(self.scope, other), self.scores
        real = self._shows_real_names(other, self.assessment.value)
        shown = views.growth_view(before, after, self.settings, real)
        change = shown.growth
        self.chart.show(shown.chart, "No student took both assessments.")
        unmatched = [
            f"Only in “{before.name}”: {len(change.only_pre)}",
            f"only in “{after.name}”: {len(change.only_post)}",
        ]
        moved = ", ".join(shown.names[s] for s in shown.out_of_intervention) or "nobody"
        self.summary.value = note(
            f"{plural(len(change.matched), 'student')} took both. " + "; ".join(unmatched) + ". "
            f"Moved out of intervention: {moved}."
        ).value
        rows = [
            [shown.names[str(r.student)], _percent(r.pre), _percent(r.post), f"{r.change:+.0f}"]
            for r in change.matched.sort_values("change").itertuples()
        ]
        rows += [[shown.names[s], "", "not taken", ""] for s in change.only_pre]
        rows += [[shown.names[s], "not taken", "", ""] for s in change.only_post]
        self.table.value = html_table(["Student", "Before", "After", "Change"], rows)

    def _draw_groups(self) -> None:
        real = self._shows_real_names(self.assessment.value)
        teacher, order = self.teacher.value or None, self.group_order.value
        groups = views.groups_view(self.scores, self.settings, teacher, real, order=order)
        # files leave this screen: they name students by pseudonym, whatever it shows
        taken = (
            views.groups_view(self.scores, self.settings, teacher, False, order=order)
            if real
            else groups
        )
        cuts = self.settings.group_cuts
        whose = f"{teacher}'s students" if teacher else "All the team's students"
        title = f"{self.scores.name}: groups for questions 3 and 4 ({whose})"
        exports = " · ".join(
            [
                download_link(
                    "Download the list (CSV, by pseudonym)",
                    "groups.csv",
                    "text/csv",
                    render.groups_csv(taken, GROUP_NAMES),
                    "collab-groups-csv",
                ),
                download_link(
                    "Download a printable page (by pseudonym)",
                    "groups.html",
                    "text/html",
                    render.groups_page(title, taken, GROUP_NAMES).encode("utf-8"),
                    "collab-groups-print",
                ),
            ]
        )
        self.summary.value = (
            note(
                f"Below {cuts[0]:g}%: intervention; below {cuts[1]:g}%: close; from {cuts[2]:g}%: "
                "extension. Change the cut points under Settings."
            ).value
            + f"<p class='collab-exports'>{exports}</p>"
        )
        self.chart.show(None, "")
        self.table.value = render.groups_html(groups, GROUP_NAMES)

    # --- managing ------------------------------------------------------------------------

    def _rename(self, name: str, base: str) -> None:
        if self.scores is not None and self.opened is not None:
            store.rename(self.scope, self.opened, name, base)
            self.scores.name = name
            self._list()  # the new name in this panel's lists ...
            self._changed()  # ... and in the page's others

    def _delete(self) -> None:
        name = self.scores.name if self.scores else "The assessment"
        store.delete(self.scope, self.assessment.value)
        self.status.ok(
            f"“{name}” and its dialogue are in the trash; restore them from the Start page."
        )
        self.refresh()
        self._changed()

    def _changed(self) -> None:
        if self.on_changed is not None:
            self.on_changed()


def _how_calculated(section: str, settings: EvidenceSettings) -> str:
    paragraphs = "".join(
        f"<p>{html.escape(p)}</p>" for p in explain.how_calculated(section, settings)
    )
    return f"<details><summary>How is this calculated?</summary>{paragraphs}</details>"
