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
from collections.abc import Callable, Iterator
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


# A check reads the draft (and what it is compared with) and yields what is missing or
# wrong in its one field, as (kind, message) pairs.
Problems = Iterator[tuple[str, str]]


def _group(draft: GoalDraft, context: GoalContext) -> Problems:
    if not draft.group.strip():
        yield MISSING, "Say which students the goal is for, e.g. “all our 4th graders”."
    elif len(draft.group) > MAX_GROUP:
        yield WRONG, f"Name the group in {MAX_GROUP} characters or fewer."


def _whole_group_size(draft: GoalDraft) -> float | None:
    """The group's size when it is typed as a whole number of 1 or more."""
    size = number(draft.group_size)
    return size if size is not None and size == int(size) and size >= 1 else None


def _group_size(draft: GoalDraft, context: GoalContext) -> Problems:
    if not draft.group_size.strip():
        if draft.measure == COUNT_AT_BAND:
            yield (
                MISSING,
                "Say how many students are in the group, so the target can be checked against it.",
            )
    elif (size := _whole_group_size(draft)) is None:
        yield WRONG, "Write the number of students as a whole number, e.g. 48."
    elif size < context.min_n:
        yield (
            WRONG,
            f"Groups of fewer than {context.min_n} students are not shown, to protect "
            "their privacy; set the goal for a larger group.",
        )


def _learning_target(draft: GoalDraft, context: GoalContext) -> Problems:
    words = draft.learning_target.split()
    if not words:
        yield MISSING, "Name what students will learn (the standard or target)."
    elif len(draft.learning_target) > MAX_LEARNING_TARGET:
        yield (
            WRONG,
            f"Keep the learning target to {MAX_LEARNING_TARGET} characters or fewer; put "
            "the detail in the cycle's first question.",
        )
    elif len(words) < MIN_TARGET_WORDS:
        yield (
            MISSING,
            "Be more specific: name the standard or skill, e.g. “compare fractions with "
            "unlike denominators (4.NF.2)”.",
        )


def _measure(draft: GoalDraft, context: GoalContext) -> Problems:
    if draft.measure not in MEASURES:
        yield MISSING, "Choose how progress is measured."


def _band(draft: GoalDraft, context: GoalContext) -> Problems:
    if draft.measure == COUNT_AT_BAND and draft.band not in context.band_names:
        yield MISSING, "Choose the lowest band that counts."


def _out_of_range(value: float, draft: GoalDraft) -> str | None:
    """Why a baseline or target ``value`` is outside what the measure can count, if it is."""
    if value < 0:
        return "Use a number of 0 or more."
    if is_percent(draft.measure) and value > 100:
        return "A percent is at most 100."
    size = _whole_group_size(draft) if draft.measure == COUNT_AT_BAND else None
    if size is not None and value > size:
        students = "student" if size == 1 else "students"
        return f"The group has {size:g} {students}; the count cannot be more."
    return None


def _figure(typed: str, draft: GoalDraft, empty: str) -> Problems:
    """A baseline or target: typed, a number, within the measure's range."""
    if not typed.strip():
        yield MISSING, empty
    elif (value := number(typed)) is None:
        yield WRONG, f"“{typed.strip()[:40]}” is not a number; write one, e.g. 42."
    elif (problem := _out_of_range(value, draft)) is not None:
        yield WRONG, problem


def _usable(typed: str, draft: GoalDraft) -> float | None:
    """A typed baseline or target that passes :func:`_figure`, as a number."""
    value = number(typed)
    return value if value is not None and _out_of_range(value, draft) is None else None


def _baseline(draft: GoalDraft, context: GoalContext) -> Problems:
    yield from _figure(
        draft.baseline,
        draft,
        "No baseline: type where the group is now, or take it from an assessment.",
    )
    if (
        draft.baseline_assessment_id is not None
        and draft.baseline_assessment_id not in context.assessments
    ):
        yield (
            WRONG,
            "The assessment this baseline came from is no longer there (deleted, or in the "
            "trash). Restore it, take the baseline from another assessment, or type it.",
        )


def _target(draft: GoalDraft, context: GoalContext) -> Problems:
    yield from _figure(draft.target, draft, "No target: type the number the group will reach.")
    target, baseline = _usable(draft.target, draft), _usable(draft.baseline, draft)
    if target is not None and baseline is not None and target <= baseline:
        yield WRONG, f"The target should be above the baseline ({baseline:g})."


def _by_date(draft: GoalDraft, context: GoalContext) -> Problems:
    by = draft.by_date.strip()
    if not by:
        yield MISSING, "Say by when, as a date (YYYY-MM-DD)."
    elif (when := date(by)) is None:
        yield WRONG, "That is not a date: write it as YYYY-MM-DD, e.g. 2026-12-18."
    elif when < context.today:
        yield WRONG, f"{when:%d %B %Y} has passed; choose a date from today on."
    elif when > context.cycle_ends:
        yield (
            WRONG,
            f"The cycle ends on {context.cycle_ends:%d %B %Y}; choose a date within it (or "
            "extend the cycle).",
        )


def _tolerance(draft: GoalDraft, context: GoalContext) -> Problems:
    if not draft.tolerance.strip():
        return
    tolerance = number(draft.tolerance)
    if tolerance is None or not 0 <= tolerance <= MAX_TOLERANCE:
        yield WRONG, f"Write the tolerance as points from 0 to {MAX_TOLERANCE:g}, e.g. 5."


# Each field's check, in the order of the builder's fields.
CHECKS: tuple[tuple[str, Callable[[GoalDraft, GoalContext], Problems]], ...] = (
    ("group", _group),
    ("group_size", _group_size),
    ("learning_target", _learning_target),
    ("measure", _measure),
    ("band", _band),
    ("baseline", _baseline),
    ("target", _target),
    ("by_date", _by_date),
    ("tolerance", _tolerance),
)


def check(draft: GoalDraft, context: GoalContext) -> list[Finding]:
    """Every finding, in the order of the builder's fields."""
    return [
        Finding(field, kind, message)
        for field, field_check in CHECKS
        for kind, message in field_check(draft, context)
    ]


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
