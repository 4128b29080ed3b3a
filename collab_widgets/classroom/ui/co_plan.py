"""Planning a lesson together: every member on their own device at once, each section saved
as typed with the shared-text rule, the tasks in order with their minutes and how two
adults share them, versions kept and compared, and the plan to print or share."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.classroom import cycle_links, rules
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.model import CoPlan
from collab_widgets.classroom.practice_library import Approach, Library, load_approaches
from collab_widgets.classroom.rules import PlanContent
from collab_widgets.classroom.ui.parts import text_box
from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import NotFound
from collab_widgets.core.ui.autosave import SharedText
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    download_link,
    form_button,
    heading,
    note,
    note_html,
    refill,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.live.rules import LiveLoop
from collab_widgets.reports.render import plan_html, plan_markdown

HINTS = {
    "target": "In students' words: I can …",
    "criteria": "How we and they will know: one criterion per line",
    "groups": "Who needs more time and support (question 3), who goes further (question 4), "
    "and how the lesson serves each",
    "materials": "What to have ready",
}
ONE_TEACHER = "One teacher"
LABELS = {"groups": "Groups"}  # the box's label; the printed plan names it in full


def approach_options(library: Library) -> tuple[list[tuple[str, str | None]], dict[str, str]]:
    names = {a.key: a.title for a in library.sorted()}
    return [(ONE_TEACHER, None), *((title, key) for key, title in names.items())], names


def roles_html(approach: Approach | None) -> str:
    """What each adult does in a task taught the ``approach`` way (nothing for one teacher)."""
    if approach is None:
        return ""
    return (
        f"<p class='collab-note'><b>Lead:</b> {html.escape(approach.roles.lead)} "
        f"<b>Partner:</b> {html.escape(approach.roles.partner)}</p>"
    )


def approaches_html(approaches: list[Approach]) -> str:
    """The approaches as a reference the team opens when it wants it."""
    items = "".join(
        f"<li><b>{html.escape(a.title)}</b>: {html.escape(a.summary)}<br>"
        f"<i>Fits when</i>: {html.escape('; '.join(a.fits_when))}. "
        f"<i>Watch for</i>: {html.escape('; '.join(a.watch_for))}.</li>"
        for a in approaches
    )
    return (
        "<details class='collab-approaches'><summary>Ways two adults can share a task</summary>"
        f"<ul>{items}</ul></details>"
    )


class SegmentRow(widgets.VBox):
    """One task of the plan: what happens, for how long, how two adults share it."""

    def __init__(self, panel: CoPlanPanel, segment: rules.Segment):
        self.panel = panel
        self.segment_id = segment.id
        self.task = text_box("Task", "What students and teachers do", "collab-plan-task", rows=2)
        self.shared = SharedText(
            self.task,
            lambda typed, base: classroom.set_segment_task(
                panel.scope, self.segment_id, typed, base
            ),
            panel.indicator,
            f"plan-task:{segment.id}",
        )
        self.minutes = widgets.BoundedIntText(
            description="Minutes", min=1, max=rules.MAX_MINUTES, layout={"width": "11em"}
        )
        self.approach = widgets.Dropdown(
            description="Two adults", options=panel.approaches, layout={"width": "auto"}
        )
        self.filling = False
        guard = guarded(panel.status)
        self.minutes.observe(guard(lambda _c: self._changed(minutes=self.minutes.value)), "value")
        self.approach.observe(
            guard(lambda _c: self._changed(approach=self.approach.value)), "value"
        )
        up = button("↑", "Move this task earlier", name="task-up")
        down = button("↓", "Move this task later", name="task-down")
        remove = button("Remove", "Take this task out of the plan", name="task-remove")
        up.on_click(guard(lambda _b: panel.move(self.segment_id, -1)))
        down.on_click(guard(lambda _b: panel.move(self.segment_id, 1)))
        remove.on_click(guard(lambda _b: panel.remove(self.segment_id)))
        self.number = text_block()
        self.roles = text_block()
        super().__init__(
            [
                self.number,
                self.shared.view,
                side_by_side([self.minutes, self.approach, up, down, remove]),
                self.roles,
            ]
        )
        self.add_class("collab-plan-segment")
        self.load(segment, 0)

    def load(self, segment: rules.Segment, index: int) -> None:
        self.number.value = f"<b>Task {index + 1}</b>"
        self.shared.load(segment.task)
        self.filling = True
        try:
            self.minutes.value = segment.minutes
            values = [v for _, v in self.approach.options]
            # by index: setting the value None ("One teacher") would select nothing
            self.approach.index = (
                values.index(segment.approach) if segment.approach in values else 0
            )
        finally:
            self.filling = False
        self.roles.value = roles_html(self.panel.library.get(self.approach.value or ""))

    def _changed(self, **change) -> None:
        if self.filling:
            return
        classroom.set_segment(self.panel.scope, self.segment_id, **change)
        self.roles.value = roles_html(self.panel.library.get(self.approach.value or ""))
        self.panel.indicator.saved(f"plan-segment:{self.segment_id}")


class CoPlanPanel(widgets.VBox):
    def __init__(self, scope: TeamScope, status: StatusLine, indicator: SavedIndicator):
        self.scope, self.status, self.indicator = scope, status, indicator
        self.library = load_approaches()
        self.approaches, self.approach_names = approach_options(self.library)
        self.plan: CoPlan | None = None
        self.drawn: int | None = None  # the plan whose cycle figures are shown
        self.filling = False
        self.rows: dict[int, SegmentRow] = {}
        guard = guarded(status)
        redraw = guarded(status, flush=False)

        self.choice = widgets.Dropdown(description="Plan", options=[], layout={"width": "auto"})
        self.choice.observe(guard(lambda _c: None if self.filling else self.refresh()), "value")
        self.new_title = widgets.Text(
            description="New plan", placeholder="e.g. Comparing fractions, lesson 3"
        )
        create = form_button(
            "Start a plan", "Start a new plan for the team", [self.new_title], name="new-plan"
        )
        create.on_click(guard(lambda _b: self._create()))

        self.standard = widgets.Dropdown(
            description="Essential standard", options=[], layout={"width": "auto"}
        )
        self.standard.observe(guard(lambda _c: self._standard_chosen()), "value")
        self.boxes = {
            key: text_box(LABELS.get(key, name), HINTS[key], f"collab-plan-{key}")
            for key, name in rules.SECTIONS.items()
        }
        self.sections = {
            key: SharedText(
                box,
                lambda typed, base, k=key: classroom.set_plan_text(
                    self.scope, self._plan_id(), k, typed, base
                ),
                indicator,
                f"plan:none:{key}",
            )
            for key, box in self.boxes.items()
        }
        self.groups_info = text_block()
        self.groups_info.add_class("collab-plan-groups-info")
        self.segments = stacked()
        self.segments.add_class("collab-plan-segments")
        self.total = text_block()
        add = button("Add a task", "Add a task at the end of the plan", name="add-task")
        add.on_click(guard(lambda _b: self._add_segment()))

        self.version_label = widgets.Text(
            description="Version name", placeholder="e.g. Before the research lesson"
        )
        keep = form_button(
            "Keep this version",
            "Keep the plan as it is now, to compare with later",
            [self.version_label],
            name="keep-version",
        )
        keep.on_click(guard(lambda _b: self._keep_version()))
        self.older = widgets.Dropdown(description="Compare", options=[])
        self.newer = widgets.Dropdown(description="with", options=[])
        for d in (self.older, self.newer):
            d.observe(redraw(lambda _c: self._show_changes()), "value")
        self.changes = text_block()
        self.changes.add_class("collab-plan-changes")
        self.downloads = text_block()
        self.printed: PlanContent | None = None  # what the download links hold
        make = button(
            "Make the printable plan", "Links to the plan as it is now", name="print-plan"
        )
        make.on_click(guard(lambda _b: self._print()))

        self.body = stacked(
            [
                self.standard,
                *(self._section(key) for key in rules.SECTIONS),
                heading("Tasks in order", 4),
                note("Each task with its minutes; with two adults, how they share it."),
                text_block(approaches_html(self.library.sorted())),
                self.segments,
                self.total,
                add,
                heading("Versions", 4),
                side_by_side([self.version_label, keep]),
                side_by_side([self.older, self.newer]),
                self.changes,
                heading("Print or share", 4),
                make,
                self.downloads,
            ]
        )
        self.empty = note("No plan yet: give it a name and start one.")
        super().__init__(
            [
                heading("Plan a lesson together"),
                note(
                    "Everyone writes at once, on their own device; every section is saved as "
                    "you type. If two people change the same words, both texts are kept and "
                    "you choose."
                ),
                side_by_side([self.choice]),
                side_by_side([self.new_title, create]),
                self.empty,
                self.body,
            ]
        )
        self.add_class("collab-co-plan")
        # a teammate's typing shows as it is saved; the cycle's figures (its standards, its
        # groups) are read when the page opens or another plan is chosen, not on each change
        self.loop = LiveLoop(
            scope.revision,
            redraw(lambda: self.refresh(live=True)),
            on_error=status.error,
        )

    def _section(self, key: str) -> widgets.Widget:
        if key == "groups":
            return stacked([self.groups_info, self.sections[key].view])
        return self.sections[key].view

    # --- drawing --------------------------------------------------------------------------

    def refresh(self, live: bool = False) -> None:
        self.loop.seen = self.scope.revision()
        plans = classroom.plans(self.scope)
        self.filling = True
        try:
            refill(self.choice, [(p.title, p.id) for p in plans])
        finally:
            self.filling = False
        self.plan = next((p for p in plans if p.id == self.choice.value), None)
        set_shown(self.empty, self.plan is None)
        set_shown(self.body, self.plan is not None)
        if self.plan is None:
            return
        self._draw(self.plan, live)
        self.loop.start()

    def _draw(self, plan: CoPlan, live: bool) -> None:
        if not live or self.drawn != plan.id:
            self._draw_cycle(plan)
        for key, shared in self.sections.items():
            shared.load(plan.sections[key], f"plan:{plan.id}:{key}")
        self._draw_segments(plan)
        self._draw_versions(plan)

    def _draw_cycle(self, plan: CoPlan) -> None:
        self.drawn = plan.id
        cycle = cycle_links.current_cycle(self.scope)
        standards = cycle_links.essential_standards(self.scope, cycle)
        if plan.standard and plan.standard not in standards:
            standards.append(plan.standard)
        self.filling = True
        try:
            refill(
                self.standard,
                [("Choose one of the cycle's essential standards", "")]
                + [(s, s) for s in standards],
                keep=plan.standard,
            )
        finally:
            self.filling = False
        lines = cycle_links.groups_lines(self.scope, cycle)
        self.groups_info.value = note_html(lines[0]) + (
            "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines[1:]) + "</ul>"
            if len(lines) > 1
            else ""
        )

    def _draw_segments(self, plan: CoPlan) -> None:
        shown = []
        for index, segment in enumerate(plan.segments):
            row = self.rows.get(segment.id)
            if row is None:
                row = self.rows[segment.id] = SegmentRow(self, segment)
            row.load(segment, index)
            shown.append(row)
        gone = [i for i in self.rows if i not in {s.id for s in plan.segments}]
        for segment_id in gone:
            self.rows.pop(segment_id).close()
        self.segments.children = shown
        minutes = sum(s.minutes for s in plan.segments)
        self.total.value = (
            f"<p><b>{minutes} minutes</b> in all.</p>"
            if plan.segments
            else note_html("No tasks yet.")
        )

    def _draw_versions(self, plan: CoPlan) -> None:
        kept = classroom.versions(self.scope, plan.id)
        self.kept = {v.number: v for v in kept}
        options = [(f"{v.number}. {v.label}", v.number) for v in kept]
        now = [("The plan as it is now", 0)]
        self.filling = True
        try:
            refill(self.older, options or now, keep=kept[-2].number if len(kept) > 1 else None)
            refill(self.newer, now + options[::-1], keep=0)
        finally:
            self.filling = False
        self._show_changes()
        if self.printed != plan.content():  # links to an older text are taken away
            self.downloads.value = ""
            self.printed = None

    def _print(self) -> None:
        """Links to the plan as it is now: a printable page and Markdown. Made on request:
        each holds the whole file, too much to send again with every teammate's change."""
        plan = self.plan
        if plan is None:
            return
        content = plan.content()
        kept = classroom.versions(self.scope, plan.id)
        label = f"Version {kept[-1].number}: {kept[-1].label}" if kept else "Draft"
        if kept and kept[-1].content != content:
            label += ", with changes since"
        team = self.scope.team_name
        name = "".join(ch if ch.isalnum() else "-" for ch in plan.title).strip("-") or "plan"
        self.downloads.value = (
            download_link(
                "Download the plan (printable page)",
                f"{name}.html",
                "text/html",
                plan_html(team, content, label, self.approach_names).encode(),
                "collab-download",
            )
            + " · "
            + download_link(
                "Download as Markdown",
                f"{name}.md",
                "text/markdown",
                plan_markdown(team, content, label, self.approach_names).encode(),
                "collab-download",
            )
        )
        self.printed = content

    def _show_changes(self) -> None:
        if self.filling or self.plan is None:
            return
        if not getattr(self, "kept", None):
            self.changes.value = note_html("Keep a version to compare it with later ones.")
            return

        def content(number):
            return self.plan.content() if number == 0 else self.kept[number].content

        older, newer = content(self.older.value), content(self.newer.value)
        self.changes.value = rules.changes_html(rules.compare(older, newer, self.approach_names))

    def _plan_id(self) -> int:
        if self.plan is None:
            raise NotFound(classroom.PLAN_GONE)
        return self.plan.id

    # --- actions --------------------------------------------------------------------------

    def _create(self) -> None:
        cycle = cycle_links.current_cycle(self.scope)
        plan_id = classroom.create_plan(
            self.scope, self.new_title.value, cycle.id if cycle else None
        )
        self.new_title.value = ""
        self.filling = True
        try:
            self.choice.options = [*self.choice.options, ("", plan_id)]
            self.choice.value = plan_id
        finally:
            self.filling = False
        self.refresh()
        self.status.ok("The plan is started: everyone on the team can write in it now.")

    def _standard_chosen(self) -> None:
        if self.filling or self.plan is None:
            return
        classroom.set_standard(self.scope, self.plan.id, self.standard.value or "")
        self.indicator.saved(f"plan-standard:{self.plan.id}")

    def _add_segment(self) -> None:
        if self.plan is None:
            return
        classroom.add_segment(self.scope, self.plan.id)
        self.refresh()

    def move(self, segment_id: int, by: int) -> None:
        classroom.move_segment(self.scope, segment_id, by)
        self.refresh()

    def remove(self, segment_id: int) -> None:
        classroom.delete_segment(self.scope, segment_id)
        self.refresh()

    def _keep_version(self) -> None:
        if self.plan is None:
            return
        number = classroom.save_version(self.scope, self.plan.id, self.version_label.value)
        self.version_label.value = ""
        self.refresh()
        self.status.ok(f"Version {number} is kept.")

    def close_live(self) -> None:
        self.loop.stop()
