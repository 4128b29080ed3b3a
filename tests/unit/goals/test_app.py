"""The goals page driven without a browser: plan a cycle and answer the four questions;
write a goal whose checks react by field, take its baseline from an assessment, save two
versions and compare them; progress and status from checkpoints; a met goal on the wall of
wins; a deleted baseline assessment; the timeline; bad input everywhere."""

import dataclasses
import datetime as dt
from pathlib import Path

import ipywidgets as widgets
import pytest

from collab_widgets.core.db import activity
from collab_widgets.core.errors import AccessDenied, InvalidInput
from collab_widgets.core.ui.debounce import flush_all
from collab_widgets.demo.sample import seed_demo
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence_store
from collab_widgets.evidence.scores import read_scores
from collab_widgets.goals import progress, smart
from collab_widgets.goals import store as goal_store
from collab_widgets.goals import team_goal as team_goals
from collab_widgets.goals.app import GoalsApp
from collab_widgets.goals.model import COUNT_AT_BAND, Checkpoint
from collab_widgets.reports import dashboard
from collab_widgets.team.app import TABS, StartHereApp
from collab_widgets.team.store import members
from tests.unit.goals.test_store import DRAFT
from tests.unit.widget_helpers import BUTTONS, answer_yes, find, texts

SCORES = Path(__file__).resolve().parents[3] / "sample_data" / "scores"


EVIL = "<img src=x onerror=alert(1)> & friends"


def page(fixture, index=0):
    return GoalsApp(fixture.store, {"team": fixture.code, "member": fixture.people[index].token})


def button(widget, words):
    found = find(widget, BUTTONS, lambda b: words in b.description)
    assert found, f"no button with {words!r}"
    return found[0]


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


def plan_cycle(app, title="Unit 3: fractions"):
    chooser = app.cycles
    chooser.title.value = title
    chooser.starts.value = dt.date(2026, 10, 1)
    chooser.ends.value = dt.date(2026, 12, 18)
    button(chooser, "Plan this cycle").click()
    assert "planned" in app.status.value, app.status.value
    return chooser.cycle_id


def write_goal(app):
    app.tabs.selected_index = 1
    builder = app.builder
    button(builder, "New goal").click()
    return builder


TODAY = dt.date(2026, 10, 15)


def link_box(app, name):
    [box] = [b for b in find(app.cycle.linked, widgets.Checkbox) if name in b.description]
    return box


def _saved_goal(scope) -> int:
    cycle_id = goal_store.create_cycle(scope, "Unit 3", dt.date(2026, 9, 1), dt.date(2026, 12, 18))
    goal_id = goal_store.new_goal(scope, cycle_id)
    team_goals.save_version(scope, goal_store.get_cycle(scope, cycle_id), goal_id, DRAFT)
    return goal_id


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


def test_plan_a_cycle_and_answer_the_four_questions_as_typed(team):
    app = page(team)
    assert "Plan a cycle" in texts(app.cycle)
    cycle_id = plan_cycle(app)
    answer = f"  {EVIL}\nline two  "
    app.cycle.answers["must_learn"].value = answer
    [link] = [b for b in find(app.cycle.linked, widgets.Checkbox) if "Unit 3 pre" in b.description]
    link.value = True
    flush_all()
    again = page(team, 1)
    again.cycle.refresh()
    assert again.cycles.cycle_id == cycle_id
    assert again.cycle.answers["must_learn"].value == answer  # exactly as typed
    assert goal_store.get_cycle(team.scopes[1], cycle_id).assessment_ids == (team.pre,)
    groups = again.cycle.groups.value
    assert "Unit 3 pre" in groups and "intervention:" in groups and "extension:" in groups
    # a stage change is recorded; an end before the start is refused by the page
    again.cycle.stage.value = "teaching"
    assert "is now teaching" in activity.entries(team.scopes[0])[0].summary
    again.cycle.ends.value = dt.date(2026, 9, 1)
    assert "ends after it starts" in again.status.value
    assert goal_store.get_cycle(team.scopes[0], cycle_id).ends_on == dt.date(2026, 12, 18)


def test_checks_react_by_field_and_two_versions_are_kept_and_compared(team):
    app = page(team)
    plan_cycle(app)
    builder = write_goal(app)
    fields, checks = builder.fields, builder.checks
    assert "Say which students" in checks["group"].value
    assert "No baseline" in checks["baseline"].value
    fields["baseline"].value = "about half"
    assert "is not a number" in checks["baseline"].value
    fields["by_date"].value = "2026-02-30"
    assert "not a date" in checks["by_date"].value
    fields["by_date"].value = "2026-10-01"
    assert "has passed" in checks["by_date"].value
    fields["by_date"].value = "2027-01-15"
    assert "cycle ends" in checks["by_date"].value
    button(builder, "Save this version").click()
    assert "Baseline" in app.status.value and "not a number" in app.status.value
    assert goal_store.get_goal(team.scopes[0], builder.goal.value).versions == ()
    # the baseline from the pre-assessment, for all students
    fields["measure"].value = "percent proficient"
    builder.source.value = team.pre
    button(builder, "Take the baseline").click()
    baseline = float(fields["baseline"].value)
    assert 0 <= baseline <= 100 and int(fields["group_size"].value) > 10
    assert builder.checks["baseline"].value == ""
    fields["group"].value = EVIL
    fields["learning_target"].value = "compare fractions with unlike denominators"
    fields["target"].value = str(baseline - 1)
    assert "above the baseline" in checks["target"].value
    fields["target"].value = "101"
    assert "at most 100" in checks["target"].value
    fields["target"].value = "70"
    fields["by_date"].value = "2026-12-11"
    assert all(c.value == "" for c in checks.values()), {k: c.value for k, c in checks.items()}
    assert "&lt;img" in builder.statement.value and "<img" not in builder.statement.value
    button(builder, "Save this version").click()
    assert "Version 1" in app.status.value
    fields["target"].value = "75"
    button(builder, "Save this version").click()
    assert "Version 2" in app.status.value
    assert "Target" in builder.comparison.value and "75" in builder.comparison.value
    # another page (a reload): both versions, the draft as typed, the comparison
    again = page(team, 1)
    again.tabs.selected_index = 1
    goal = goal_store.get_goal(team.scopes[1], again.builder.goal.value)
    assert [v.version for v in goal.versions] == [1, 2]
    assert [v.draft.target for v in goal.versions] == ["70", "75"]
    assert goal.versions[0].draft.baseline_assessment_id == team.pre
    assert again.builder.fields["group"].value == EVIL
    shown = again.builder.versions.value
    assert shown.count("<tr>") == 3  # the header and the two versions, newest first
    assert shown.index("<td>2</td>") < shown.index("<td>1</td>") and "to 75%" in shown
    assert "75" in again.builder.comparison.value
    assert "goal" in [e.kind for e in activity.entries(team.scopes[0])]


def test_progress_status_and_a_met_goal_on_the_wall_of_wins(team, fixed_clock):
    app = page(team)
    plan_cycle(app)
    builder = write_goal(app)
    for name, value in {
        "group": "all our students",
        "learning_target": "compare fractions with unlike denominators",
        "measure": "average percent correct",
        "baseline": "40",
        "target": "70",
        "by_date": "2026-12-10",
    }.items():
        builder.fields[name].value = value
    button(builder, "Save this version").click()
    app.tabs.selected_index = 2
    panel = app.progress
    assert "Not started" in panel.state.value
    assert panel.chart.image.layout.display is None  # baseline to target, no checkpoint yet
    panel.when.value, panel.value.value = "15/11/2026", "50"
    button(panel, "Add this checkpoint").click()
    assert "YYYY-MM-DD" in app.status.value
    panel.when.value, panel.value.value = "2026-10-15", "lots"
    button(panel, "Add this checkpoint").click()
    assert "as a number" in app.status.value
    panel.value.value = "30"
    button(panel, "Add this checkpoint").click()
    assert "At risk" in panel.state.value
    panel.when.value, panel.value.value = "2026-10-15", "49"
    button(panel, "Add this checkpoint").click()
    assert "On track" in panel.state.value
    assert "49%" in panel.chart.caption.value
    panel.when.value, panel.value.value, panel.note.value = "2026-10-15", "71", EVIL
    button(panel, "Add this checkpoint").click()
    assert "Met" in panel.state.value and "wall of wins" in app.status.value
    assert "&lt;img" in panel.table.value and "<img" not in panel.table.value
    start = StartHereApp(team.store, {"team": team.code, "member": team.people[1].token})
    start.tabs.selected_index = TABS.index("Wins")  # opening the tab builds and reads it
    wall = start.tabs.children[start.tabs.selected_index].panel
    assert "Goal met!" in texts(wall)
    panel.refresh()  # viewing again posts nothing more
    assert len(goal_store.wins(team.scopes[0])) == 1
    fixed_clock.advance(days=60)  # past the date: the latest checkpoint still met it
    panel.refresh()
    assert "Met" in panel.state.value


def test_a_deleted_baseline_assessment_gets_a_message_and_the_versions_stay(team):
    app = page(team)
    plan_cycle(app)
    builder = write_goal(app)
    builder.fields["measure"].value = "average percent correct"
    builder.source.value = team.pre
    button(builder, "Take the baseline").click()
    for name, value in {
        "group": "all",
        "learning_target": "compare fractions with unlike denominators",
        "target": "90",
        "by_date": "2026-12-10",
    }.items():
        builder.fields[name].value = value
    button(builder, "Save this version").click()
    goal_id = builder.goal.value
    evidence_store.delete(team.scopes[0], team.pre)
    app.tabs.selected_index = 0
    app.tabs.selected_index = 1
    assert "no longer there" in builder.checks["baseline"].value
    button(builder, "Save this version").click()
    assert "no longer there" in app.status.value
    assert len(goal_store.get_goal(team.scopes[0], goal_id).versions) == 1
    builder.fields["baseline"].value = "55"  # typed over: no longer the assessment's
    assert builder.checks["baseline"].value == ""
    button(builder, "Save this version").click()
    assert len(goal_store.get_goal(team.scopes[0], goal_id).versions) == 2


def test_the_timeline_lists_the_cycle_in_order_with_links(team):
    app = page(team)
    plan_cycle(app)
    builder = write_goal(app)
    builder.fields["group"].value = "all our students"
    button(builder, "Save this version").click()
    app.tabs.selected_index = 3
    shown = app.timeline.entries.value
    planned = shown.index("Cycle “Unit 3: fractions” planned")
    version = shown.index("Goal version 1 saved")
    assessment = shown.index("Assessment “Unit 3 pre” added")
    assert assessment < planned < version
    assert "03_goal_setting.ipynb?team=" in shown and "02_evidence_analysis.ipynb?team=" in shown


def test_wins_are_posted_escaped_and_removed_by_their_author(team):
    app = page(team, 1)
    app.tabs.selected_index = 4
    wall = app.wins
    button(wall, "Post the win").click()
    assert "Write the win first" in app.status.value
    wall.text.value = EVIL
    button(wall, "Post the win").click()
    assert "&lt;img" in texts(wall) and "<img src=x" not in texts(wall)
    assert [e.kind for e in activity.entries(team.scopes[0])][0] == "win"
    other = page(team, 2)
    other.tabs.selected_index = 4
    assert not find(other.wins, BUTTONS, lambda b: b.description == "Remove")
    [win] = goal_store.wins(team.scopes[2])
    with pytest.raises(AccessDenied, match="only your own"):  # Chen cannot remove Ben's win
        goal_store.delete_win(team.scopes[2], win.id)
    button(wall, "Remove").click()
    answer_yes(wall)
    assert goal_store.wins(team.scopes[0]) == []


def test_a_page_without_a_cycle_explains_what_to_do(team):
    app = page(team)
    for index in range(5):
        app.tabs.selected_index = index
    assert "Plan a cycle" in texts(app.builder)
    assert "Save a version of a goal" in texts(app.progress)
    assert "Traceback" not in texts(app.widget)


def test_typing_then_choosing_another_goal_saves_to_the_goal_typed_for(team):
    app = page(team)
    plan_cycle(app)
    builder = write_goal(app)
    first = builder.goal.value
    button(builder, "New goal").click()
    second = builder.goal.value
    builder.fields["group"].value = "typed for the second goal"
    builder.goal.value = first  # before the pause that saves it
    flush_all()
    assert goal_store.draft(team.scopes[0], second).group == "typed for the second goal"
    assert goal_store.draft(team.scopes[0], first).group == ""
    assert builder.fields["group"].value == ""  # the first goal's own fields are shown


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
