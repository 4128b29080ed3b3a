"""The families' rules: the class graph counts children per bar (never who), a family's
goal is checked like a SMART goal in a family's words, and a goal's progress is read at
the next meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.families import rules
from collab_widgets.families.model import Progress
from collab_widgets.families.rules import GoalDraft

DAY = dt.date(2026, 10, 20)
TODAY = dt.date(2026, 10, 15)


def test_the_graph_counts_children_per_bar_and_hides_a_small_class():
    bars = rules.bins_of([0, 19.4, 19.6, 20, 39.5, 60, 79.9, 80, 100, None], min_n=5)
    assert [(b.low, b.high, b.count) for b in bars] == [
        (0, 20, 2),
        (20, 40, 2),
        (40, 60, 1),  # 39.5 reads as 40
        (60, 80, 1),
        (80, 100, 3),  # 79.9 reads as 80; 100 is in the top bar
    ]
    assert [rules.bar_range(b) for b in bars] == [(0, 19), (20, 39), (40, 59), (60, 79), (80, 100)]
    assert rules.bins_of([50, 60, 70, None, None], min_n=4) is None  # three results of four
    assert rules.bins_of([], min_n=1) is None


def check(draft: GoalDraft, now: float | None = 40.0):
    return rules.check_goal(draft, now, DAY, TODAY)


def test_a_complete_goal_is_kept_as_typed_with_a_date_sixty_days_on():
    goal, problems = check(GoalDraft("  Read   together every night ", "4", "75,5", ""))
    assert problems == []
    assert goal == rules.CheckedGoal(
        "Read together every night", 4, 75.5, DAY + dt.timedelta(days=60)
    )


@pytest.mark.parametrize(
    ("draft", "field", "words"),
    [
        (GoalDraft("", "4", "80"), "practice", "Write what you will do"),
        (GoalDraft("Read", "4", "80"), "practice", "Say a little more"),
        (GoalDraft("x " * 300, "4", "80"), "practice", "Keep it shorter"),
        (GoalDraft("Read every night", "four", "80"), "times_per_week", "whole number"),
        (GoalDraft("Read every night", "2.5", "80"), "times_per_week", "whole number"),
        (GoalDraft("Read every night", "20", "80"), "times_per_week", "from 1 to 14"),
        (GoalDraft("Read every night", "4", "eighty"), "target", "number from 1 to 100"),
        (GoalDraft("Read every night", "4", "120"), "target", "number from 1 to 100"),
        (GoalDraft("Read every night", "4", "0"), "target", "number from 1 to 100"),
        (GoalDraft("Read every night", "4", "30"), "target", "above your child's result"),
        (GoalDraft("Read every night", "4", "80", "someday"), "by_date", "Choose a date"),
        (GoalDraft("Read every night", "4", "80", "2026-10-01"), "by_date", "not passed"),
        (GoalDraft("Read every night", "4", "80", "2027-06-01"), "by_date", "two months"),
    ],
)
def test_each_problem_is_said_by_its_field_and_nothing_is_kept(draft, field, words):
    goal, problems = check(draft)
    assert goal is None
    assert [p.field for p in problems] == [field]
    assert words in problems[0].message.format(**problems[0].values)


def test_a_child_at_the_top_can_aim_to_stay_there_and_no_result_asks_for_none():
    assert check(GoalDraft("Read every night", "4", "100"), now=100.0)[1] == []
    assert check(GoalDraft("Read every night", "4", "99"), now=100.0)[0] is None
    assert check(GoalDraft("Read every night", "4", "10"), now=None)[1] == []


def test_progress_at_the_next_meeting():
    assert rules.progress(80, 40, []).status == "waiting"
    assert rules.progress(80, 40, [None]).status == "waiting"
    assert rules.progress(80, 40, [85]).status == "reached"
    assert rules.progress(80, 40, [55, 60]) == Progress("closer", 40, 60)
    assert rules.progress(80, 40, [35]).status == "not-yet"
    assert rules.progress(80, None, [35]).status == "not-yet"


def test_times_of_day_and_rates():
    assert rules.check_time(" 9:05 ") == "09:05"
    with pytest.raises(InvalidInput, match="hours and minutes"):
        rules.check_time("25:00")
    assert rules.rate(1, 4) == 25 and rules.rate(3, 0) is None
