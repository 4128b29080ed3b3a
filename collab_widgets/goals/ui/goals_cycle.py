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
from collab_widgets.core.ui.layout import (
    form_button,
    heading,
    note,
    refill,
    replace_children,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.evidence import store as evidence_store
from collab_widgets.goals import store, team_goal
from collab_widgets.goals.model import CYCLE_STAGES, Cycle
from collab_widgets.goals.state import CycleChoice, CycleDetails

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
    """Which cycle the tabs show (a view of :class:`CycleChoice`); ``on_change`` runs
    when another is chosen or made."""

    def __init__(self, scope: TeamScope, status: StatusLine, on_change: Callable[[], None]):
        self.scope = scope
        self.status = status
        self.on_change = on_change
        self.state = CycleChoice()
        self.choice = widgets.Dropdown(description="Cycle", layout=widgets.Layout(width="100%"))
        self.choice.add_class("collab-cycle-choice")
        self.state.bind(self.choice, "cycle_id")
        self.state.on_edit(guarded(status)(lambda _c: self.on_change()), "cycle_id")
        today = team_goal.today(scope)
        self.title = widgets.Text(description="New cycle", placeholder="e.g. Unit 3: fractions")
        self.title.add_class("collab-new-cycle-title")
        self.starts = widgets.DatePicker(description="Starts", value=today)
        self.ends = widgets.DatePicker(
            description="Ends", value=today + dt.timedelta(weeks=CYCLE_WEEKS)
        )
        create = form_button(
            "Plan this cycle", "Start a new cycle of inquiry", [self.title], name="new-cycle"
        )
        create.on_click(guarded(status)(lambda _b: self._create()))
        self.new = side_by_side([self.title, self.starts, self.ends, create], flex_flow="row wrap")
        super().__init__([self.choice, self.new])
        self.refresh()

    @property
    def cycle_id(self) -> int | None:
        return self.state.cycle_id

    def refresh(self) -> None:
        cycles = store.cycles(self.scope)
        with self.state.loading():
            refill(self.choice, [(cycle_label(c), c.id) for c in cycles])
        set_shown(self.choice, cycles)

    def _create(self) -> None:
        if self.starts.value is None or self.ends.value is None:
            raise InvalidInput("Choose the cycle's start and end dates.")
        cycle_id = store.create_cycle(
            self.scope, self.title.value, self.starts.value, self.ends.value
        )
        self.title.value = ""
        self.refresh()
        with self.state.loading():
            self.state.cycle_id = cycle_id
        self.on_change()
        self.status.ok("The cycle is planned. Answer the four questions, then write a goal.")


class CyclePanel(widgets.VBox):
    """The chosen cycle: dates and stage (a view of :class:`CycleDetails`), the four
    questions, its assessments, groups."""

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
        self.state = CycleDetails()
        self.empty = note("Plan a cycle above to begin: its dates, then the four questions.")
        self.title = widgets.Text(description="Title", layout=widgets.Layout(width="100%"))
        self.starts = widgets.DatePicker(description="Starts")
        self.ends = widgets.DatePicker(description="Ends")
        self.stage = widgets.Dropdown(description="Stage", options=CYCLE_STAGES)
        self.stage.add_class("collab-cycle-stage")
        for control, name in ((self.starts, "starts"), (self.ends, "ends"), (self.stage, "stage")):
            self.state.bind(control, name)
        self.state.on_edit(guarded(status)(self._details_changed), ["starts", "ends", "stage"])
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
                    self.scope, self.state.cycle_id, q, typed, base
                ),
                indicator,
                f"cycle:none:{question}",
            )
        self.linked = stacked()
        self.linked.add_class("collab-cycle-assessments")
        self.groups = text_block()
        self.groups.add_class("collab-cycle-groups")
        self.details = stacked(
            [
                side_by_side([self.starts, self.ends, self.stage]),
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
            text_block(f"<b>{html.escape(QUESTION_LABELS[question])}</b>"),
            self.shared[question].view,
        ]

    def refresh(self) -> None:
        for shared in self.shared.values():
            shared.debouncer.flush()  # into the cycle it was typed for
        cycle_id = self.chooser.cycle_id
        set_shown(self.empty, cycle_id is None)
        set_shown(self.details, cycle_id is not None)
        cycle = None if cycle_id is None else store.get_cycle(self.scope, cycle_id)
        self.state.show(cycle)
        if cycle is None:
            return
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
        replace_children(self.linked, boxes or [note("No assessment is saved yet.")])
        self._show_groups(cycle)

    def _show_groups(self, cycle: Cycle) -> None:
        summary = team_goal.groups_summary(self.scope, cycle)
        self.groups.value = "".join(f"<p>{html.escape(line)}</p>" for line in summary)

    def _link(self, cycle_id: int, assessment_id: int, linked: bool) -> None:
        store.link_assessment(self.scope, cycle_id, assessment_id, linked)
        # the groups come from the cycle's latest linked assessment: shown again at once
        self._show_groups(store.get_cycle(self.scope, cycle_id))

    def _retitle(self, typed: str, base: str) -> None:
        store.set_cycle_title(self.scope, self.state.cycle_id, typed, base)
        self.chooser.refresh()  # the new title in the list of cycles

    def _details_changed(self, _change) -> None:
        if self.chooser.cycle_id is None:
            return
        starts, ends, stage = self.state.details()
        # the title is saved as typed, on its own (``_retitle``): None keeps it
        store.update_cycle(self.scope, self.chooser.cycle_id, None, starts, ends, stage)
        self.chooser.refresh()
