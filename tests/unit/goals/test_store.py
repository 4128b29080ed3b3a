"""Cycles of inquiry, SMART goals with their versions, checkpoints and the wall of wins in
the store (SQLite, and PostgreSQL when COLLAB_TEST_POSTGRES_URL is set), with the goals
package's team functions on top. The fixed clock stands at 2026-10-15."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from collab_widgets.core.db import activity
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as store_evidence
from collab_widgets.evidence.scores import read_scores
from collab_widgets.goals import progress, smart
from collab_widgets.goals import store as goals
from collab_widgets.goals import team_goal as team_goals
from collab_widgets.goals.model import (
    AVERAGE_PERCENT,
    COUNT_AT_BAND,
    CYCLE_STAGES,
    PERCENT_PROFICIENT,
    GoalDraft,
)
from collab_widgets.history import store as trash
from collab_widgets.team.store import members, teams

STARTS, ENDS = dt.date(2026, 9, 1), dt.date(2026, 12, 18)


DRAFT = GoalDraft(
    group="all our 4th graders",
    group_size="48",
    learning_target="compare fractions with unlike denominators",
    measure=PERCENT_PROFICIENT,
    baseline="40",
    target="75",
    by_date="2026-12-11",
)


GOAL_KINDS = {"cycle", "goal", "checkpoint", "win"}


def _csv(full: int, half: int, none: int) -> bytes:
    """Students scoring 100%, 50% and 0% on two one-point items."""
    rows = [(1, 1)] * full + [(1, 0)] * half + [(0, 0)] * none
    return ("id,Q1,Q2\n" + "".join(f"{i},{a},{b}\n" for i, (a, b) in enumerate(rows, 1))).encode()


def _assessment(scope, name, full=6, half=3, none=3, given_on=None) -> int:
    """A saved assessment; by default 12 students, 6 proficient (50%), average 62.5%."""
    scores = read_scores(_csv(full, half, none), name=f"{name}.csv")
    return saved.save(scope, scores, name, given_on=given_on)


def _leader_and_others(team):
    """Scopes of the team's facilitator and of the two members who do not facilitate."""
    members.rotate_roles(team.as_coach)
    leader = members.current_roles(team.as_coach)["facilitator"].id
    index = next(i for i, p in enumerate(team.people) if p.id == leader)
    return team.member(index), team.member((index + 1) % 3), team.member((index + 2) % 3)


@pytest.fixture
def cycle(team):
    cycle_id = goals.create_cycle(team.member(0), "Unit 3: fractions", STARTS, ENDS)
    return goals.get_cycle(team.member(0), cycle_id)


def _saved_goal(scope, cycle, draft: GoalDraft = DRAFT) -> int:
    goal_id = goals.new_goal(scope, cycle.id)
    team_goals.save_version(scope, cycle, goal_id, draft)
    return goal_id


def _a_member_of(coach_team_scope):
    person = members.add(coach_team_scope, "Dana")
    return coach_team_scope.store.open_team(teams.team_code(coach_team_scope), person.token)


def test_a_cycle_is_planned_and_listed_latest_start_first(team):
    scope = team.member(0)
    earlier = goals.create_cycle(scope, "Unit 2", dt.date(2026, 8, 20), dt.date(2026, 9, 30))
    later = goals.create_cycle(scope, "  Unit 3: fractions ", STARTS, ENDS)
    cycle = goals.get_cycle(team.member(1), later)
    assert (cycle.title, cycle.starts_on, cycle.ends_on) == ("Unit 3: fractions", STARTS, ENDS)
    assert cycle.stage == CYCLE_STAGES[0] == "planning"
    assert (cycle.must_learn, cycle.how_know, cycle.respond, cycle.extend) == ("", "", "", "")
    assert cycle.assessment_ids == ()
    assert [c.id for c in goals.cycles(team.member(2))] == [later, earlier]


@pytest.mark.parametrize(
    "ends_on",
    [STARTS, STARTS - dt.timedelta(days=1), STARTS + dt.timedelta(days=367)],
    ids=["same day", "before start", "over a year"],
)
def test_a_cycle_with_impossible_dates_is_refused(team, ends_on):
    with pytest.raises(InvalidInput) as caught:
        goals.create_cycle(team.member(0), "Unit 3", STARTS, ends_on)
    assert caught.value.field == "ends_on"
    assert goals.cycles(team.member(0)) == []


def test_a_cycle_of_a_whole_year_is_fine_and_needs_a_title(team):
    scope = team.member(0)
    goals.create_cycle(scope, "The year", STARTS, STARTS + dt.timedelta(days=366))
    with pytest.raises(InvalidInput) as caught:
        goals.create_cycle(scope, "   ", STARTS, ENDS)
    assert caught.value.field == "title"
    assert [c.title for c in goals.cycles(scope)] == ["The year"]


def test_a_cycle_stage_changes_and_bad_updates_are_refused(team, cycle):
    scope = team.member(1)
    goals.update_cycle(scope, cycle.id, "Unit 3", STARTS, ENDS, "teaching")
    assert goals.get_cycle(scope, cycle.id).stage == "teaching"
    with pytest.raises(InvalidInput) as caught:
        goals.update_cycle(scope, cycle.id, "Unit 3", STARTS, ENDS, "dreaming")
    assert caught.value.field == "stage"
    with pytest.raises(InvalidInput):
        goals.update_cycle(scope, cycle.id, "Unit 3", ENDS, STARTS, "closed")
    assert goals.get_cycle(scope, cycle.id).stage == "teaching"


def test_the_four_questions_are_saved_as_typed(team, cycle):
    scope = team.member(1)
    answers = {
        "must_learn": "<b>4.NF.2</b> compare fractions & <script>x</script>",
        "how_know": "Unit 3 common assessment\n  item 4 especially  ",
        "respond": "r" * 2000,
        "extend": "“Fraction War” 🙂",
    }
    for question, typed in answers.items():
        goals.set_answer(scope, cycle.id, question, typed)
    back = goals.get_cycle(team.member(2), cycle.id)
    assert {q: getattr(back, q) for q in goals.QUESTIONS} == answers
    with pytest.raises(InvalidInput, match="2,001 characters"):
        goals.set_answer(scope, cycle.id, "respond", "s" * 2001)
    with pytest.raises(InvalidInput):
        goals.set_answer(scope, cycle.id, "title", "not a question")
    assert goals.get_cycle(scope, cycle.id).respond == "r" * 2000


def test_common_assessments_are_linked_unlinked_and_hidden_in_the_trash(team, cycle):
    scope = team.member(0)
    pre, post = _assessment(scope, "Pre"), _assessment(scope, "Post")
    goals.link_assessment(scope, cycle.id, pre, True)
    goals.link_assessment(scope, cycle.id, post, True)
    goals.link_assessment(scope, cycle.id, pre, True)  # once is enough
    assert goals.get_cycle(scope, cycle.id).assessment_ids == (pre, post)
    goals.link_assessment(scope, cycle.id, pre, False)
    goals.link_assessment(scope, cycle.id, pre, False)
    assert goals.get_cycle(scope, cycle.id).assessment_ids == (post,)
    goals.link_assessment(scope, cycle.id, pre, True)
    assert goals.get_cycle(scope, cycle.id).assessment_ids == (post, pre)
    store_evidence.delete(team.as_coach, post)
    assert goals.get_cycle(scope, cycle.id).assessment_ids == (pre,)
    assert goals.cycles(scope)[0].assessment_ids == (pre,)
    with pytest.raises(NotFound):
        goals.link_assessment(scope, cycle.id, post, True)
    trash.restore(team.as_coach, "assessment", post)
    assert goals.get_cycle(scope, cycle.id).assessment_ids == (post, pre)


def test_a_draft_reads_back_as_typed(team, cycle):
    ana, ben = team.member(0), team.member(1)
    goal_id = goals.new_goal(ana, cycle.id)
    assert goals.draft(ana, goal_id) == GoalDraft()
    assert goals.get_goal(ana, goal_id).versions == ()
    assert team_goals.state(ana, goals.get_goal(ana, goal_id)).status == progress.INCOMPLETE
    typed = dataclasses.replace(
        DRAFT,
        group=" <b>ELL</b> students & “friends” ",
        baseline="42,5 %",
        target="next year",
        group_column="ELL",
        group_value="Y",
        tolerance="",
    )
    goals.save_draft(ana, goal_id, typed)
    assert goals.draft(ben, goal_id) == typed
    assert goals.get_goal(ben, goal_id).versions == ()  # a draft is not a version
    with pytest.raises(InvalidInput):
        goals.save_draft(ana, goal_id, dataclasses.replace(typed, learning_target="x" * 2001))
    assert goals.draft(ben, goal_id) == typed


def test_each_saved_version_is_kept(team, cycle):
    ana, ben = team.member(0), team.member(1)
    goal_id = goals.new_goal(ana, cycle.id)
    first_draft = dataclasses.replace(DRAFT, group="<i>all</i> our 4th graders")
    second_draft = dataclasses.replace(first_draft, target="80")
    assert team_goals.save_version(ana, cycle, goal_id, first_draft) == 1
    assert team_goals.save_version(ben, cycle, goal_id, second_draft) == 2
    goal = goals.get_goal(team.member(2), goal_id)
    assert [v.version for v in goal.versions] == [1, 2]
    assert [v.draft for v in goal.versions] == [first_draft, second_draft]
    assert [v.saved_by for v in goal.versions] == ["Ana", "Ben"]
    assert [v.statement for v in goal.versions] == [
        smart.statement(first_draft),
        smart.statement(second_draft),
    ]
    assert "of <i>all</i> our 4th graders" in goal.versions[0].statement
    assert "from 40% to 75%" in goal.versions[0].statement
    assert "from 40% to 80%" in goal.latest.statement
    assert goals.draft(ana, goal_id) == second_draft
    # the store itself never overwrites: the next is version 3
    assert goals.save_version(team.as_coach, goal_id, first_draft, "by hand") == 3
    again = goals.get_goal(ana, goal_id)
    assert again.versions[:2] == goal.versions
    assert (again.latest.statement, again.latest.saved_by) == ("by hand", None)


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"target": "30"}, "target"),
        ({"baseline": "abc"}, "baseline"),
        ({"by_date": "2026-02-30"}, "by_date"),
        ({"by_date": "2027-01-15"}, "by_date"),  # after the cycle
        ({"group_size": "8"}, "group_size"),
    ],
)
def test_a_version_with_something_wrong_is_refused_and_the_earlier_ones_stay(
    team, cycle, changes, field
):
    scope = team.member(0)
    goal_id = _saved_goal(scope, cycle)
    team_goals.save_version(scope, cycle, goal_id, dataclasses.replace(DRAFT, target="80"))
    before = goals.get_goal(scope, goal_id)
    with pytest.raises(InvalidInput) as caught:
        team_goals.save_version(scope, cycle, goal_id, dataclasses.replace(DRAFT, **changes))
    assert caught.value.field == field
    assert str(caught.value).startswith(smart.LABELS[field] + ":")
    assert goals.get_goal(scope, goal_id).versions == before.versions
    assert len(before.versions) == 2


def test_a_version_with_only_missing_parts_is_saved(team, cycle):
    scope = team.member(0)
    goal_id = goals.new_goal(scope, cycle.id)
    draft = GoalDraft(group="Grade 4", measure=AVERAGE_PERCENT)
    assert team_goals.save_version(scope, cycle, goal_id, draft) == 1
    goal = goals.get_goal(scope, goal_id)
    assert goal.latest.statement == smart.statement(draft)
    assert "[baseline]" in goal.latest.statement
    assert team_goals.state(scope, goal).status == progress.INCOMPLETE


def test_a_baseline_from_an_assessment_and_the_assessment_deleted(team, cycle):
    scope = team.member(0)
    pre = _assessment(scope, "Unit 3 pre", given_on=dt.date(2026, 9, 10))
    blank = dataclasses.replace(DRAFT, baseline="", group_size="")
    taken = team_goals.baseline_from(scope, blank, pre)
    assert (taken.baseline, taken.group_size, taken.baseline_assessment_id) == ("50", "12", pre)
    assert dataclasses.replace(taken, baseline="", group_size="", baseline_assessment_id=None) == (
        blank
    )
    average = team_goals.baseline_from(
        scope, dataclasses.replace(blank, measure=AVERAGE_PERCENT), pre
    )
    assert average.baseline == "62.5"
    at_band = dataclasses.replace(blank, measure=COUNT_AT_BAND, band="Meeting", target="10")
    assert team_goals.baseline_from(scope, at_band, pre).baseline == "6"
    assert smart.check(taken, team_goals.context(scope, cycle)) == []

    goal_id = goals.new_goal(scope, cycle.id)
    team_goals.save_version(scope, cycle, goal_id, taken)
    goal = goals.get_goal(scope, goal_id)
    assert goal.latest.statement.endswith("from 50% to 75%, as measured by “Unit 3 pre”.")
    assert team_goals.state(scope, goal).line.starts == dt.date(2026, 9, 10)

    store_evidence.delete(team.as_coach, pre)
    findings = smart.check(taken, team_goals.context(scope, cycle))
    assert [(f.field, f.kind) for f in findings] == [("baseline", smart.WRONG)]
    assert "no longer there" in findings[0].message
    with pytest.raises(InvalidInput) as caught:
        team_goals.save_version(scope, cycle, goal_id, taken)
    assert caught.value.field == "baseline"
    after = goals.get_goal(scope, goal_id)
    assert after.versions == goal.versions
    assert after.latest.draft.baseline_assessment_id == pre
    # the line now starts the day the goal was first saved
    assert team_goals.state(scope, after).line.starts == dt.date(2026, 10, 15)


def test_a_baseline_from_too_few_students_is_refused(team):
    scope = team.member(0)
    small = _assessment(scope, "Small group", full=4, half=2, none=2)
    with pytest.raises(InvalidInput) as caught:
        team_goals.baseline_from(scope, DRAFT, small)
    assert caught.value.field == "baseline"
    with pytest.raises(InvalidInput) as caught:
        team_goals.baseline_from(
            scope, dataclasses.replace(DRAFT, measure=COUNT_AT_BAND), _assessment(scope, "Big")
        )
    assert caught.value.field == "band"


@pytest.mark.parametrize(
    "typed_date,typed_value,field",
    [
        ("2026-13-01", "55", "checkpoint_date"),
        ("last week", "55", "checkpoint_date"),
        ("", "55", "checkpoint_date"),
        ("2026-10-14", "lots", "checkpoint"),
        ("2026-10-14", "-1", "checkpoint"),
        ("2026-10-14", "", "checkpoint"),
    ],
)
def test_a_typed_checkpoint_is_checked(team, cycle, typed_date, typed_value, field):
    scope = team.member(0)
    goal_id = _saved_goal(scope, cycle)
    with pytest.raises(InvalidInput) as caught:
        team_goals.add_checkpoint(scope, goal_id, typed_date, typed_value)
    assert caught.value.field == field
    assert goals.get_goal(scope, goal_id).checkpoints == ()


def test_a_typed_checkpoint_gives_the_status(team, cycle, fixed_clock):
    scope = team.member(1)
    goal_id = _saved_goal(team.member(0), cycle)
    assert team_goals.refresh(scope, goal_id).status == progress.NOT_STARTED
    state = team_goals.add_checkpoint(scope, goal_id, "2026-10-14", "55,5", "quick check <b>")
    [checkpoint] = state.goal.checkpoints
    assert (checkpoint.taken_on, checkpoint.value, checkpoint.note) == (
        dt.date(2026, 10, 14),
        55.5,
        "quick check <b>",
    )
    assert checkpoint.assessment_id is None
    assert state.status == progress.ON_TRACK
    # the line starts the day the goal was saved: 40 -> 75 over 57 days; late November it
    # is near 65, and 50 is well under it less 5 points
    fixed_clock.advance(days=40)
    state = team_goals.add_checkpoint(scope, goal_id, "2026-11-24", "50")
    assert state.status == progress.AT_RISK
    fixed_clock.advance(days=30)  # 2026-12-24: past the goal's date
    assert team_goals.refresh(scope, goal_id).status == progress.NOT_MET


def test_a_checkpoint_from_an_assessment_leaves_and_returns_with_it(team, cycle):
    scope = team.member(0)
    goal_id = _saved_goal(scope, cycle)
    mid = _assessment(scope, "Mid-unit", full=7, half=3, none=2, given_on=dt.date(2026, 10, 12))
    state = team_goals.checkpoint_from(scope, goals.get_goal(scope, goal_id), mid)
    [checkpoint] = state.goal.checkpoints
    assert checkpoint.assessment_id == mid and checkpoint.taken_on == dt.date(2026, 10, 12)
    assert checkpoint.value == round(700 / 12, 1)  # kept to a tenth, as the page shows it
    assert checkpoint.note == "Mid-unit (12 students)"
    typed = team_goals.add_checkpoint(scope, goal_id, "2026-10-13", "50").goal.checkpoints[-1]

    store_evidence.delete(team.as_coach, mid)
    assert goals.get_goal(scope, goal_id).checkpoints == (typed,)
    with pytest.raises(InvalidInput):
        team_goals.checkpoint_from(scope, goals.get_goal(scope, goal_id), mid)
    with pytest.raises(NotFound):
        goals.add_checkpoint(scope, goal_id, dt.date(2026, 10, 14), 60, "", mid)

    trash.restore(team.as_coach, "assessment", mid)
    assert goals.get_goal(scope, goal_id).checkpoints == (checkpoint, typed)


def test_a_checkpoint_from_an_assessment_on_a_chosen_day(team, cycle):
    scope = team.member(0)
    goal_id = _saved_goal(scope, cycle)
    undated = _assessment(scope, "Exit ticket")
    goal = goals.get_goal(scope, goal_id)
    team_goals.checkpoint_from(scope, goal, undated)
    team_goals.checkpoint_from(scope, goal, undated, taken_on=dt.date(2026, 10, 1))
    days = [c.taken_on for c in goals.get_goal(scope, goal_id).checkpoints]
    assert days == [dt.date(2026, 10, 1), dt.date(2026, 10, 15)]  # by date; undated: today


def test_a_goal_reaching_its_target_posts_one_win(team, cycle):
    scope = team.member(0)
    goal_id = _saved_goal(scope, cycle)
    team_goals.add_checkpoint(scope, goal_id, "2026-10-14", "60")
    assert goals.wins(scope) == []
    state = team_goals.add_checkpoint(scope, goal_id, "2026-10-15", "75")
    assert state.status == progress.MET
    [win] = goals.wins(scope)
    assert win.by is None and win.goal_id == goal_id
    assert win.text == f"Goal met! {state.goal.latest.statement}"
    assert goals.get_goal(scope, goal_id).met_posted
    team_goals.refresh(scope, goal_id)
    team_goals.refresh(team.member(1), goal_id)
    assert goals.post_goal_met(scope, goal_id, "again") is False
    # falling back and reaching the target again does not post it twice
    team_goals.add_checkpoint(scope, goal_id, "2026-10-15", "50")  # later the same day
    assert team_goals.add_checkpoint(scope, goal_id, "2026-10-15", "90").status == progress.MET
    assert [w.id for w in goals.wins(scope)] == [win.id]


def test_members_post_wins_and_see_them_newest_first(team, fixed_clock):
    first = goals.post_win(team.member(0), "Dee read her first chapter book! <3")
    fixed_clock.advance(hours=1)
    second = goals.post_win(team.member(1), "Exit tickets: 20 of 24 got it")
    shown = goals.wins(team.member(2))
    assert [(w.id, w.text, w.by, w.goal_id) for w in shown] == [
        (second, "Exit tickets: 20 of 24 got it", "Ben", None),
        (first, "Dee read her first chapter book! <3", "Ana", None),
    ]
    assert shown[0].posted_at > shown[1].posted_at
    assert [w.id for w in goals.wins(team.member(2), limit=1)] == [second]


@pytest.mark.parametrize("typed", ["", "   \n", "x" * 2001])
def test_a_blank_or_overlong_win_is_refused(team, typed):
    with pytest.raises(InvalidInput) as caught:
        goals.post_win(team.member(0), typed)
    assert caught.value.field == "win"
    assert goals.wins(team.member(0)) == []


def test_a_win_needs_a_member(team):
    with pytest.raises(InvalidInput, match="team members"):
        goals.post_win(team.as_coach, "Great week")
    assert goals.wins(team.as_coach) == []


def test_a_win_is_deleted_by_its_author_or_the_facilitator(team, cycle):
    leader, author, other = _leader_and_others(team)
    own, kept = goals.post_win(author, "Mine"), goals.post_win(author, "Also mine")
    with pytest.raises(AccessDenied):
        goals.delete_win(other, own)
    assert {w.id for w in goals.wins(other)} == {own, kept}
    goals.delete_win(author, own)
    goals.delete_win(leader, kept)
    assert goals.wins(other) == []
    with pytest.raises(NotFound):
        goals.delete_win(author, own)
    # a win a met goal posted has no author: the facilitator (or coach) removes it
    goal_id = _saved_goal(author, cycle)
    team_goals.add_checkpoint(author, goal_id, "2026-10-15", "80")
    [posted] = goals.wins(author)
    with pytest.raises(AccessDenied):
        goals.delete_win(author, posted.id)
    goals.delete_win(leader, posted.id)
    assert goals.wins(author) == []


def test_every_change_is_on_the_activity_record(team, fixed_clock):
    scope = team.member(0)
    cycle_id = goals.create_cycle(scope, "Unit 3: fractions", STARTS, ENDS)
    cycle = goals.get_cycle(scope, cycle_id)
    pre = _assessment(scope, "Pre")
    goals.link_assessment(scope, cycle_id, pre, True)
    goals.update_cycle(scope, cycle_id, "Unit 3: fractions", STARTS, ENDS, "teaching")
    goal_id = _saved_goal(scope, cycle)
    team_goals.add_checkpoint(scope, goal_id, "2026-10-15", "50")
    own = goals.post_win(scope, "Great week")
    state = team_goals.add_checkpoint(team.member(1), goal_id, "2026-10-15", "80")
    [met, _] = goals.wins(scope)
    recorded = [e for e in reversed(activity.entries(scope)) if e.kind in GOAL_KINDS]
    logged = [(e.kind, e.link, e.who) for e in recorded]
    assert logged == [
        ("cycle", f"cycle/{cycle_id}", "Ana"),
        ("cycle", f"assessment/{pre}", "Ana"),
        ("cycle", f"cycle/{cycle_id}", "Ana"),
        ("goal", f"goal/{goal_id}", "Ana"),
        ("checkpoint", f"goal/{goal_id}", "Ana"),
        ("win", f"win/{own}", "Ana"),
        ("checkpoint", f"goal/{goal_id}", "Ben"),
        ("win", f"win/{met.id}", "Ben"),
    ]
    summaries = [e.summary for e in recorded]
    assert summaries[0] == "Cycle “Unit 3: fractions” planned, 01 Sep to 18 Dec 2026"
    assert summaries[1] == "“Pre” is a common assessment of “Unit 3: fractions”"
    assert summaries[2] == "Cycle “Unit 3: fractions” is now teaching"
    assert summaries[3] == f"Goal version 1 saved: {state.goal.latest.statement}"
    assert summaries[4] == "Goal checkpoint of 15 Oct 2026: 50"
    assert summaries[5] == "Win: Great week"
    assert summaries[7] == "Win: " + f"Goal met! {state.goal.latest.statement}"[:160]


def test_another_team_cannot_see_or_change_this_teams_goals(team, cycle):
    scope = team.member(0)
    goal_id = _saved_goal(scope, cycle)
    checkpoint_id = goals.add_checkpoint(scope, goal_id, dt.date(2026, 10, 14), 50)
    win_id = goals.post_win(scope, "Ours")
    ours = _assessment(scope, "Ours")
    other = teams.create_team(team.coach, "Grade 5 Math")
    changes = [
        lambda: goals.get_cycle(other, cycle.id),
        lambda: goals.goals(other, cycle.id),
        lambda: goals.set_answer(other, cycle.id, "must_learn", "theirs"),
        lambda: goals.update_cycle(other, cycle.id, "Theirs", STARTS, ENDS, "closed"),
        lambda: goals.link_assessment(other, cycle.id, ours, True),
        lambda: goals.delete_cycle(other, cycle.id),
        lambda: goals.new_goal(other, cycle.id),
        lambda: goals.get_goal(other, goal_id),
        lambda: goals.draft(other, goal_id),
        lambda: goals.save_draft(other, goal_id, GoalDraft(group="theirs")),
        lambda: goals.save_version(other, goal_id, DRAFT, "theirs"),
        lambda: team_goals.save_version(other, cycle, goal_id, DRAFT),
        lambda: goals.add_checkpoint(other, goal_id, dt.date(2026, 10, 14), 99),
        lambda: team_goals.add_checkpoint(other, goal_id, "2026-10-14", "99"),
        lambda: goals.delete_checkpoint(other, checkpoint_id),
        lambda: goals.delete_goal(other, goal_id),
        lambda: goals.post_goal_met(other, goal_id, "theirs"),
        lambda: goals.delete_win(other, win_id),
    ]
    for change in changes:
        with pytest.raises(NotFound):
            change()
    assert goals.cycles(other) == [] and goals.wins(other) == []
    assert all(e.kind not in GOAL_KINDS for e in activity.entries(other))
    # and this team cannot link another team's assessment
    theirs = _assessment(_a_member_of(other), "Theirs")
    with pytest.raises(NotFound):
        goals.link_assessment(scope, cycle.id, theirs, True)
    # nothing changed here
    assert goals.get_cycle(scope, cycle.id) == cycle
    goal = goals.get_goal(scope, goal_id)
    assert [v.statement for v in goal.versions] == [smart.statement(DRAFT)]
    assert [c.value for c in goal.checkpoints] == [50]
    assert [w.id for w in goals.wins(scope)] == [win_id]


def test_cycle_goal_checkpoint_and_win_go_to_the_trash_and_back(team, cycle):
    leader, member, _ = _leader_and_others(team)
    goal_id = _saved_goal(member, cycle)
    checkpoint_id = goals.add_checkpoint(member, goal_id, dt.date(2026, 10, 14), 50, "quick")
    win_id = goals.post_win(member, "Fractions clicked")
    for plain_member_cannot in (
        lambda: goals.delete_goal(member, goal_id),
        lambda: goals.delete_cycle(member, cycle.id),
    ):
        with pytest.raises(AccessDenied):
            plain_member_cannot()

    goals.delete_checkpoint(member, checkpoint_id)
    assert goals.get_goal(member, goal_id).checkpoints == ()
    goals.delete_win(member, win_id)
    goals.delete_goal(leader, goal_id)
    with pytest.raises(NotFound):
        goals.get_goal(member, goal_id)
    assert goals.goals(member, cycle.id) == []
    goals.delete_cycle(leader, cycle.id)
    assert goals.cycles(member) == []
    with pytest.raises(NotFound):
        goals.get_cycle(member, cycle.id)

    in_trash = {(i.kind, i.id): i.label for i in trash.items(leader)}
    assert in_trash == {
        ("cycle", cycle.id): "Unit 3: fractions",
        ("goal", goal_id): "a SMART goal and its versions",
        ("goal checkpoint", checkpoint_id): "quick",
        ("win", win_id): "Fractions clicked",
    }
    with pytest.raises(AccessDenied):
        trash.restore(member, "cycle", cycle.id)

    trash.restore(leader, "cycle", cycle.id)
    assert [c.id for c in goals.cycles(member)] == [cycle.id]
    assert goals.goals(member, cycle.id) == []  # the goal was trashed on its own
    trash.restore(leader, "goal", goal_id)
    goal = goals.get_goal(member, goal_id)
    assert [v.draft for v in goal.versions] == [DRAFT] and goal.checkpoints == ()
    trash.restore(member, "goal checkpoint", checkpoint_id)
    assert [c.id for c in goals.get_goal(member, goal_id).checkpoints] == [checkpoint_id]
    trash.restore(member, "win", win_id)
    assert [w.id for w in goals.wins(member)] == [win_id]
    assert trash.items(leader) == []
    with pytest.raises(NotFound):
        trash.restore(leader, "win", win_id)


def test_a_trashed_cycle_hides_its_goals_until_restored(team, cycle):
    scope = team.member(0)
    goal_id = _saved_goal(scope, cycle)
    goals.delete_cycle(team.as_coach, cycle.id)
    with pytest.raises(NotFound):
        goals.get_goal(scope, goal_id)
    with pytest.raises(NotFound):
        team_goals.add_checkpoint(scope, goal_id, "2026-10-14", "50")
    assert [i.kind for i in trash.items(scope)] == ["cycle"]
    trash.restore(team.as_coach, "cycle", cycle.id)
    assert goals.get_goal(scope, goal_id).latest.draft == DRAFT


def test_a_learning_target_too_long_for_its_statement_is_refused_by_its_field(team, cycle):
    scope = team.member(0)
    goal_id = goals.new_goal(scope, cycle.id)
    long_target = "compare fractions " * 60  # over 1,000 characters
    with pytest.raises(InvalidInput) as refused:
        team_goals.save_version(
            scope, cycle, goal_id, dataclasses.replace(DRAFT, learning_target=long_target)
        )
    assert refused.value.field == "learning_target"
    assert goals.get_goal(scope, goal_id).versions == ()


def test_a_met_goal_with_the_longest_statement_still_posts_its_win(team, cycle):
    scope = team.member(0)
    goal_id = goals.new_goal(scope, cycle.id)
    goals.save_version(scope, goal_id, DRAFT, "S" * 2000)  # the longest a statement may be
    state = team_goals.add_checkpoint(scope, goal_id, "2026-10-15", "80")
    assert state.status == progress.MET
    [win] = goals.wins(scope)
    assert win.goal_id == goal_id and win.text.startswith("Goal met! SSS")
    assert len(win.text) == 2000


def test_a_visitor_who_has_not_picked_a_name_sees_a_goal_just_met(team, cycle):
    scope = team.member(0)
    goal_id = _saved_goal(scope, cycle)
    assert team_goals.add_checkpoint(scope, goal_id, "2026-10-15", "70").status != progress.MET
    # a new version lowers the target to the latest checkpoint: met, not yet posted
    team_goals.save_version(scope, cycle, goal_id, dataclasses.replace(DRAFT, target="70"))
    visitor = team.store.open_team(team.code)
    assert team_goals.refresh(visitor, goal_id).status == progress.MET
    assert goals.wins(scope) == []  # a viewer posts nothing
    team_goals.refresh(scope, goal_id)  # the next member who looks does
    assert len(goals.wins(scope)) == 1
