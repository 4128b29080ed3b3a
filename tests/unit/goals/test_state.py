"""The goals screens' state without a widget: what the page loads is no edit, a box bound
to the state follows it both ways, the goal's draft and checks come from the state, a
baseline typed over is no longer its assessment's, and the versions compared."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys

import pytest
from traitlets import HasTraits, Int, Unicode

from collab_widgets.core.errors import InvalidInput
from collab_widgets.goals import smart
from collab_widgets.goals.model import (
    COUNT_AT_BAND,
    Cycle,
    Goal,
    GoalDraft,
    GoalVersion,
)
from collab_widgets.goals.state import (
    DRAFT_FIELDS,
    TEXT_FIELDS,
    CycleChoice,
    CycleDetails,
    GoalBuilderState,
    ScreenState,
)
from tests.unit.goals.goal_drafts import CONTEXT, VALID

SAVED_AT = dt.datetime(2026, 10, 15, 15, 0, tzinfo=dt.UTC)


# the shared valid draft, for one teacher's students
DRAFT = dataclasses.replace(VALID, group_column="teacher", group_value="Lee")


CYCLE = Cycle(
    id=3,
    title="Unit 3: fractions",
    starts_on=dt.date(2026, 10, 1),
    ends_on=dt.date(2026, 12, 18),
    stage="teaching",
    must_learn="",
    how_know="",
    respond="",
    extend="",
)


class Box(HasTraits):
    """Stands in for a widget: something with a value."""

    value = Unicode()


class Counter(ScreenState):
    count = Int(0)


def goal(*drafts: GoalDraft) -> Goal:
    versions = tuple(
        GoalVersion(n, draft, smart.statement(draft), SAVED_AT, "Ana")
        for n, draft in enumerate(drafts, start=1)
    )
    return Goal(id=11, cycle_id=CYCLE.id, versions=versions, checkpoints=(), created_at=SAVED_AT)


def shown(draft: GoalDraft = DRAFT, *versions: GoalDraft) -> GoalBuilderState:
    """The state after the page loaded ``draft`` (the typed text the way the shared boxes
    put it there: inside the load)."""
    state = GoalBuilderState(context=CONTEXT, goal_id=11)
    with state.loading():
        state.show(goal(*versions), draft)
        for name in TEXT_FIELDS:
            setattr(state, name, getattr(draft, name))
    return state


def test_the_state_is_used_without_loading_widgets():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, collab_widgets.goals.state; print('ipywidgets' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"


def test_an_edit_calls_back_and_a_load_does_not():
    state, heard = Counter(), []
    state.on_edit(lambda change: heard.append(change["new"]), "count")
    state.count = 1
    with state.loading():
        state.count = 2
        with state.loading():  # a load inside another
            state.count = 3
        state.count = 4  # still the outer load
    assert not state.is_loading
    state.count = 5
    assert heard == [1, 5]


def test_a_load_that_fails_still_ends():
    state, heard = Counter(), []
    state.on_edit(lambda change: heard.append(change["new"]), "count")
    with pytest.raises(RuntimeError), state.loading():
        state.count = 1
        raise RuntimeError("the store could not be read")
    state.count = 2
    assert heard == [2]


def test_a_bound_box_and_the_state_follow_each_other():
    box, state = Box(value="typed"), GoalBuilderState()
    state.bind(box, "group")
    assert state.group == "typed"  # the state starts from the box
    box.value = "all our students"
    assert state.group == "all our students"
    state.group = "ELL students"
    assert box.value == "ELL students"


def test_the_cycle_chosen_starts_empty():
    assert CycleChoice().cycle_id is None


def test_a_cycle_shown_is_no_edit_and_its_details_are_what_is_stored():
    state, heard = CycleDetails(), []
    state.on_edit(heard.append, ["starts", "ends", "stage"])
    state.show(CYCLE)
    assert heard == []
    assert state.cycle_id == CYCLE.id
    assert state.details() == (CYCLE.starts_on, CYCLE.ends_on, "teaching")
    state.stage = "assessing"
    assert [change["new"] for change in heard] == ["assessing"]
    state.show(None)
    assert state.cycle_id is None


def test_cycle_details_without_a_date_are_refused_in_plain_words():
    state = CycleDetails()
    state.show(CYCLE)
    state.ends = None
    with pytest.raises(InvalidInput, match="Choose both dates of the cycle."):
        state.details()


def test_the_draft_is_the_state_as_shown():
    state = shown()
    assert state.draft() == DRAFT
    assert state.findings() == {}


def test_a_choice_not_offered_shows_as_none():
    stale = dataclasses.replace(
        DRAFT, measure="median", band="Excellent", baseline_assessment_id=99
    )
    state = shown(stale)
    assert (state.measure, state.band, state.source) == ("", "", None)
    # the draft keeps where its baseline came from: the checks say it is gone
    assert state.baseline_assessment_id == 99
    assert "no longer there" in state.findings()["baseline"][0].message


def test_a_band_the_team_has_is_shown_and_the_source_is_the_baselines_assessment():
    counted = dataclasses.replace(DRAFT, measure=COUNT_AT_BAND, band="Meeting")
    state = shown(counted)
    assert (state.measure, state.band, state.source) == (COUNT_AT_BAND, "Meeting", 7)


def test_a_baseline_typed_over_is_no_longer_the_assessments():
    state = shown()
    assert state.tied_to("baseline") == {"baseline_assessment_id": 7}
    assert state.tied_to("target") == {}
    state.baseline = "55"
    assert state.baseline_assessment_id is None
    assert state.tied_to("baseline") == {"baseline_assessment_id": None}
    assert state.draft().baseline == "55"


def test_a_baseline_taken_from_an_assessment_stays_its_figure():
    state = shown(dataclasses.replace(DRAFT, baseline_assessment_id=None))
    with state.loading():
        state.took_baseline(7, None, None)
        state.baseline = "42.5"
    assert state.draft().baseline_assessment_id == 7
    assert (state.group_column, state.group_value) == (None, None)


def test_edits_redraw_and_loads_do_not():
    state, heard = shown(), []
    state.on_edit(lambda change: heard.append(change["name"]), list(DRAFT_FIELDS))
    with state.loading():
        state.show(goal(), dataclasses.replace(DRAFT, measure=COUNT_AT_BAND))
        state.target = "80"
    state.target = "abc"
    assert heard == ["target"]
    assert [f.kind for f in state.findings()["target"]] == [smart.WRONG]


def test_a_dropdown_passing_through_none_reads_as_nothing_chosen():
    state = shown()
    with state.loading():
        state.measure = None  # as ipywidgets does while a list's options change
    assert state.draft().measure == ""


def test_the_two_newest_versions_are_compared_first():
    first, second, third = DRAFT, dataclasses.replace(DRAFT, target="80"), DRAFT
    state = shown(DRAFT, first, second, third)
    assert state.version_numbers() == [1, 2, 3]
    assert state.newest_two() == (2, 3)
    state.older, state.newer = state.newest_two()
    assert state.comparison() == [("Target", "80", "75")]
    state.older = 1
    assert state.comparison() == []  # the same


def test_with_fewer_than_two_versions_nothing_is_compared():
    assert shown().newest_two() == (None, None)
    state = shown(DRAFT, DRAFT)
    state.older = state.newer = 1
    assert state.newest_two() == (None, None)
    assert state.comparison() is None
    state = shown(DRAFT, DRAFT, DRAFT)
    state.older = 9  # a version this goal does not have
    state.newer = 2
    assert state.comparison() is None
    state.show(None)
    assert state.comparison() is None and state.version_numbers() == []
