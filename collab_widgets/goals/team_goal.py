"""A team's goals against its store and its evidence: the checks' context, saving a
version, a baseline or checkpoint taken from a saved assessment, and each goal's status
(posting the win when a goal is met)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from collab_widgets.core.db import Permission, TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence_store
from collab_widgets.evidence.analysis import GROUPS, GroupCuts
from collab_widgets.goals import progress, smart, store
from collab_widgets.goals.model import Cycle, Goal, GoalDraft


@dataclass(frozen=True)
class GoalState:
    """A goal as its pages show it: its line (None while incomplete) and status."""

    goal: Goal
    line: progress.Plan | None
    status: str


def today(scope: TeamScope) -> dt.date:
    return scope.store.now().date()


def context(scope: TeamScope, cycle: Cycle) -> smart.GoalContext:
    settings = evidence_store.settings(scope)
    return smart.GoalContext(
        today=today(scope),
        cycle_starts=cycle.starts_on,
        cycle_ends=cycle.ends_on,
        assessments={a.id: a.name for a in evidence_store.assessments(scope)},
        min_n=settings.min_n,
        band_names=settings.band_names,
    )


def assessment_name(scope: TeamScope, assessment_id: int | None) -> str:
    if assessment_id is None:
        return ""
    names = {a.id: a.name for a in evidence_store.assessments(scope)}
    return f"“{names[assessment_id]}”" if assessment_id in names else ""


def save_version(scope: TeamScope, cycle: Cycle, goal_id: int, draft: GoalDraft) -> int:
    """The draft as a new version, or InvalidInput naming the first field to correct."""
    findings = smart.check(draft, context(scope, cycle))
    wrong = [f for f in findings if f.kind == smart.WRONG]
    if wrong:
        raise InvalidInput(f"{smart.LABELS[wrong[0].field]}: {wrong[0].message}", wrong[0].field)
    text = smart.statement(draft, assessment_name(scope, draft.baseline_assessment_id))
    return store.save_version(scope, goal_id, draft, text)


def baseline_from(scope: TeamScope, draft: GoalDraft, assessment_id: int) -> GoalDraft:
    """The draft with its baseline (and the group's size) measured on an assessment."""
    scores = saved.load(scope, assessment_id)
    value, counted = progress.measure(scores, draft, evidence_store.settings(scope))
    return dataclasses.replace(
        draft,
        baseline=f"{value:.1f}".removesuffix(".0"),
        baseline_assessment_id=assessment_id,
        group_size=str(counted),
    )


def starts(scope: TeamScope, goal: Goal) -> dt.date:
    """Where the goal's line starts: the day its baseline's assessment was given (or
    added), else the day the goal was first saved."""
    draft = goal.latest.draft
    for info in evidence_store.assessments(scope):
        if info.id == draft.baseline_assessment_id:
            return info.given_on or info.created_at.date()
    return goal.versions[0].saved_at.date()


def state(scope: TeamScope, goal: Goal) -> GoalState:
    if not goal.versions:
        return GoalState(goal, None, progress.INCOMPLETE)
    line = progress.plan(goal.latest.draft, starts(scope, goal))
    return GoalState(goal, line, progress.status(line, goal.checkpoints, today(scope)))


def checkpoint_from(
    scope: TeamScope, goal: Goal, assessment_id: int, taken_on: dt.date | None = None
) -> GoalState:
    """A checkpoint measured on an assessment, for the goal's group and measure."""
    info = next((a for a in evidence_store.assessments(scope) if a.id == assessment_id), None)
    if info is None:
        raise InvalidInput("That assessment is no longer there (it may be in the trash).")
    draft = goal.latest.draft
    value, counted = progress.measure(
        saved.load(scope, assessment_id), draft, evidence_store.settings(scope)
    )
    when = taken_on or info.given_on or today(scope)
    if when > today(scope):  # the store refuses it too; here the fix can name the assessment
        raise InvalidInput(
            "A checkpoint records a result you already have; its date cannot be after today "
            f"({today(scope):%d %b %Y}), and “{info.name}” is dated {when:%d %b %Y}. Correct "
            "its date in the Evidence workbook, or add the checkpoint once it has been given.",
            "checkpoint_date",
        )
    note = f"{info.name} ({counted} {'student' if counted == 1 else 'students'})"
    store.add_checkpoint(scope, goal.id, when, round(value, 1), note, assessment_id)
    return refresh(scope, goal.id)


def add_checkpoint(
    scope: TeamScope, goal_id: int, typed_date: str, typed_value: str, note: str = ""
) -> GoalState:
    """A checkpoint typed by hand (a quick check the team did not upload)."""
    when = smart.date(typed_date)
    if when is None:
        raise InvalidInput("Write the checkpoint's date as YYYY-MM-DD.", "checkpoint_date")
    value = smart.number(typed_value)
    if value is None or value < 0:
        raise InvalidInput("Write the checkpoint's value as a number, e.g. 55.", "checkpoint")
    store.add_checkpoint(scope, goal_id, when, value, note)
    return refresh(scope, goal_id)


def refresh(scope: TeamScope, goal_id: int) -> GoalState:
    """The goal's state; a goal met for the first time posts itself on the wall of wins."""
    current = state(scope, store.get_goal(scope, goal_id))
    if (
        current.status == progress.MET
        and not current.goal.met_posted
        and scope.allows(Permission.CONTRIBUTE)  # a viewer only: the next member posts it
    ):
        store.post_goal_met(scope, goal_id, f"Goal met! {current.goal.latest.statement}")
    return current


def groups_summary(scope: TeamScope, cycle: Cycle) -> list[str]:
    """Questions 3 and 4 for the cycle's latest common assessment: how many students each
    group has (a group under the privacy minimum is not counted) and what it missed."""
    linked = [a for a in evidence_store.assessments(scope) if a.id in cycle.assessment_ids]
    if not linked:
        return ["Link a common assessment above to see who needs intervention and extension."]
    latest = linked[0]  # the most recently added
    settings = evidence_store.settings(scope)
    results = saved.load(scope, latest.id).analysis()
    cuts = GroupCuts(*settings.group_cuts)
    counts = results.groups(cuts)["group"].value_counts()
    needs = results.group_needs(cuts)
    students = "student" if latest.students == 1 else "students"
    lines = [f"From “{latest.name}” ({latest.students} {students}):"]
    for group in GROUPS:
        n = int(counts.get(group, 0))
        size = (
            f"{n} {'student' if n == 1 else 'students'}"
            if n >= settings.min_n or n == 0
            else (f"fewer than {settings.min_n} students")
        )
        missed = ", ".join(needs[group][:5])
        lines.append(f"{group}: {size}" + (f"; most missed: {missed}" if missed else ""))
    return lines
