"""What the goals screens show, held apart from their widgets: the cycle chosen, the
chosen cycle's dates and stage, and the goal being written (its draft, the baseline's
assessment and group, the versions compared). Each screen binds its widgets to one of
these objects (``traitlets.link``) and is a view of it, so these rules are tested
without widgets.

Two kinds of change reach a state: the visitor's edits, and the page showing what the
store holds. Only edits should save or redraw, so the page sets stored values inside
:meth:`ScreenState.loading` (the ``show`` methods do), and a screen hears edits through
:meth:`ScreenState.on_edit`, which does not call back while a load is under way.
"""

from __future__ import annotations

import datetime as dt

from traitlets import Any, Instance, Int, Unicode, observe

from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.state import ScreenState
from collab_widgets.goals import smart
from collab_widgets.goals.model import (
    CYCLE_STAGES,
    MEASURES,
    Cycle,
    Goal,
    GoalDraft,
)

# the draft's fields typed or chosen on the page (its other fields come with the baseline)
TEXT_FIELDS = (
    "group",
    "learning_target",
    "baseline",
    "group_size",
    "target",
    "by_date",
    "tolerance",
)
CHOICE_FIELDS = ("measure", "band")
DRAFT_FIELDS = TEXT_FIELDS + CHOICE_FIELDS


class CycleChoice(ScreenState):
    """The cycle a goals page works on (None until one is planned)."""

    cycle_id = Int(None, allow_none=True)


class CycleDetails(ScreenState):
    """The chosen cycle's dates and stage, as shown on its tab."""

    cycle_id = Int(None, allow_none=True)  # the cycle shown: its answers are saved to it
    starts = Instance(dt.date, allow_none=True)
    ends = Instance(dt.date, allow_none=True)
    stage = Unicode(CYCLE_STAGES[0])

    def show(self, cycle: Cycle | None) -> None:
        with self.loading():
            self.cycle_id = None if cycle is None else cycle.id
            if cycle is not None:
                self.starts, self.ends, self.stage = cycle.starts_on, cycle.ends_on, cycle.stage

    def details(self) -> tuple[dt.date, dt.date, str]:
        """The dates and stage to store, or InvalidInput while a date is not chosen."""
        if self.starts is None or self.ends is None:
            raise InvalidInput("Choose both dates of the cycle.")
        return self.starts, self.ends, self.stage


class GoalBuilderState(ScreenState):
    """The goal being written: the one chosen, its draft as on the page, where its
    baseline came from, and the two versions compared."""

    cycle = Instance(Cycle, allow_none=True)
    context = Instance(smart.GoalContext, allow_none=True)  # what the checks compare with
    goal_id = Int(None, allow_none=True)  # the goal chosen in the list
    goal = Instance(Goal, allow_none=True)  # the goal whose draft this is
    group = Unicode()
    learning_target = Unicode()
    baseline = Unicode()
    group_size = Unicode()
    target = Unicode()
    by_date = Unicode()
    tolerance = Unicode()
    measure = Unicode("", allow_none=True)  # None while its list is being refilled
    band = Unicode("", allow_none=True)
    baseline_assessment_id = Int(None, allow_none=True)  # while the baseline is its figure
    group_column = Unicode(None, allow_none=True)  # the group taken with the baseline
    group_value = Unicode(None, allow_none=True)
    source = Int(None, allow_none=True)  # the assessment to measure the baseline on
    students = Any((None, None))  # which of its students: (column, value)
    older = Int(None, allow_none=True)  # the versions compared
    newer = Int(None, allow_none=True)

    def show(self, goal: Goal | None, draft: GoalDraft | None = None) -> None:
        """The stored goal (None: no goal chosen) and, with its draft, the draft's choices
        and where its baseline came from; a choice the page does not offer (a band the
        team no longer has, an assessment gone) shows as none. The draft's typed text is
        shown by the screen's shared boxes, which never replace unsaved typing. Call it
        once :attr:`context` is set."""
        with self.loading():
            self.goal = goal
            if draft is None:
                return
            self.measure = draft.measure if draft.measure in MEASURES else ""
            self.band = draft.band if draft.band in self.context.band_names else ""
            taken_from = draft.baseline_assessment_id
            self.source = taken_from if taken_from in self.context.assessments else None
            self.took_baseline(taken_from, draft.group_column, draft.group_value)

    def took_baseline(
        self, assessment_id: int | None, column: str | None, value: str | None
    ) -> None:
        """The baseline is the figure of ``assessment_id`` (None: typed), for the group
        ``column`` = ``value`` of its students (None: all of them)."""
        with self.loading():
            self.baseline_assessment_id = assessment_id
            self.group_column, self.group_value = column, value

    @observe("baseline")
    def _typed_over(self, _change) -> None:
        # a baseline typed over is no longer the assessment's figure
        if not self.is_loading:
            self.baseline_assessment_id = None

    def draft(self) -> GoalDraft:
        return GoalDraft(
            **{name: getattr(self, name) or "" for name in DRAFT_FIELDS},
            baseline_assessment_id=self.baseline_assessment_id,
            group_column=self.group_column,
            group_value=self.group_value,
        )

    def tied_to(self, name: str) -> dict:
        """What is saved with a typed field: the baseline says whether it is still the
        assessment's figure."""
        return {"baseline_assessment_id": self.baseline_assessment_id} if name == "baseline" else {}

    def findings(self) -> dict[str, list[smart.Finding]]:
        """What each field lacks or gets wrong."""
        return smart.by_field(smart.check(self.draft(), self.context))

    def version_numbers(self) -> list[int]:
        return [v.version for v in self.goal.versions] if self.goal else []

    def newest_two(self) -> tuple[int | None, int | None]:
        """The versions first compared: the two newest (none while there are fewer)."""
        numbers = self.version_numbers()
        return (numbers[-2], numbers[-1]) if len(numbers) >= 2 else (None, None)

    def comparison(self) -> list[tuple[str, str, str]] | None:
        """The fields the two chosen versions differ in; None while two are not chosen."""
        versions = {v.version: v for v in self.goal.versions} if self.goal else {}
        if len(versions) < 2 or self.older not in versions or self.newer not in versions:
            return None
        return smart.differences(versions[self.older].draft, versions[self.newer].draft)
