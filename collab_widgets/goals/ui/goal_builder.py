"""The "SMART goal" tab: write a goal field by field, see by each field what is missing or
wrong as you type, take the baseline from a saved assessment, save a version; earlier
versions listed and compared. The fields are saved as typed (the goal's draft); a version
is saved with the button, once nothing is wrong."""

from __future__ import annotations

import dataclasses
import html

import ipywidgets as widgets
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import TextStyle
from traitlets import dlink

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.ui.autosave import SharedText, autosave
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
from collab_widgets.core.ui.looks import shared_layout, shared_style
from collab_widgets.evidence import saved, views
from collab_widgets.evidence import store as evidence_store
from collab_widgets.goals import smart, store, team_goal
from collab_widgets.goals.model import COUNT_AT_BAND, MEASURES, Goal, GoalDraft
from collab_widgets.goals.state import (
    CHOICE_FIELDS,
    DRAFT_FIELDS,
    TEXT_FIELDS,
    GoalBuilderState,
)
from collab_widgets.goals.ui.goals_cycle import CycleChooser

PLACEHOLDERS = {
    "group": "e.g. all our 4th graders",
    "learning_target": "e.g. compare fractions with unlike denominators (4.NF.2)",
    "baseline": "where the group is now, e.g. 42",
    "group_size": "e.g. 96",
    "target": "e.g. 70",
    "by_date": "YYYY-MM-DD",
    "tolerance": "5",
}
TYPED = "(typed, not from an assessment)"
# headings shown in the text under them (one widget fewer each for the browser to make)
THE_GOAL = "<h4>The goal</h4>"
VERSIONS = "<h4>Versions</h4>"
LABEL_WIDTH = "160px"  # the fields' labels, so that the boxes line up


def choices(names) -> list[tuple[str, str]]:
    """Dropdown options with nothing chosen first (every option a pair, as ipywidgets
    reads a list that mixes pairs and plain values as plain values)."""
    return [("(choose)", ""), *[(name, name) for name in names]]


def goal_label(number: int, versions: int, text: str) -> str:
    saved_as = f"version {versions}" if versions else "not saved yet"
    return f"Goal {number} ({saved_as}): {text[:70]}"


def finding_html(finding: smart.Finding) -> str:
    mark = "✗" if finding.kind == smart.WRONG else "•"
    return (
        f"<div class='collab-check collab-check-{finding.kind}'>"
        f"{mark} {html.escape(finding.message)}</div>"
    )


def css_name(field: str) -> str:
    return field.replace("_", "-")


class GoalBuilder(widgets.VBox):
    """The "SMART goal" tab, a view of a :class:`GoalBuilderState`: each control is bound
    to its value there, and what the page loads from the store is no edit."""

    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        indicator: SavedIndicator,
        chooser: CycleChooser,
    ):
        self.scope = scope
        self.status = status
        self.chooser = chooser
        self.state = GoalBuilderState()
        self.chosen_from = shared_style(DescriptionStyle, description_width=LABEL_WIDTH)
        choice = self._goal_choice()
        self._draft_fields()
        self._saved_as_typed(indicator)
        measure_on = self._baseline_source()
        self._statement()
        compare = self._version_list()
        for control in (*self.fields.values(), self.source, self.students, self.save):
            dlink((self.state, "goal_id"), (control, "disabled"), lambda goal_id: goal_id is None)
        self.empty = note("Plan a cycle first (above), then write its goal here.")
        self.form = self._form(measure_on, compare)
        super().__init__(
            [
                text_block(
                    "<h3>SMART goal</h3>"
                    + note_html(
                        "Specific, measurable, attainable, results-oriented, time-bound: each "
                        "field says what is missing or wrong as you type. What you type is "
                        "kept; “Save this version” keeps the goal as it is now, and every "
                        "earlier version stays."
                    )
                ),
                self.empty,
                choice,
                self.form,
            ],
            layout=shared_layout(),
        )
        self.add_class("collab-goal-builder")

    # --- the parts of the screen --------------------------------------------------------

    def _goal_choice(self) -> widgets.HBox:
        """Which of the cycle's goals is written, or a new one."""
        self.goal = widgets.Dropdown(
            description="Goal", layout=shared_layout(width="100%"), style=self.chosen_from
        )
        self.goal.add_class("collab-goal-choice")
        self.state.bind(self.goal, "goal_id")
        self.state.on_edit(guarded(self.status)(lambda _c: self._show_goal()), "goal_id")
        new = button("New goal", "Start writing another goal for this cycle", name="new-goal")
        new.on_click(guarded(self.status)(lambda _b: self._new_goal()))
        return side_by_side([self.goal, new])

    def _draft_fields(self) -> None:
        """A control per field of the draft, bound to the state, with its checks."""
        # Every widget is a model the browser makes before the tab shows, its layout and
        # style each one more: the fields share theirs (``looks``).
        typed_in = shared_style(TextStyle, description_width=LABEL_WIDTH)
        full_width = shared_layout(width="100%")
        self.fields: dict[str, widgets.Widget] = {
            name: (widgets.Textarea if name == "learning_target" else widgets.Text)(
                description=smart.LABELS[name],
                placeholder=PLACEHOLDERS[name],
                layout=full_width,
                style=typed_in,
            )
            for name in TEXT_FIELDS
        }
        self.fields["measure"] = widgets.Dropdown(
            description=smart.LABELS["measure"],
            options=choices(MEASURES),
            style=self.chosen_from,
            layout=full_width,
        )
        self.fields["band"] = widgets.Dropdown(
            description=smart.LABELS["band"], style=self.chosen_from, layout=shared_layout()
        )
        self.checks: dict[str, widgets.HTML] = {}
        for name, control in self.fields.items():
            control.add_class(f"collab-goal-{css_name(name)}")
            self.checks[name] = text_block()
            self.checks[name].add_class(f"collab-check-{css_name(name)}")
            # bound before the saves observe the box (``_saved_as_typed``): a baseline
            # typed over is no longer the assessment's figure by the time it is saved
            self.state.bind(control, name)
        # only redraws the checks: no flush of the waiting saves on every keystroke
        self.state.on_edit(
            guarded(self.status, flush=False)(lambda _c: self._check()), DRAFT_FIELDS
        )
        self.state.observe(
            lambda change: set_shown(self.fields["band"], change["new"] == COUNT_AT_BAND),
            "measure",
        )
        set_shown(self.fields["band"], self.state.measure == COUNT_AT_BAND)

    def _saved_as_typed(self, indicator: SavedIndicator) -> None:
        """Each field of the draft saved as typed, to the goal on the page."""
        # each field saved on its own, so two people writing different fields both keep
        # theirs, and one typed over another's newer words in the same field is shown both
        self.shared = {
            name: SharedText(
                self.fields[name],
                lambda typed, base, n=name: self._save_fields(
                    {n: typed, **self.state.tied_to(n)}, {n: base}
                ),
                indicator,
                f"goal:none:{name}",
                below=(self.checks[name],),
            )
            for name in TEXT_FIELDS
        }
        self.savers = [shared.debouncer for shared in self.shared.values()] + [
            autosave(
                self.fields[name],
                lambda value, n=name: self._save_fields({n: value or ""}),
                indicator,
            )
            for name in CHOICE_FIELDS
        ]

    def _baseline_source(self) -> list[widgets.Widget]:
        """The baseline from an assessment: which one, and which of its students."""
        self.source = widgets.Dropdown(
            description="Measure on", style=self.chosen_from, layout=shared_layout(width="100%")
        )
        self.source.add_class("collab-goal-source")
        self.state.bind(self.source, "source")
        self.state.on_edit(guarded(self.status)(lambda _c: self._source_chosen()), "source")
        self.students = widgets.Dropdown(
            description="Students", style=self.chosen_from, layout=shared_layout()
        )
        self.students.add_class("collab-goal-students")
        self.state.bind(self.students, "students")
        take = button(
            "Take the baseline from it",
            "Measure the group on this assessment",
            name="take-baseline",
        )
        take.on_click(guarded(self.status)(lambda _b: self._take_baseline()))
        return [self.source, side_by_side([self.students, take])]

    def _statement(self) -> None:
        """The goal in one sentence, and the button that keeps it as a version."""
        self.statement = text_block()
        self.statement.add_class("collab-goal-statement")
        self.save = button(
            "Save this version",
            "Keep the goal as it is now; earlier versions stay",
            style="primary",
            name="save-goal",
        )
        self.save.on_click(guarded(self.status)(lambda _b: self._save_version()))

    def _version_list(self) -> widgets.HBox:
        """The versions saved, and the choice of two to compare."""
        self.versions = text_block()
        self.versions.add_class("collab-goal-versions")
        compared = {"layout": shared_layout(), "style": shared_style(DescriptionStyle)}
        self.older = widgets.Dropdown(description="Compare", **compared)
        self.newer = widgets.Dropdown(description="with", **compared)
        self.state.bind(self.older, "older")
        self.state.bind(self.newer, "newer")
        self.state.on_edit(
            guarded(self.status)(lambda _c: self._show_comparison()), ["older", "newer"]
        )
        self.comparison = text_block()
        self.comparison.add_class("collab-goal-comparison")
        return side_by_side([self.older, self.newer])

    def _form(self, measure_on: list[widgets.Widget], compare: widgets.HBox) -> widgets.VBox:
        return stacked(
            [
                self._row("group"),
                heading("Where the group is now", 4),
                *measure_on,
                self._row("measure"),
                self._row("band"),
                self._row("baseline"),
                self._row("group_size"),
                self._row("learning_target"),
                heading("Where it will be, and when", 4),
                self._row("target"),
                self._row("by_date"),
                self._row("tolerance"),
                self.statement,
                self.save,
                self.versions,
                compare,
                self.comparison,
            ]
        )

    def _row(self, name: str) -> widgets.VBox:
        """A field with its checks below it (a shared text's view holds them already)."""
        if name in self.shared:
            return self.shared[name].view
        return stacked([self.fields[name], self.checks[name]])

    @property
    def shown(self) -> Goal | None:
        """The goal whose fields are on the page."""
        return self.state.goal

    # --- reading and showing -------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        for saver in self.savers:
            saver.flush()
        cycle_id = self.chooser.cycle_id
        has_cycle = cycle_id is not None
        set_shown(self.empty, not has_cycle)
        set_shown(self.form, has_cycle)
        if not has_cycle:
            return
        with self.state.loading():
            self.state.cycle = store.get_cycle(self.scope, cycle_id)
            self.state.context = team_goal.context(self.scope, self.state.cycle)
            goals = store.goals(self.scope, cycle_id)
            refill(
                self.goal,
                [
                    (goal_label(n, len(g.versions), g.latest.statement if g.versions else ""), g.id)
                    for n, g in enumerate(goals, start=1)
                ],
                # the goal chosen, else the newest: the one most likely being written
                keep=select or self.state.goal_id or (goals[-1].id if goals else None),
            )
            refill(self.fields["band"], choices(self.state.context.band_names))
            refill(
                self.source,
                [(TYPED, None)] + [(a.name, a.id) for a in evidence_store.assessments(self.scope)],
            )
        self._show_goal()

    def _show_goal(self) -> None:
        goal_id = self.state.goal_id
        if goal_id is None:
            self.state.show(None)
            self.statement.value = THE_GOAL + note_html("Press “New goal” to start.")
            self.versions.value = ""
            self.comparison.value = ""
            return
        goal, draft = store.get_goal(self.scope, goal_id), store.draft(self.scope, goal_id)
        with self.state.loading():
            self.state.show(goal, draft)
            for name, shared in self.shared.items():
                shared.load(getattr(draft, name), f"goal:{goal_id}:{name}")
            self._fill_students(draft)
        self._show_versions()
        self._check()

    def _fill_students(self, draft: GoalDraft) -> None:
        options = [(views.ALL_STUDENTS, (None, None))]
        if self.state.source is not None:
            scores = saved.load(self.scope, self.state.source)
            settings = evidence_store.settings(self.scope)
            options += [
                (f.label, (f.column, f.value))
                for f in views.filters(scores, settings)
                if f.column is not None
            ]
        # the draft's group when the list has it, else all students (the first)
        refill(self.students, options, keep=(draft.group_column, draft.group_value))

    def _show_versions(self) -> None:
        rows = [
            [
                str(v.version),
                f"{v.saved_at.astimezone():%d %b %Y %H:%M}",
                v.saved_by or "coach",
                v.statement,
            ]
            for v in reversed(self.state.goal.versions)
        ]
        self.versions.value = VERSIONS + (
            html_table(["Version", "Saved", "By", "Goal"], rows)
            if rows
            else note_html("No version saved yet.")
        )
        numbers = [(f"version {n}", n) for n in self.state.version_numbers()]
        older, newer = self.state.newest_two()
        with self.state.loading():
            refill(self.older, numbers, keep=older)
            refill(self.newer, numbers, keep=newer)
        self._show_comparison()

    def _show_comparison(self) -> None:
        changes = self.state.comparison()
        if changes is None:
            self.comparison.value = ""
        elif changes:
            self.comparison.value = html_table(
                ["Field", f"Version {self.state.older}", f"Version {self.state.newer}"],
                [list(c) for c in changes],
            )
        else:
            self.comparison.value = "<p class='collab-note'>These versions are the same.</p>"

    def _check(self) -> None:
        if self.state.goal_id is None:
            return
        findings = self.state.findings()
        for name, shown in self.checks.items():
            shown.value = "".join(finding_html(f) for f in findings.get(name, []))
        draft = self.state.draft()
        text = smart.statement(
            draft, team_goal.assessment_name(self.scope, draft.baseline_assessment_id)
        )
        self.statement.value = f"{THE_GOAL}<blockquote>{html.escape(text)}</blockquote>"

    # --- saving -----------------------------------------------------------------------

    def _save_fields(self, values: dict, bases: dict[str, str] | None = None) -> None:
        # to the goal whose fields are on the page (a save still waiting when another goal
        # is chosen belongs to this one); a value the page loads is the store's already
        # (the lists' autosave sees every change of their value, loads too)
        goal = self.state.goal
        if goal is not None and not self.state.is_loading:
            store.save_draft_fields(self.scope, goal.id, values, bases)

    # --- actions --------------------------------------------------------------------

    def _new_goal(self) -> None:
        if self.chooser.cycle_id is None:
            raise InvalidInput("Plan a cycle first (above).")
        goal_id = store.new_goal(self.scope, self.chooser.cycle_id)
        self.refresh(select=goal_id)
        self.status.ok("A new goal: fill in its fields from the top.")

    def _source_chosen(self) -> None:
        if self.state.goal_id is not None:
            self._fill_students(self.state.draft())

    def _take_baseline(self) -> None:
        goal, source = self.state.goal, self.state.source
        if goal is None:
            raise InvalidInput("Press “New goal” first, then take its baseline.")
        if source is None:
            raise InvalidInput("Choose the assessment to measure the group on first.")
        column, value = self.state.students
        draft = dataclasses.replace(self.state.draft(), group_column=column, group_value=value)
        taken = team_goal.baseline_from(self.scope, draft, source)
        if not taken.group.strip():
            taken = dataclasses.replace(taken, group=self.students.label)
        taken_fields = {name: getattr(taken, name) for name in ("baseline", "group_size", "group")}
        # the press replaces these fields (their new text is on the page at once), in one save
        store.save_draft_fields(
            self.scope,
            goal.id,
            {
                **taken_fields,
                "baseline_assessment_id": source,
                "group_column": column,
                "group_value": value,
            },
        )
        with self.state.loading():
            self.state.took_baseline(source, column, value)
            for name, text in taken_fields.items():
                self.shared[name].load(text)
        self._check()
        self.status.ok(f"Baseline taken: {taken.baseline} ({taken.group_size} students).")

    def _save_version(self) -> None:
        for saver in self.savers:
            saver.flush()
        state = self.state
        version = team_goal.save_version(self.scope, state.cycle, state.goal_id, state.draft())
        self.refresh()
        self.status.ok(f"Version {version} of the goal is saved.")
