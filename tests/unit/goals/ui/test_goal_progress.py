"""The Progress tab: which goals it follows, each goal's status, chart and checkpoints, and
checkpoints added from an assessment or typed (with a plain message when one cannot be)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.evidence import saved
from collab_widgets.evidence.scores import read_scores
from collab_widgets.goals import store
from collab_widgets.goals.model import GoalDraft
from collab_widgets.goals.ui.goal_progress import ProgressPanel
from tests.unit.widget_helpers import BUTTONS, find

SCORES = Path(__file__).resolve().parents[4] / "sample_data" / "scores"
PERCENT_GOAL = GoalDraft(
    group="all our students",
    learning_target="compare fractions",
    measure="average percent correct",
    baseline="40",
    target="70",
    by_date="2026-12-10",
)


def panel(scope, cycle_id) -> ProgressPanel:
    chooser = SimpleNamespace(cycle_id=cycle_id)  # all the panel reads of the cycle chooser
    made = ProgressPanel(scope, StatusLine(), chooser)
    made.refresh()
    return made


def cycle(scope) -> int:
    return store.create_cycle(scope, "Unit 3", dt.date(2026, 10, 1), dt.date(2026, 12, 18))


def saved_goal(scope, cycle_id, draft=PERCENT_GOAL, statement="Fractions <b>up</b>") -> int:
    goal_id = store.new_goal(scope, cycle_id, draft)
    store.save_version(scope, goal_id, draft, statement)
    return goal_id


def click(made: ProgressPanel, words: str) -> None:
    [found] = find(made, BUTTONS, lambda b: b.description == words)
    found.click()


def test_without_a_saved_goal_the_tab_says_what_to_do(sqlite_team):
    ana = sqlite_team.member(0)
    for cycle_id in (None, cycle(ana)):
        made = panel(ana, cycle_id)
        assert made.empty.layout.display is None and made.body.layout.display == "none"
        assert "Save a version of a goal (SMART goal tab)" in made.empty.value
    store.new_goal(ana, store.cycles(ana)[0].id)  # a goal still a draft: not followed yet
    assert panel(ana, store.cycles(ana)[0].id).goal.options == ()


def test_only_saved_goals_are_offered_numbered_as_in_the_cycle(sqlite_team):
    ana = sqlite_team.member(0)
    cycle_id = cycle(ana)
    store.new_goal(ana, cycle_id)  # goal 1, a draft
    second = saved_goal(ana, cycle_id)
    made = panel(ana, cycle_id)
    assert made.goal.options == (("Goal 2 (version 1): Fractions <b>up</b>", second),)
    assert made.body.layout.display is None


def test_a_goal_without_checkpoints_shows_its_line_status_and_says_so(sqlite_team):
    ana = sqlite_team.member(0)
    made = panel(ana, cycle(ana))
    saved_goal(ana, made.chooser.cycle_id)
    made.refresh()
    assert "collab-status-not-started" in made.state.value
    assert made.table.value == "<p class='collab-note'>No checkpoint yet.</p>"
    assert made.chart.image.layout.display is None


def test_a_goal_without_a_target_explains_why_there_is_no_chart(sqlite_team):
    ana = sqlite_team.member(0)
    cycle_id = cycle(ana)
    saved_goal(ana, cycle_id, GoalDraft(group="all", measure="average percent correct"))
    made = panel(ana, cycle_id)
    assert made.chart.image.layout.display == "none"
    assert "once the goal has a baseline, a target and a date" in made.chart.caption.value


def test_a_typed_checkpoint_is_saved_shown_with_its_unit_and_the_boxes_emptied(sqlite_team):
    ana = sqlite_team.member(0)
    cycle_id = cycle(ana)
    goal_id = saved_goal(ana, cycle_id)
    made = panel(ana, cycle_id)
    made.when.value, made.value.value, made.note.value = "2026-10-14", "52", "exit <i>ticket</i>"
    click(made, "Add this checkpoint")
    [checkpoint] = store.get_goal(ana, goal_id).checkpoints
    assert (checkpoint.taken_on, checkpoint.value) == (dt.date(2026, 10, 14), 52)
    assert "<td>14 Oct 2026</td><td>52%</td><td>exit &lt;i&gt;ticket&lt;/i&gt;</td>" in (
        made.table.value
    )
    assert (made.when.value, made.value.value, made.note.value) == ("", "", "")
    assert "Checkpoint added." in made.status.value


def test_a_checkpoint_from_an_assessment_measures_the_goals_group_on_it(sqlite_team):
    ana = sqlite_team.member(0)
    cycle_id = cycle(ana)
    goal_id = saved_goal(ana, cycle_id)
    scores = read_scores(
        SCORES / "grade4_math_unit3_post.csv", key=SCORES / "grade4_math_item_map.csv"
    )
    assessment = saved.save(ana, scores, "Unit 3 post", given_on=dt.date(2026, 10, 9))
    made = panel(ana, cycle_id)
    assert made.source.value == assessment
    click(made, "Add from this assessment")
    [checkpoint] = store.get_goal(ana, goal_id).checkpoints
    assert checkpoint.taken_on == dt.date(2026, 10, 9)
    assert checkpoint.note == "Unit 3 post (115 students)"
    assert "Unit 3 post (115 students)" in made.table.value


def test_adding_from_an_assessment_without_one_says_where_to_save_it(sqlite_team):
    ana = sqlite_team.member(0)
    cycle_id = cycle(ana)
    goal_id = saved_goal(ana, cycle_id)
    made = panel(ana, cycle_id)
    click(made, "Add from this assessment")
    assert "Save an assessment in the Evidence workbook first." in made.status.value
    assert store.get_goal(ana, goal_id).checkpoints == ()
