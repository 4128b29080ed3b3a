"""The SMART-goal builder's checks and the goal statement it composes.

A goal is typed field by field (:class:`~collab_widgets.model.GoalDraft`, text as
written). :func:`check` says, by field, what is missing (the goal can be saved, but is not
yet SMART) and what is wrong (it cannot be saved until corrected): no baseline, no number,
a target not above the baseline, a value outside the measure's range, a date in the past or
beyond the cycle, a baseline from an assessment the team no longer has, a group smaller than
the privacy minimum. No widgets here: the builder's screen shows these findings by its
fields.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from collab_widgets.evidence.model import DEFAULT_BAND_NAMES, DEFAULT_MIN_N
from collab_widgets.goals.model import (
    AVERAGE_PERCENT,
    COUNT_AT_BAND,
    MEASURES,
    PERCENT_PROFICIENT,
    GoalDraft,
)

MISSING, WRONG = "missing", "wrong"
MIN_TARGET_WORDS = 3  # "fractions" alone says too little of what students will learn
MAX_TOLERANCE = 50.0
THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")
# the statement joins these, and must stay within what a page keeps (MAX_TEXT)
MAX_GROUP, MAX_LEARNING_TARGET = 200, 1000

LABELS = {
    "group": "Student group",
    "group_size": "Students in the group",
    "learning_target": "Learning target",
    "measure": "Measure",
    "band": "Band",
    "baseline": "Baseline",
    "baseline_assessment_id": "Baseline from",
    "group_column": "Group column",
    "group_value": "Group",
    "target": "Target",
    "by_date": "By (date)",
    "tolerance": "Tolerance (points)",
}


@dataclass(frozen=True)
class Finding:
    """What one field lacks (``MISSING``: the goal saves but is not yet SMART) or gets
    wrong (``WRONG``: correct it before saving)."""

    field: str
    kind: str
    message: str


@dataclass(frozen=True)
class GoalContext:
    """What the checks compare a goal with."""

    today: dt.date
    cycle_starts: dt.date
    cycle_ends: dt.date
    assessments: dict[int, str]  # the team's assessments not in the trash: id -> name
    min_n: int = DEFAULT_MIN_N
    band_names: tuple[str, ...] = DEFAULT_BAND_NAMES


def number(typed: str) -> float | None:
    """A number as people type it ("42", "42.5", "42,5", "42 %", "1,000"); None if it is
    not one. A comma is a decimal comma unless it separates thousands."""
    text = (typed or "").strip().rstrip("%").strip()
    text = text.replace(",", "") if THOUSANDS.fullmatch(text) else text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def date(typed: str) -> dt.date | None:
    """A date written YYYY-MM-DD; None if it is not a real one."""
    try:
        return dt.date.fromisoformat((typed or "").strip())
    except ValueError:
        return None


def is_percent(measure: str) -> bool:
    return measure in (PERCENT_PROFICIENT, AVERAGE_PERCENT)


def check(draft: GoalDraft, context: GoalContext) -> list[Finding]:
    """Every finding, in the order of the builder's fields."""
    found: list[Finding] = []

    def missing(field: str, message: str) -> None:
        found.append(Finding(field, MISSING, message))

    def wrong(field: str, message: str) -> None:
        found.append(Finding(field, WRONG, message))

    if not draft.group.strip():
        missing("group", "Say which students the goal is for, e.g. “all our 4th graders”.")
    elif len(draft.group) > MAX_GROUP:
        wrong("group", f"Name the group in {MAX_GROUP} characters or fewer.")
    size = None
    if draft.group_size.strip():
        size = number(draft.group_size)
        if size is None or size != int(size) or size < 1:
            wrong("group_size", "Write the number of students as a whole number, e.g. 48.")
            size = None
        elif size < context.min_n:
            wrong(
                "group_size",
                f"Groups of fewer than {context.min_n} students are not shown, to protect "
                "their privacy; set the goal for a larger group.",
            )
    elif draft.measure == COUNT_AT_BAND:
        missing(
            "group_size",
            "Say how many students are in the group, so the target can be checked against it.",
        )
    words = draft.learning_target.split()
    if not words:
        missing("learning_target", "Name what students will learn (the standard or target).")
    elif len(draft.learning_target) > MAX_LEARNING_TARGET:
        wrong(
            "learning_target",
            f"Keep the learning target to {MAX_LEARNING_TARGET} characters or fewer; put the "
            "detail in the cycle's first question.",
        )
    elif len(words) < MIN_TARGET_WORDS:
        missing(
            "learning_target",
            "Be more specific: name the standard or skill, e.g. “compare fractions with "
            "unlike denominators (4.NF.2)”.",
        )
    if draft.measure not in MEASURES:
        missing("measure", "Choose how progress is measured.")
    elif draft.measure == COUNT_AT_BAND and draft.band not in context.band_names:
        missing("band", "Choose the lowest band that counts.")

    def in_range(field: str, value: float) -> bool:
        if value < 0:
            wrong(field, "Use a number of 0 or more.")
        elif is_percent(draft.measure) and value > 100:
            wrong(field, "A percent is at most 100.")
        elif draft.measure == COUNT_AT_BAND and size is not None and value > size:
            students = "student" if size == 1 else "students"
            wrong(field, f"The group has {size:g} {students}; the count cannot be more.")
        else:
            return True
        return False

    baseline = _typed_number(
        draft.baseline,
        "baseline",
        missing,
        wrong,
        "No baseline: type where the group is now, or take it from an assessment.",
    )
    if baseline is not None and not in_range("baseline", baseline):
        baseline = None
    if (
        draft.baseline_assessment_id is not None
        and draft.baseline_assessment_id not in context.assessments
    ):
        wrong(
            "baseline",
            "The assessment this baseline came from is no longer there (deleted, or in the "
            "trash). Restore it, take the baseline from another assessment, or type it.",
        )
    target = _typed_number(
        draft.target, "target", missing, wrong, "No target: type the number the group will reach."
    )
    if (
        target is not None
        and in_range("target", target)
        and baseline is not None
        and target <= baseline
    ):
        wrong("target", f"The target should be above the baseline ({baseline:g}).")
    by = draft.by_date.strip()
    if not by:
        missing("by_date", "Say by when, as a date (YYYY-MM-DD).")
    elif (when := date(by)) is None:
        wrong("by_date", "That is not a date: write it as YYYY-MM-DD, e.g. 2026-12-18.")
    elif when < context.today:
        wrong("by_date", f"{when:%d %B %Y} has passed; choose a date from today on.")
    elif when > context.cycle_ends:
        wrong(
            "by_date",
            f"The cycle ends on {context.cycle_ends:%d %B %Y}; choose a date within it (or "
            "extend the cycle).",
        )
    tolerance = number(draft.tolerance) if draft.tolerance.strip() else None
    if draft.tolerance.strip() and (tolerance is None or not 0 <= tolerance <= MAX_TOLERANCE):
        wrong("tolerance", f"Write the tolerance as points from 0 to {MAX_TOLERANCE:g}, e.g. 5.")
    return found


def _typed_number(typed: str, field: str, missing, wrong, empty: str) -> float | None:
    if not typed.strip():
        missing(field, empty)
        return None
    value = number(typed)
    if value is None:
        wrong(field, f"“{typed.strip()[:40]}” is not a number; write one, e.g. 42.")
    return value


def can_save(findings: list[Finding]) -> bool:
    """A version is saved when nothing is wrong; what is missing can follow."""
    return not any(f.kind == WRONG for f in findings)


def by_field(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.field, []).append(finding)
    return grouped


def statement(draft: GoalDraft, assessment_name: str = "") -> str:
    """The goal in one sentence; what is not written yet shows in [brackets]."""
    group = draft.group.strip() or "[which students]"
    learning = draft.learning_target.strip() or "[what they will learn]"
    when = date(draft.by_date)
    by = f"{when:%d %B %Y}" if when else "[date]"
    unit = "%" if is_percent(draft.measure) else ""

    def figure(typed: str, empty: str) -> str:
        value = number(typed)
        return f"{value:g}{unit}" if value is not None else empty

    baseline = figure(draft.baseline, "[baseline]")
    target = figure(draft.target, "[target]")
    if draft.measure == PERCENT_PROFICIENT:
        what = f"the percent of {group} proficient in {learning}"
    elif draft.measure == AVERAGE_PERCENT:
        what = f"the average percent correct of {group} in {learning}"
    elif draft.measure == COUNT_AT_BAND:
        band = draft.band or "[band]"
        what = f"the number of {group} at or above “{band}” in {learning}"
    else:
        what = f"[how it is measured] of {group} in {learning}"
    source = f", as measured by {assessment_name}" if assessment_name else ""
    return f"By {by}, {what} will rise from {baseline} to {target}{source}."


def differences(older: GoalDraft, newer: GoalDraft) -> list[tuple[str, str, str]]:
    """The fields two versions differ in: (label, older value, newer value)."""
    changed = []
    for field in dataclasses.fields(GoalDraft):
        before, after = getattr(older, field.name), getattr(newer, field.name)
        if before != after:
            changed.append((LABELS[field.name], _shown(before), _shown(after)))
    return changed


def _shown(value) -> str:
    return "(none)" if value in (None, "") else str(value)
