"""Assessments kept in the team's store: a :class:`Scores` saved and read back whole, the
column mappings remembered by the columns a file has, and the team's settings as the
analyses take them."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from collab_widgets.core.db import TeamScope
from collab_widgets.evidence import mapping as m
from collab_widgets.evidence import store
from collab_widgets.evidence.analysis import Bands, GroupCuts
from collab_widgets.evidence.model import AssessmentItem, EvidenceSettings, StudentResult
from collab_widgets.evidence.scores import Scores

PERSON_COLUMNS = ("name", "teacher", "section")
REPORTED = ("reported_total", "reported_max")


def save(
    scope: TeamScope,
    scores: Scores,
    name: str,
    *,
    given_on: dt.date | None = None,
    file_name: str = "",
) -> int:
    """Store ``scores`` for the team; returns the assessment's id."""
    items = [
        AssessmentItem(
            item=str(item),
            standard=str(row["standard"]),
            max_points=float(row["max_points"]),
            answer=str(row["answer"]),
            options=bool(row["options"]),
        )
        for item, row in scores.items.iterrows()
    ]
    order = list(scores.items.index)
    students = scores.students
    points = scores.points.reindex(index=students.index, columns=order).to_numpy(dtype=float)
    chosen = (
        scores.choices.reindex(index=students.index, columns=order, fill_value="")
        .to_numpy(dtype=object)
        .reshape(len(students), len(order))
    )

    def texts(column: str) -> list[str]:
        return students[column].astype(str).tolist()

    def optional(column: str) -> list[float | None]:
        if column not in students:
            return [None] * len(students)
        return [None if pd.isna(x) else float(x) for x in students[column]]

    # column by column (a per-cell lookup costs seconds on 50,000 students)
    points_cells = points.astype(object)
    points_cells[np.isnan(points)] = None
    attributes = {a: texts(a) for a in scores.attributes}
    results = [
        StudentResult(
            key=key,
            name=name,
            teacher=teacher,
            section=section,
            attributes={a: values[row] for a, values in attributes.items()},
            points=tuple(point_row),
            responses=tuple(str(r) for r in chosen_row),
            reported_total=total,
            reported_max=maximum,
        )
        for row, (key, name, teacher, section, point_row, chosen_row, total, maximum) in enumerate(
            zip(
                [str(k) for k in students.index],
                texts("name"),
                texts("teacher"),
                texts("section"),
                points_cells.tolist(),
                chosen.tolist(),
                optional("reported_total"),
                optional("reported_max"),
                strict=True,
            )
        )
    ]
    return store.save(
        scope,
        name,
        items,
        results,
        file_name=file_name,
        given_on=given_on,
        totals_only=scores.totals_only,
        attributes=scores.attributes,
        warnings=tuple(scores.warnings),
    )


def load(scope: TeamScope, assessment_id: int) -> Scores:
    """A saved assessment as the tidy table it was saved from."""
    saved = store.load(scope, assessment_id)
    info = saved.info
    ids = [s.key for s in saved.students]
    students = pd.DataFrame(
        {
            "name": [s.name for s in saved.students],
            "teacher": [s.teacher for s in saved.students],
            "section": [s.section for s in saved.students],
            **{a: [s.attributes.get(a, "") for s in saved.students] for a in info.attributes},
        },
        index=pd.Index(ids, name="student", dtype=object),
    )
    if any(s.reported_total is not None for s in saved.students):
        for column in REPORTED:
            students[column] = [
                np.nan if getattr(s, column) is None else getattr(s, column) for s in saved.students
            ]
    items = pd.DataFrame(
        {
            "standard": [i.standard for i in saved.items],
            "max_points": [i.max_points for i in saved.items],
            "answer": [i.answer for i in saved.items],
            "options": [i.options for i in saved.items],
        },
        index=pd.Index([i.item for i in saved.items], name="item", dtype=object),
    )
    points = np.array(
        [[np.nan if p is None else p for p in s.points] for s in saved.students], dtype=float
    ).reshape(len(ids), len(saved.items))
    chosen = np.array([s.responses for s in saved.students], dtype=object).reshape(
        len(ids), len(saved.items)
    )
    options = items["options"].to_numpy(dtype=bool)
    return Scores(
        name=info.name,
        points=pd.DataFrame(points, index=students.index, columns=items.index),
        choices=pd.DataFrame(
            chosen[:, options], index=students.index, columns=items.index[options], dtype=object
        ),
        students=students,
        items=items,
        attributes=info.attributes,
        warnings=list(info.warnings),
        totals_only=info.totals_only,
    )


def remembered(scope: TeamScope, columns: list[str]) -> m.Mapping | None:
    """The mapping last used for a file with exactly these columns, if any."""
    text = store.remembered_mapping(scope, m.signature(columns))
    return None if text is None else m.Mapping.from_json(json.loads(text), columns)


def remember(scope: TeamScope, mapping: m.Mapping) -> None:
    text = json.dumps(mapping.to_json(), ensure_ascii=False)
    store.remember_mapping(scope, m.signature(list(mapping.roles)), text)


def bands(settings: EvidenceSettings) -> Bands:
    return Bands(tuple(settings.band_names), tuple(settings.band_cuts))


def group_cuts(settings: EvidenceSettings) -> GroupCuts:
    return GroupCuts(*settings.group_cuts)
