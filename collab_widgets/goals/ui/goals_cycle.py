"""The cycle a goal page works on (chosen above the tabs, or a new one planned), and the
"Four questions" tab: the cycle's dates and stage, the team's answers to the four critical
questions saved as typed, its common assessments, and the question 3 and 4 groups of the
latest one."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.ui.autosave import SharedText
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import button, heading, note, refill
from collab_widgets.evidence import store as evidence_store
from collab_widgets.goals import goal_state as team
from collab_widgets.goals import store
from collab_widgets.goals.model import CYCLE_STAGES, Cycle

CYCLE_WEEKS = 6  # a new cycle's suggested length
QUESTION_LABELS = {
    "must_learn": "1. What must students learn? (essential standards, learning targets)",
    "how_know": "2. How will we know they have learned it? (common assessments)",
    "respond": "3. How will we respond when some do not learn it? (intervention)",
    "extend": "4. How will we extend learning for those who already have? (extension)",
}


def cycle_label(cycle: Cycle) -> str:
    return f"{cycle.title} ({cycle.starts_on:%d %b} – {cycle.ends_on:%d %b %Y}, {cycle.stage})"


class CycleChooser(widgets.VBox):
    """Which cycle the tabs show; ``on_change`` runs when another is chosen or made."""

    def __init__(self, scope: TeamScope, status: StatusLine, on_change: Callable[[], None]):
        self.scope = scope
        self.status = status
        self.on_change = on_change
        self.filling = False
        self.choice = widgets.Dropdown(description="Cycle", layout=widgets.Layout(width="100%"))
        self.choice.add_class("collab-cycle-choice")
        self.choice.observe(guarded(status)(self._chose), "value")
        today = team.today(scope)
        self.title = widgets.Text(description="New cycle", placeholder="e.g. Unit 3: fractions")
        self.title.add_class("collab-new-cycle-title")
        self.starts = widgets.DatePicker(description="Starts", value=today)
        self.ends = widgets.DatePicker(
            description="Ends", value=today + dt.timedelta(weeks=CYCLE_WEEKS)
        )
        create = button("Plan this cycle", "Start a new cycle of inquiry", name="new-cycle")
        create.on_click(guarded(status)(lambda _b: self._create()))
        self.new = widgets.HBox([self.title, self.starts, self.ends, create])
        self.new.layout.flex_flow = "row wrap"
        super().__init__([self.choice, self.new])
        self.refresh()

    @property
    def cycle_id(self) -> int | None:
        return self.choice.value

    def refresh(self) -> None:
        cycles = store.cycles(self.scope)
        self.filling = True
        try:
            refill(self.choice, [(cycle_label(c), c.id) for c in cycles])
        finally:
            self.filling = False
        self.choice.layout.display = None if cycles else "none"

    def _chose(self, _change) -> None:
        if not self.filling:
            self.on_change()

    def _create(self) -> None:
        if self.starts.value is None or self.ends.value is None:
            raise InvalidInput("Choose the cycle's start and end dates.")
        cycle_id = store.create_cycle(
            self.scope, self.title.value, self.starts.value, self.ends.value
        )
        self.title.value = ""
        self.refresh()
        self.filling = True
        try:
            self.choice.value = cycle_id
        finally:
            self.filling = False
        self.on_change()
        self.status.ok("The cycle is planned. Answer the four questions, then write a goal.")


class CyclePanel(widgets.VBox):
    """The chosen cycle: dates and stage, the four questions, its assessments, groups."""

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
        self.cycle_shown: int | None = None
        self.empty = note("Plan a cycle above to begin: its dates, then the four questions.")
        self.title = widgets.Text(description="Title", layout=widgets.Layout(width="100%"))
        self.starts = widgets.DatePicker(description="Starts")
        self.ends = widgets.DatePicker(description="Ends")
        self.stage = widgets.Dropdown(description="Stage", options=CYCLE_STAGES)
        self.stage.add_class("collab-cycle-stage")
        for control in (self.starts, self.ends, self.stage):
            control.observe(guarded(status)(self._details_changed), "value")
        self.shared: dict[str, SharedText] = {
            "title": SharedText(self.title, self._retitle, indicator, "cycle:none:title")
        }
        self.answers = {}
        for number, question in enumerate(QUESTION_LABELS, start=1):
            box = widgets.Textarea(
                description=f"Answer {number}",
                placeholder="Type here; it is saved as you type.",
                layout=widgets.Layout(width="100%", height="80px"),
            )
            box.add_class(f"collab-question-{question}")
            self.answers[question] = box
            self.shared[question] = SharedText(
                box,
                lambda typed, base, q=question: store.set_answer(
                    self.scope, self.cycle_shown, q, typed, base
                ),
                indicator,
                f"cycle:none:{question}",
            )
        self.linked = widgets.VBox()
        self.linked.add_class("collab-cycle-assessments")
        self.groups = widgets.HTML()
        self.groups.add_class("collab-cycle-groups")
        self.details = widgets.VBox(
            [
                widgets.HBox([self.starts, self.ends, self.stage]),
                self.shared["title"].view,
                *self._question(0),
                *self._question(1),
                note("The cycle's common assessments (saved in the Evidence workbook):"),
                self.linked,
                *self._question(2),
                *self._question(3),
                heading("Groups for questions 3 and 4", 4),
                self.groups,
            ]
        )
        super().__init__([self.empty, self.details])
        self.add_class("collab-cycle")

    def _question(self, number: int) -> list[widgets.Widget]:
        question = list(QUESTION_LABELS)[number]
        return [
            widgets.HTML(f"<b>{html.escape(QUESTION_LABELS[question])}</b>"),
            self.shared[question].view,
        ]

    def refresh(self) -> None:
        for shared in self.shared.values():
            shared.debouncer.flush()  # into the cycle it was typed for
        cycle_id = self.cycle_shown = self.chooser.cycle_id
        self.empty.layout.display = None if cycle_id is None else "none"
        self.details.layout.display = "none" if cycle_id is None else None
        if cycle_id is None:
            return
        cycle = store.get_cycle(self.scope, cycle_id)
        self.filling = True
        try:
            self.starts.value, self.ends.value = cycle.starts_on, cycle.ends_on
            self.stage.value = cycle.stage
        finally:
            self.filling = False
        for field, shared in self.shared.items():
            shared.load(getattr(cycle, field), f"cycle:{cycle_id}:{field}")
        self._show_assessments(cycle)

    def _show_assessments(self, cycle: Cycle) -> None:
        boxes = []
        for info in evidence_store.assessments(self.scope):
            box = widgets.Checkbox(
                value=info.id in cycle.assessment_ids,
                description=f"{info.name} ({info.students} "
                f"{'student' if info.students == 1 else 'students'})",
                indent=False,
            )
            box.observe(
                guarded(self.status)(
                    lambda change, i=info.id: self._link(cycle.id, i, change["new"])
                ),
                "value",
            )
            boxes.append(box)
        self.linked.children = boxes or [note("No assessment is saved yet.")]
        self._show_groups(cycle)

    def _show_groups(self, cycle: Cycle) -> None:
        summary = team.groups_summary(self.scope, cycle)
        self.groups.value = "".join(f"<p>{html.escape(line)}</p>" for line in summary)

    def _link(self, cycle_id: int, assessment_id: int, linked: bool) -> None:
        store.link_assessment(self.scope, cycle_id, assessment_id, linked)
        # the groups come from the cycle's latest linked assessment: shown again at once
        self._show_groups(store.get_cycle(self.scope, cycle_id))

    def _retitle(self, typed: str, base: str) -> None:
        store.set_cycle_title(self.scope, self.cycle_shown, typed, base)
        self.chooser.refresh()  # the new title in the list of cycles

    def _details_changed(self, _change) -> None:
        if self.filling or self.chooser.cycle_id is None:
            return
        if self.starts.value is None or self.ends.value is None:
            raise InvalidInput("Choose both dates of the cycle.")
        store.update_cycle(
            self.scope,
            self.chooser.cycle_id,
            None,  # the title is saved as typed, on its own (``_retitle``)
            self.starts.value,
            self.ends.value,
            self.stage.value,
        )
        self.chooser.refresh()
