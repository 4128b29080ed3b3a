"""Issue 20, a new user's walk through the Goals page and the coach dashboard: the question
3 and 4 groups follow a common assessment linked or unlinked on the same page (no reload);
a checkpoint dated after today is refused with a plain message (by the store too); the
dashboard sorted by goal status puts the most urgent teams first; counts of one are
written in the singular. The fixed clock stands at 15 October 2026."""

import dataclasses
import datetime as dt
from pathlib import Path

import ipywidgets as widgets
import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.demo.sample import seed_demo
from collab_widgets.evidence import saved
from collab_widgets.evidence.scores import read_scores
from collab_widgets.goals import progress, smart
from collab_widgets.goals import store as goal_store
from collab_widgets.goals import team_goal as team_goals
from collab_widgets.goals.model import COUNT_AT_BAND, Checkpoint
from collab_widgets.reports import dashboard
from collab_widgets.team.app import StartHereApp
from collab_widgets.team.store import members
from tests.unit.test_goals_store import DRAFT
from tests.unit.test_widgets_goals import button, page, plan_cycle
from tests.unit.widget_helpers import find, texts

SCORES = Path(__file__).resolve().parents[2] / "sample_data" / "scores"
TODAY = dt.date(2026, 10, 15)


@pytest.fixture
def team(sqlite_team, fixed_clock):
    """Ana facilitates; the team has the Grade 4 pre-assessment (given 1 October)."""
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    scores = read_scores(
        SCORES / "grade4_math_unit3_pre.csv", key=SCORES / "grade4_math_item_map.csv"
    )
    sqlite_team.pre = saved.save(
        sqlite_team.scopes[0], scores, "Unit 3 pre", given_on=dt.date(2026, 10, 1)
    )
    return sqlite_team


def link_box(app, name):
    [box] = [b for b in find(app.cycle.linked, widgets.Checkbox) if name in b.description]
    return box


# --- 1. the question 3 and 4 groups follow the linked assessment ------------------------


def test_linking_a_common_assessment_shows_its_groups_without_a_reload(team):
    app = page(team)
    plan_cycle(app)
    assert "Link a common assessment" in app.cycle.groups.value
    link_box(app, "Unit 3 pre").value = True
    groups = app.cycle.groups.value
    assert "Unit 3 pre" in groups and "intervention:" in groups and "extension:" in groups
    assert "Link a common assessment" not in groups
    link_box(app, "Unit 3 pre").value = False  # unlinked: the groups go with it
    assert "Link a common assessment" in app.cycle.groups.value
    assert "Traceback" not in texts(app.widget)


# --- 2. a checkpoint dated after today ---------------------------------------------------


def _saved_goal(scope) -> int:
    cycle_id = goal_store.create_cycle(scope, "Unit 3", dt.date(2026, 9, 1), dt.date(2026, 12, 18))
    goal_id = goal_store.new_goal(scope, cycle_id)
    team_goals.save_version(scope, goal_store.get_cycle(scope, cycle_id), goal_id, DRAFT)
    return goal_id


def test_the_store_refuses_a_checkpoint_dated_after_today(team):
    scope = team.scopes[0]
    goal_id = _saved_goal(scope)
    with pytest.raises(InvalidInput) as refused:
        goal_store.add_checkpoint(scope, goal_id, TODAY + dt.timedelta(days=1), 50)
    message = str(refused.value)
    assert "A checkpoint records a result you already have" in message
    assert "cannot be after today (15 Oct 2026)" in message
    assert refused.value.field == "checkpoint_date"
    assert goal_store.get_goal(scope, goal_id).checkpoints == ()
    goal_store.add_checkpoint(scope, goal_id, TODAY, 50)  # today itself is fine
    assert len(goal_store.get_goal(scope, goal_id).checkpoints) == 1


def test_a_checkpoint_from_an_assessment_given_after_today_is_refused(team):
    scope = team.scopes[0]
    goal_id = _saved_goal(scope)
    later = saved.save(
        scope,
        read_scores(SCORES / "grade4_math_unit3_pre.csv", key=SCORES / "grade4_math_item_map.csv"),
        "Unit 3 post",
        given_on=dt.date(2026, 12, 1),
    )
    with pytest.raises(InvalidInput, match="cannot be after today"):
        team_goals.checkpoint_from(scope, goal_store.get_goal(scope, goal_id), later)
    assert goal_store.get_goal(scope, goal_id).checkpoints == ()


def test_the_progress_tab_refuses_a_typed_checkpoint_dated_after_today(team):
    app = page(team)
    plan_cycle(app)
    app.tabs.selected_index = 1
    builder = app.builder
    button(builder, "New goal").click()
    for name in ("group", "learning_target", "baseline", "target", "by_date"):
        builder.fields[name].value = getattr(DRAFT, name)
    builder.fields["measure"].value = DRAFT.measure
    button(builder, "Save this version").click()
    app.tabs.selected_index = 2
    panel = app.progress
    panel.when.value, panel.value.value = "2026-11-20", "60"
    button(panel, "Add this checkpoint").click()
    assert "cannot be after today (15 Oct 2026)" in app.status.value
    assert "No checkpoint yet" in panel.table.value
    assert "Traceback" not in texts(app.widget)


# --- 3. the dashboard sorted by goal status: the most urgent first -----------------------


def _row(name, status):
    return dashboard.TeamRow(
        name=name,
        code="",
        stage="teaching",
        cycle="",
        last_meeting=None,
        goal="",
        goal_status=status,
        latest_assessment="",
        open_actions=0,
        overdue_actions=0,
        pulse=(),
        norms=(),
    )


def test_sorting_by_goal_status_puts_the_most_urgent_first():
    statuses = [*progress.STATUSES, "no goal"]
    found = [_row(f"Team {s}", s) for s in sorted(statuses)]  # alphabetical to start with
    shown = [r.goal_status for r in dashboard.sort_rows(found, "goal status")]
    assert shown == [
        "not met",
        "at risk",
        "incomplete",
        "not started",
        "on track",
        "met",
        "no goal",
    ]
    # the same status: by team name
    same = [_row("b", "at risk"), _row("A", "at risk")]
    assert [r.name for r in dashboard.sort_rows(same, "goal status")] == ["A", "b"]


def test_the_coach_page_sorted_by_goal_status_shows_the_team_at_risk_then_on_track_then_met(
    sqlite_store,
):
    made = seed_demo(sqlite_store)
    app = StartHereApp(sqlite_store, {"coach": made.coach_code})
    panel = app.body.children[0].dashboard
    panel.sort.value = "goal status"
    table = panel.table.value
    assert table.index("Grade 7 Science") < table.index("Grade 4 Math") < table.index("English 9")


# --- 4. counts of one in the singular ------------------------------------------------------


def test_an_assessment_of_one_student_is_not_one_students(team):
    scope = team.scopes[0]
    saved.save(scope, read_scores(b"id,Q1\n1,1\n", name="one.csv"), "Make-up quiz")
    app = page(team)
    plan_cycle(app)
    box = link_box(app, "Make-up quiz")
    assert box.description == "Make-up quiz (1 student)"
    box.value = True
    assert "1 students" not in texts(app.widget)
    cycle = goal_store.get_cycle(scope, app.cycles.cycle_id)
    assert "(1 student):" in team_goals.groups_summary(scope, cycle)[0]


def test_a_group_of_one_and_a_tolerance_of_one_point_are_singular():
    context = smart.GoalContext(
        today=TODAY,
        cycle_starts=dt.date(2026, 9, 1),
        cycle_ends=dt.date(2026, 12, 18),
        assessments={},
        min_n=5,
        band_names=("Beginning", "Developing", "Proficient", "Advanced"),
    )
    draft = dataclasses.replace(
        DRAFT, measure=COUNT_AT_BAND, band="Proficient", group_size="1", baseline="0", target="2"
    )
    messages = [f.message for f in smart.check(draft, context)]
    assert "The group has 1 student; the count cannot be more." in messages
    line = progress.Plan(40, 75, dt.date(2026, 9, 1), dt.date(2026, 12, 11), tolerance=1)
    said = progress.explain(line, [Checkpoint(1, TODAY, 60, "", None)], TODAY, "%")
    assert said.endswith("less the tolerance of 1 point.")
    line = dataclasses.replace(line, tolerance=5)
    said = progress.explain(line, [Checkpoint(1, TODAY, 60, "", None)], TODAY, "%")
    assert said.endswith("less the tolerance of 5 points.")


def test_the_cycle_list_follows_a_teammates_new_and_trashed_cycles_when_a_tab_opens(team):
    app = page(team)
    first = plan_cycle(app)
    teammate = team.scopes[1]
    second = goal_store.create_cycle(
        teammate, "Unit 4: decimals", dt.date(2026, 11, 1), dt.date(2026, 12, 18)
    )
    app.tabs.selected_index = 1  # opening a tab reads the team's cycles again
    assert [value for _, value in app.cycles.choice.options] == [second, first]
    assert app.cycles.cycle_id == first  # the one chosen stays chosen
    goal_store.delete_cycle(team.scopes[0], first)  # trashed on the Start page
    app.tabs.selected_index = 0
    assert [value for _, value in app.cycles.choice.options] == [second]
    assert app.cycle.title.value == "Unit 4: decimals"  # the tab shows the cycle still there
    assert "no longer there" not in app.status.value
    assert "Traceback" not in texts(app.widget)
