"""What student collaboration reads from the team's evidence: a saved assessment's
students (to start a class), each student's percent or band on an assessment, one of its
standards or a set of its items (for grouping and tutoring), their question 3/4 group,
and growth between two assessments by group arrangement (with small groups suppressed).

Students are matched by the id in the school's system (the class's ``key`` is the
assessment's student id), through the team's pseudonym of it. Everything is keyed by the
class's student ids."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.analysis import Analysis, Bands
from collab_widgets.evidence.privacy import pseudonym
from collab_widgets.evidence.scores import Scores
from collab_widgets.students.model import Student
from collab_widgets.students.rules import StudentRow, default_display_name


def assessments(scope: TeamScope) -> list[tuple[str, int]]:
    """The team's saved assessments (label, id), newest first."""
    return [(f"{a.name} ({a.students} students)", a.id) for a in evidence.assessments(scope)]


def students_of(scope: TeamScope, assessment_id: int) -> list[StudentRow]:
    """A class list from a saved assessment: its students, their names as saved, and its
    student attributes as the teacher's notes."""
    scores = saved.load(scope, assessment_id)
    rows = []
    for key, row in scores.students.iterrows():
        name = str(row.get("name", "") or "")
        notes = {a: str(row.get(a, "") or "") for a in scores.attributes}
        rows.append(
            StudentRow(
                key=str(key),
                name=name,
                display_name=default_display_name("", "", name),
                attributes={k: v for k, v in notes.items() if v},
            )
        )
    return rows


def standards(scope: TeamScope, assessment_id: int) -> list[str]:
    items = saved.load(scope, assessment_id).items
    return [s for s in dict.fromkeys(items["standard"].astype(str)) if s]


def items(scope: TeamScope, assessment_id: int) -> list[str]:
    return [str(i) for i in saved.load(scope, assessment_id).items.index]


def _percents(scores: Scores, standard: str | None, chosen: list[str] | None) -> pd.Series:
    """Each student's percent on the whole assessment, one standard, or some items."""
    if not standard and not chosen:
        return Analysis(scores).student_percents()
    columns = scores.items.index
    if standard:
        picked = scores.items["standard"].astype(str) == standard
    else:
        picked = pd.Series([str(i) in set(chosen or []) for i in columns], index=columns)
    if not picked.any():
        raise InvalidInput("None of the assessment's items is in that choice; choose others.")
    points = scores.points.loc[:, picked.to_numpy()]
    maxima = scores.items.loc[picked.to_numpy(), "max_points"].to_numpy(dtype=float)
    answered = points.notna().to_numpy()
    possible = (answered * maxima).sum(axis=1)
    earned = np.nansum(points.to_numpy(dtype=float), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = np.where(possible > 0, earned / possible * 100, np.nan)
    return pd.Series(percent, index=scores.points.index)


def percents(
    scope: TeamScope,
    assessment_id: int,
    roster: list[Student],
    standard: str | None = None,
    chosen_items: list[str] | None = None,
) -> dict[int, float | None]:
    """Each class student's percent (None where the assessment has no score for them).
    Students are matched by the team's pseudonym of their id, which every reader's roster
    holds (a coach's too, who never sees the ids themselves)."""
    found = _percents(saved.load(scope, assessment_id), standard, chosen_items)
    salt = evidence.settings(scope).pseudonym_salt
    by_pseudonym = {pseudonym(salt, str(k)): v for k, v in found.items()}
    values = {}
    for student in roster:
        value = by_pseudonym.get(student.pseudonym)
        values[student.id] = None if value is None or math.isnan(value) else float(value)
    return values


def bands(
    scope: TeamScope,
    assessment_id: int,
    roster: list[Student],
    standard: str | None = None,
) -> dict[int, str | None]:
    """Each class student's band (the team's band names and cuts)."""
    cuts = saved.bands(evidence.settings(scope))
    return _named(cuts, percents(scope, assessment_id, roster, standard))


def question_groups(
    scope: TeamScope, assessment_id: int, roster: list[Student]
) -> dict[int, str | None]:
    """Each class student's question 3/4 group on the assessment (the team's cuts):
    intervention, close, proficient or extension."""
    cuts = saved.group_cuts(evidence.settings(scope))
    return _named(cuts.bands(), percents(scope, assessment_id, roster))


def _named(bands: Bands, found: dict[int, float | None]) -> dict[int, str | None]:
    known = {k: v for k, v in found.items() if v is not None}
    named = bands.of(pd.Series(known, dtype=float)) if known else pd.Series(dtype=object)
    return {i: (str(named[i]) if i in known else None) for i in found}


@dataclass(frozen=True)
class GrowthRow:
    arrangement: str  # e.g. "Project teams (groups)", "Fractions pairs: tutors"
    students: int  # matched on both assessments
    before: float | None  # mean percent; None when suppressed
    after: float | None
    growth: float | None


def growth_by_arrangement(
    scope: TeamScope,
    roster: list[Student],
    arrangements: list[tuple[str, set[int]]],
    before_id: int,
    after_id: int,
) -> tuple[list[GrowthRow], int]:
    """Mean percent before and after, and the growth, of the students of each arrangement
    (a saved grouping, or one role in tutoring pairs), matched on both assessments. A row
    of fewer students than the team's smallest group shown has no figures (suppressed).
    Returns the rows and that smallest group."""
    if before_id == after_id:
        raise InvalidInput("Choose two different assessments: one before, one after.")
    min_n = evidence.settings(scope).min_n
    before = percents(scope, before_id, roster)
    after = percents(scope, after_id, roster)
    rows = []
    for label, members in arrangements:
        matched = [i for i in members if before.get(i) is not None and after.get(i) is not None]
        if len(matched) < min_n:
            rows.append(GrowthRow(label, len(matched), None, None, None))
            continue
        mean_before = sum(before[i] for i in matched) / len(matched)
        mean_after = sum(after[i] for i in matched) / len(matched)
        rows.append(
            GrowthRow(label, len(matched), mean_before, mean_after, mean_after - mean_before)
        )
    return rows, min_n
