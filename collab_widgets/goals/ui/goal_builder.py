"""The "SMART goal" tab: write a goal field by field, see by each field what is missing or
wrong as you type, take the baseline from a saved assessment, save a version; earlier
versions listed and compared. The fields are saved as typed (the goal's draft); a version
is saved with the button, once nothing is wrong."""

from __future__ import annotations

import dataclasses
import html

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.ui.autosave import SharedText, autosave
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import button, heading, html_table, note, refill
from collab_widgets.evidence import saved, views
from collab_widgets.evidence import store as evidence_store
from collab_widgets.goals import goal_state as team
from collab_widgets.goals import smart, store
from collab_widgets.goals.model import COUNT_AT_BAND, MEASURES, Goal, GoalDraft
from collab_widgets.goals.ui.goals_cycle import CycleChooser

TEXT_FIELDS = (
    "group",
    "learning_target",
    "baseline",
    "group_size",
    "target",
    "by_date",
    "tolerance",
)
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


def choices(names) -> list[tuple[str, str]]:
    """Dropdown options with nothing chosen first (every option a pair, as ipywidgets
    reads a list that mixes pairs and plain values as plain values)."""
    return [("(choose)", ""), *[(name, name) for name in names]]


def goal_label(number: int, versions: int, text: str) -> str:
    saved_as = f"version {versions}" if versions else "not saved yet"
    return f"Goal {number} ({saved_as}): {text[:70]}"


class GoalBuilder(widgets.VBox):
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
        self.filling = False
        self.baseline_source: int | None = None  # while the baseline is an assessment's
        self.group_choice: tuple[str | None, str | None] = (None, None)
        self.shown: Goal | None = None  # the goal whose fields are on the page
        self.goal = widgets.Dropdown(description="Goal", layout=widgets.Layout(width="100%"))
        self.goal.add_class("collab-goal-choice")
        self.goal.observe(guarded(status)(self._goal_chosen), "value")
        new = button("New goal", "Start writing another goal for this cycle", name="new-goal")
        new.on_click(guarded(status)(lambda _b: self._new_goal()))
        self.fields: dict[str, widgets.Widget] = {}
        self.checks: dict[str, widgets.HTML] = {}
        for name in TEXT_FIELDS:
            kind = widgets.Textarea if name == "learning_target" else widgets.Text
            self.fields[name] = kind(
                description=smart.LABELS[name],
                placeholder=PLACEHOLDERS[name],
                layout=widgets.Layout(width="100%"),
                style={"description_width": "160px"},
            )
        self.fields["measure"] = widgets.Dropdown(
            description=smart.LABELS["measure"],
            options=choices(MEASURES),
            style={"description_width": "160px"},
            layout=widgets.Layout(width="100%"),
        )
        self.fields["band"] = widgets.Dropdown(
            description=smart.LABELS["band"], style={"description_width": "160px"}
        )
        for name, control in self.fields.items():
            control.add_class(f"collab-goal-{name.replace('_', '-')}")
            self.checks[name] = widgets.HTML()
            self.checks[name].add_class(f"collab-check-{name.replace('_', '-')}")
            # only redraws the checks: no flush of the waiting saves on every keystroke
            control.observe(guarded(status, flush=False)(self._edited), "value")
        # each field saved on its own, so two people writing different fields both keep
        # theirs, and one typed over another's newer words in the same field is shown both
        self.shared = {
            name: SharedText(
                self.fields[name],
                lambda typed, base, n=name: self._save_fields(
                    {n: typed, **self._tied_to(n)}, {n: base}
                ),
                indicator,
                f"goal:none:{name}",
            )
            for name in TEXT_FIELDS
        }
        self.savers = [shared.debouncer for shared in self.shared.values()] + [
            autosave(control, lambda value, n=name: self._save_fields({n: value or ""}), indicator)
            for name, control in self.fields.items()
            if name not in TEXT_FIELDS
        ]
        # the baseline from an assessment: which one, and which of its students
        self.source = widgets.Dropdown(
            description="Measure on",
            style={"description_width": "160px"},
            layout=widgets.Layout(width="100%"),
        )
        self.source.add_class("collab-goal-source")
        self.source.observe(guarded(status)(lambda _c: self._source_chosen()), "value")
        self.students = widgets.Dropdown(
            description="Students", style={"description_width": "160px"}
        )
        self.students.add_class("collab-goal-students")
        take = button(
            "Take the baseline from it",
            "Measure the group on this assessment",
            name="take-baseline",
        )
        take.on_click(guarded(status)(lambda _b: self._take_baseline()))
        self.statement = widgets.HTML()
        self.statement.add_class("collab-goal-statement")
        self.save = button(
            "Save this version",
            "Keep the goal as it is now; earlier versions stay",
            style="primary",
            name="save-goal",
        )
        self.save.on_click(guarded(status)(lambda _b: self._save_version()))
        self.versions = widgets.HTML()
        self.versions.add_class("collab-goal-versions")
        self.older = widgets.Dropdown(description="Compare")
        self.newer = widgets.Dropdown(description="with")
        for control in (self.older, self.newer):
            control.observe(guarded(status)(lambda _c: self._show_comparison()), "value")
        self.comparison = widgets.HTML()
        self.comparison.add_class("collab-goal-comparison")
        self.empty = note("Plan a cycle first (above), then write its goal here.")
        self.form = widgets.VBox(
            [
                self._row("group"),
                heading("Where the group is now", 4),
                self.source,
                widgets.HBox([self.students, take]),
                self._row("measure"),
                self._row("band"),
                self._row("baseline"),
                self._row("group_size"),
                self._row("learning_target"),
                heading("Where it will be, and when", 4),
                self._row("target"),
                self._row("by_date"),
                self._row("tolerance"),
                heading("The goal", 4),
                self.statement,
                self.save,
                heading("Versions", 4),
                self.versions,
                widgets.HBox([self.older, self.newer]),
                self.comparison,
            ]
        )
        super().__init__(
            [
                heading("SMART goal"),
                note(
                    "Specific, measurable, attainable, results-oriented, time-bound: each "
                    "field says what is missing or wrong as you type. What you type is kept; "
                    "“Save this version” keeps the goal as it is now, and every earlier "
                    "version stays."
                ),
                self.empty,
                widgets.HBox([self.goal, new]),
                self.form,
            ]
        )
        self.add_class("collab-goal-builder")

    def _row(self, name: str) -> widgets.VBox:
        shown = self.shared[name].view if name in self.shared else self.fields[name]
        return widgets.VBox([shown, self.checks[name]])

    # --- reading and showing -------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        for saver in self.savers:
            saver.flush()
        cycle_id = self.chooser.cycle_id
        has_cycle = cycle_id is not None
        self.empty.layout.display = "none" if has_cycle else None
        self.form.layout.display = None if has_cycle else "none"
        if not has_cycle:
            return
        self.cycle = store.get_cycle(self.scope, cycle_id)
        self.context = team.context(self.scope, self.cycle)
        goals = store.goals(self.scope, cycle_id)
        self.filling = True
        try:
            refill(
                self.goal,
                [
                    (goal_label(n, len(g.versions), g.latest.statement if g.versions else ""), g.id)
                    for n, g in enumerate(goals, start=1)
                ],
                # the goal chosen, else the newest: the one most likely being written
                keep=select or self.goal.value or (goals[-1].id if goals else None),
            )
            refill(self.fields["band"], choices(self.context.band_names))
            refill(
                self.source,
                [(TYPED, None)] + [(a.name, a.id) for a in evidence_store.assessments(self.scope)],
            )
        finally:
            self.filling = False
        self._show_goal()

    def _goal_chosen(self, _change) -> None:
        if not self.filling:
            self._show_goal()

    def _show_goal(self) -> None:
        goal_id = self.goal.value
        for control in (*self.fields.values(), self.source, self.students, self.save):
            control.disabled = goal_id is None
        if goal_id is None:
            self.shown = None
            self.statement.value = "<p class='collab-note'>Press “New goal” to start.</p>"
            self.versions.value = ""
            self.comparison.value = ""
            return
        self.shown = store.get_goal(self.scope, goal_id)
        draft = store.draft(self.scope, goal_id)
        self.filling = True
        try:
            for name, control in self.fields.items():
                value = getattr(draft, name)
                if name in self.shared:
                    self.shared[name].load(value, f"goal:{goal_id}:{name}")
                    continue
                if value not in [o[1] for o in control.options]:
                    value = ""
                control.value = value
            known = [o[1] for o in self.source.options]
            self.source.value = (
                draft.baseline_assessment_id if draft.baseline_assessment_id in known else None
            )
            self._fill_students(draft)
            self.group_choice = (draft.group_column, draft.group_value)
            self.baseline_source = draft.baseline_assessment_id
        finally:
            self.filling = False
        self._show_versions()
        self._check()

    def _fill_students(self, draft: GoalDraft) -> None:
        options = [(views.ALL_STUDENTS, (None, None))]
        if self.source.value is not None:
            scores = saved.load(self.scope, self.source.value)
            settings = evidence_store.settings(self.scope)
            options += [
                (f.label, (f.column, f.value))
                for f in views.filters(scores, settings)
                if f.column is not None
            ]
        # the draft's group when the list has it, else all students (the first)
        refill(self.students, options, keep=(draft.group_column, draft.group_value))

    def _show_versions(self) -> None:
        goal = self.shown
        rows = [
            [
                str(v.version),
                f"{v.saved_at.astimezone():%d %b %Y %H:%M}",
                v.saved_by or "coach",
                v.statement,
            ]
            for v in reversed(goal.versions)
        ]
        self.versions.value = (
            html_table(["Version", "Saved", "By", "Goal"], rows)
            if rows
            else "<p class='collab-note'>No version saved yet.</p>"
        )
        numbers = [(f"version {v.version}", v.version) for v in goal.versions]
        self.filling = True
        try:
            # the two newest versions; with one, that one in both
            older, newer = (numbers[-2][1], numbers[-1][1]) if len(numbers) >= 2 else (None, None)
            refill(self.older, numbers, keep=older)
            refill(self.newer, numbers, keep=newer)
        finally:
            self.filling = False
        self._show_comparison()

    def _show_comparison(self) -> None:
        if self.filling:
            return
        versions = {v.version: v for v in self.shown.versions}
        if len(versions) < 2 or self.older.value is None or self.newer.value is None:
            self.comparison.value = ""
            return
        changes = smart.differences(
            versions[self.older.value].draft, versions[self.newer.value].draft
        )
        self.comparison.value = (
            html_table(
                ["Field", f"Version {self.older.value}", f"Version {self.newer.value}"],
                [list(c) for c in changes],
            )
            if changes
            else "<p class='collab-note'>These versions are the same.</p>"
        )

    # --- typing ---------------------------------------------------------------------

    def draft(self) -> GoalDraft:
        column, value = self.group_choice
        return GoalDraft(
            **{name: control.value or "" for name, control in self.fields.items()},
            baseline_assessment_id=self.baseline_source,
            group_column=column,
            group_value=value,
        )

    def _edited(self, change) -> None:
        if self.filling:
            return
        if change["owner"] is self.fields["baseline"]:
            self.baseline_source = None  # typed over: no longer the assessment's figure
        self._check()

    def _check(self) -> None:
        if self.goal.value is None:
            return
        draft = self.draft()
        findings = smart.by_field(smart.check(draft, self.context))
        for name, shown in self.checks.items():
            lines = findings.get(name, [])
            shown.value = "".join(
                f"<div class='collab-check collab-check-{f.kind}'>"
                f"{'✗' if f.kind == smart.WRONG else '•'} {html.escape(f.message)}</div>"
                for f in lines
            )
        self.fields["band"].layout.display = (
            None if self.fields["measure"].value == COUNT_AT_BAND else "none"
        )
        text = smart.statement(
            draft, team.assessment_name(self.scope, draft.baseline_assessment_id)
        )
        self.statement.value = f"<blockquote>{html.escape(text)}</blockquote>"

    def _tied_to(self, name: str) -> dict:
        """What changes with a typed field: a baseline typed over is no longer the
        assessment's figure."""
        return {"baseline_assessment_id": self.baseline_source} if name == "baseline" else {}

    def _save_fields(self, values: dict, bases: dict[str, str] | None = None) -> None:
        # the goal whose fields are on the page (a save still waiting when another goal
        # is chosen belongs to this one)
        if self.shown is not None and not self.filling:
            store.save_draft_fields(self.scope, self.shown.id, values, bases)

    # --- actions --------------------------------------------------------------------

    def _new_goal(self) -> None:
        if self.chooser.cycle_id is None:
            raise InvalidInput("Plan a cycle first (above).")
        goal_id = store.new_goal(self.scope, self.chooser.cycle_id)
        self.baseline_source = None
        self.refresh(select=goal_id)
        self.status.ok("A new goal: fill in its fields from the top.")

    def _source_chosen(self) -> None:
        if self.filling or self.goal.value is None:
            return
        self._fill_students(self.draft())

    def _take_baseline(self) -> None:
        if self.shown is None:
            raise InvalidInput("Press “New goal” first, then take its baseline.")
        if self.source.value is None:
            raise InvalidInput("Choose the assessment to measure the group on first.")
        column, value = self.students.value
        draft = dataclasses.replace(self.draft(), group_column=column, group_value=value)
        taken = team.baseline_from(self.scope, draft, self.source.value)
        if not taken.group.strip():
            taken = dataclasses.replace(taken, group=self.students.label)
        self.group_choice = (column, value)
        taken_fields = {name: getattr(taken, name) for name in ("baseline", "group_size", "group")}
        # the press replaces these fields (their new text is on the page at once), in one save
        store.save_draft_fields(
            self.scope,
            self.shown.id,
            {
                **taken_fields,
                "baseline_assessment_id": self.source.value,
                "group_column": column,
                "group_value": value,
            },
        )
        self.baseline_source = self.source.value
        self.filling = True
        try:
            for name, text in taken_fields.items():
                self.shared[name].load(text)
        finally:
            self.filling = False
        self._check()
        self.status.ok(f"Baseline taken: {taken.baseline} ({taken.group_size} students).")

    def _save_version(self) -> None:
        for saver in self.savers:
            saver.flush()
        version = team.save_version(self.scope, self.cycle, self.goal.value, self.draft())
        self.refresh()
        self.status.ok(f"Version {version} of the goal is saved.")
