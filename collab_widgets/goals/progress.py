"""A goal's progress and status, by one rule, and its measure taken from an assessment.

The status rule (with today's date from the injectable clock):

* **not started**: no checkpoint yet;
* **met**: the latest checkpoint reaches the target;
* **not met**: the target date has passed without that;
* **on track**: the latest checkpoint is at or above the straight line from the baseline
  (on its date) to the target (on the target date), at the checkpoint's date, less the
  team's tolerance (default 5 points);
* **at risk**: otherwise.

A goal whose baseline, target or date is not written yet has no status to give
(**incomplete**).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from collab_widgets.core.errors import InvalidInput
from collab_widgets.evidence import views
from collab_widgets.evidence.analysis import Bands, GroupCuts
from collab_widgets.evidence.model import EvidenceSettings
from collab_widgets.evidence.scores import Scores
from collab_widgets.goals.model import (
    AVERAGE_PERCENT,
    COUNT_AT_BAND,
    DEFAULT_TOLERANCE,
    PERCENT_PROFICIENT,
    Checkpoint,
    GoalDraft,
)
from collab_widgets.goals.smart import date, number

NOT_STARTED, MET, NOT_MET, ON_TRACK, AT_RISK, INCOMPLETE = (
    "not started",
    "met",
    "not met",
    "on track",
    "at risk",
    "incomplete",
)
STATUSES = (NOT_STARTED, ON_TRACK, AT_RISK, MET, NOT_MET, INCOMPLETE)


@dataclass(frozen=True)
class Plan:
    """The line a goal follows: from ``baseline`` on ``starts`` to ``target`` on ``ends``."""

    baseline: float
    target: float
    starts: dt.date
    ends: dt.date
    tolerance: float = DEFAULT_TOLERANCE

    def expected(self, on: dt.date) -> float:
        """Where the straight line from baseline to target is on a date."""
        span = (self.ends - self.starts).days
        share = 1.0 if span <= 0 else min(1.0, max(0.0, (on - self.starts).days / span))
        return self.baseline + (self.target - self.baseline) * share


def plan(draft: GoalDraft, starts: dt.date) -> Plan | None:
    """The goal's line, or None while its baseline, target or date is not written."""
    baseline, target, ends = number(draft.baseline), number(draft.target), date(draft.by_date)
    if baseline is None or target is None or ends is None:
        return None
    tolerance = number(draft.tolerance)
    return Plan(
        baseline, target, starts, ends, DEFAULT_TOLERANCE if tolerance is None else tolerance
    )


def status(line: Plan | None, checkpoints: tuple[Checkpoint, ...] | list, today: dt.date) -> str:
    """The status by the rule in this module's docstring."""
    if line is None:
        return INCOMPLETE
    if not checkpoints:
        return NOT_STARTED
    latest = max(checkpoints, key=lambda c: (c.taken_on, c.id))
    if latest.value >= line.target:
        return MET
    if today > line.ends:
        return NOT_MET
    if latest.value >= line.expected(latest.taken_on) - line.tolerance:
        return ON_TRACK
    return AT_RISK


def measure(scores: Scores, draft: GoalDraft, settings: EvidenceSettings) -> tuple[float, int]:
    """The goal's measure on one assessment, for its group: (value, students counted).
    A group under the privacy minimum is refused (InvalidInput), as in every view."""
    chosen = views.StudentFilter(draft.group_column, draft.group_value or "")
    group = views.only(scores, chosen, settings.min_n)
    percents = group.analysis().student_percents().dropna()
    if len(percents) < settings.min_n:
        raise InvalidInput(
            f"Fewer than {settings.min_n} students of this group have scores, so the measure "
            "is not shown (small groups could identify students).",
            "baseline",
        )
    if draft.measure == PERCENT_PROFICIENT:
        proficient = GroupCuts(*settings.group_cuts).proficient
        return float((percents >= proficient).mean() * 100), len(percents)
    if draft.measure == AVERAGE_PERCENT:
        return float(percents.mean()), len(percents)
    if draft.measure == COUNT_AT_BAND:
        bands = Bands(settings.band_names, settings.band_cuts)
        if draft.band not in bands.names:
            raise InvalidInput("Choose the lowest band that counts first.", "band")
        lowest = bands.names.index(draft.band)
        counted = bands.positions(percents) >= lowest
        return float(counted.sum()), len(percents)
    raise InvalidInput("Choose how progress is measured first.", "measure")


def explain(line: Plan | None, checkpoints, today: dt.date, unit: str = "") -> str:
    """The status in a sentence, with the figures the rule compared."""
    shown = status(line, checkpoints, today)
    if shown == INCOMPLETE:
        return "Incomplete: the goal needs a baseline, a target and a date before it has a status."
    if shown == NOT_STARTED:
        return "Not started: add a checkpoint (from an assessment, or typed) to see progress."
    latest = max(checkpoints, key=lambda c: (c.taken_on, c.id))
    figure = f"{latest.value:g}{unit} on {latest.taken_on:%d %b %Y}"
    if shown == MET:
        return f"Met: the latest checkpoint ({figure}) reaches the target of {line.target:g}{unit}."
    if shown == NOT_MET:
        return (
            f"Not met: {line.ends:%d %b %Y} has passed and the latest checkpoint ({figure}) is "
            f"under the target of {line.target:g}{unit}."
        )
    expected = line.expected(latest.taken_on)
    where = "at or above" if shown == ON_TRACK else "below"
    points = "point" if line.tolerance == 1 else "points"
    return (
        f"{shown.capitalize()}: the latest checkpoint ({figure}) is {where} the goal line "
        f"({expected:.1f}{unit} on that date) less the tolerance of {line.tolerance:g} {points}."
    )
