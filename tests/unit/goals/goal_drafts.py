"""The goal the goals tests start from: a valid percent-proficient draft against a cycle
from 1 September to 18 December 2026, checked on 15 October, with assessment 7 saved."""

from __future__ import annotations

import datetime as dt

from collab_widgets.goals import smart
from collab_widgets.goals.model import PERCENT_PROFICIENT, GoalDraft

TODAY = dt.date(2026, 10, 15)

CONTEXT = smart.GoalContext(
    today=TODAY,
    cycle_starts=dt.date(2026, 9, 1),
    cycle_ends=dt.date(2026, 12, 18),
    assessments={7: "Unit 3 pre"},
)

VALID = GoalDraft(
    group="all our 4th graders",
    group_size="48",
    learning_target="compare fractions with unlike denominators",
    measure=PERCENT_PROFICIENT,
    baseline="40",
    baseline_assessment_id=7,
    target="75",
    by_date="2026-12-11",
    tolerance="5",
)
