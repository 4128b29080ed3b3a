"""What each part of the evidence page shows, as plain values and charts (no widgets): the
screens in :mod:`collab_widgets.evidence.ui` only lay these out.

Privacy is applied here, once for every screen: groups under the team's smallest group
size are never shown as a filter or a figure, teacher and section comparisons appear
only when the team turned them on, and students are named by pseudonym unless a teacher
shows real names on their own screen.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from collab_widgets.core import charts
from collab_widgets.core.errors import InvalidInput
from collab_widgets.evidence.analysis import (
    GROUPS,
    Growth,
    Table,
    growth,
    moved_out_of_intervention,
)
from collab_widgets.evidence.model import EvidenceSettings
from collab_widgets.evidence.privacy import display_names
from collab_widgets.evidence.saved import bands, group_cuts
from collab_widgets.evidence.scores import Scores

ALL_STUDENTS = "All students"
COMPARISONS = ("teacher", "section")


@dataclass(frozen=True)
class StudentFilter:
    """Which students a view shows: all, or one group of a column (``column == value``)."""

    column: str | None = None
    value: str = ""

    @property
    def label(self) -> str:
        return ALL_STUDENTS if self.column is None else f"{self.column}: {self.value}"


def breakdowns(scores: Scores, settings: EvidenceSettings) -> list[str]:
    """Columns results may be broken down by; teacher and section only when the team
    turned comparison on."""
    return [
        column
        for column in scores.analysis().breakdowns()
        if settings.compare_teachers or column not in COMPARISONS
    ]


def filters(scores: Scores, settings: EvidenceSettings) -> list[StudentFilter]:
    """All students, then every group with at least the smallest group size."""
    found = [StudentFilter()]
    for column in breakdowns(scores, settings):
        sizes = scores.students[column].replace("", "(blank)").value_counts()
        found += [
            StudentFilter(column, str(value))
            for value, n in sorted(sizes.items(), key=lambda pair: str(pair[0]))
            if n >= settings.min_n
        ]
    return found


def only(scores: Scores, chosen: StudentFilter, min_n: int) -> Scores:
    """The assessment for the chosen students; a group under ``min_n`` is refused."""
    if chosen.column is None:
        return scores
    column = scores.students[chosen.column].replace("", "(blank)")
    keep = scores.students.index[column == chosen.value]
    if len(keep) < min_n:
        raise InvalidInput(
            f"“{chosen.label}” has fewer than {min_n} students, so its results are not shown "
            "(small groups could identify students). Choose a larger group."
        )
    return Scores(
        name=scores.name,
        points=scores.points.loc[keep],
        choices=scores.choices.loc[keep],
        students=scores.students.loc[keep],
        items=scores.items,
        attributes=scores.attributes,
        warnings=scores.warnings,
        totals_only=scores.totals_only,
    )


def _title(scores: Scores, chosen: StudentFilter, what: str) -> str:
    suffix = "" if chosen.column is None else f" — {chosen.label}"
    return f"{scores.name}: {what}{suffix}"


def overview(scores: Scores, settings: EvidenceSettings, chosen: StudentFilter = StudentFilter()):
    """Students, average percent, and students per band (table and chart)."""
    shown = only(scores, chosen, settings.min_n)
    results = shown.analysis()
    table = results.bands(bands(settings))
    chart = charts.band_counts(
        _title(scores, chosen, "students per band"),
        [str(b) for b in table["band"]],
        [int(n) for n in table["n"]],
    )
    percents = results.student_percents()
    return {"students": int(percents.notna().sum()), "mean": percents.mean(), "bands": table}, chart


def items_view(scores: Scores, settings: EvidenceSettings, chosen: StudentFilter = StudentFilter()):
    """Percent correct per item in the file's order, with the most chosen wrong option."""
    shown = only(scores, chosen, settings.min_n)
    results = shown.analysis()
    table = results.items()
    wrong = results.distractors().set_index("item") if not scores.totals_only else None
    if wrong is not None and not wrong.empty:
        table["top_distractor"] = table["item"].map(wrong["top_distractor"])
        table["top_share"] = table["item"].map(wrong["top_share"])
    chart = charts.percent_bars(
        _title(scores, chosen, "percent correct per item"),
        [
            f"{item} ({standard})" if standard else str(item)
            for item, standard in zip(table["item"], table["standard"], strict=True)
        ],
        [None if pd.isna(p) else float(p) for p in table["pct_correct"]],
        [int(n) for n in table["n"]],
        "Percent of points earned",
        line=settings.group_cuts[1],
    )
    return table, chart


def standards_view(
    scores: Scores, settings: EvidenceSettings, chosen: StudentFilter = StudentFilter()
):
    shown = only(scores, chosen, settings.min_n)
    table = shown.analysis().standards()
    if table.empty:
        return table, None
    chart = charts.percent_bars(
        _title(scores, chosen, "percent correct per standard"),
        [str(s) for s in table["standard"]],
        [float(p) for p in table["pct_correct"]],
        [int(n) for n in table["n"]],
        "Percent of points earned",
        line=settings.group_cuts[1],
    )
    return table, chart


def subgroups_view(scores: Scores, settings: EvidenceSettings, by: str):
    """Mean percent per group and students per group and band, small groups suppressed."""
    if by not in breakdowns(scores, settings):
        raise InvalidInput(
            f"Results cannot be broken down by “{by}” here"
            + (
                " (comparing teachers or sections is off for this team)."
                if by in COMPARISONS
                else "."
            )
        )
    results = scores.analysis()
    means = results.subgroups(by, settings.min_n)
    crosstab = results.crosstab(by, bands(settings), settings.min_n)
    rows = [r for r in means.rows if r[by] != ALL_STUDENTS]
    chart = charts.percent_bars(
        f"{scores.name}: average percent by {by}",
        [str(r[by]) for r in rows],
        [r["mean_percent"] for r in rows],
        [r["n"] for r in rows],
        "Average percent",
    )
    return means, crosstab, chart


@dataclass(frozen=True)
class GrowthView:
    growth: Growth
    names: dict[str, str]  # student id -> name shown
    chart: charts.Chart | None
    out_of_intervention: tuple[str, ...]  # ids: intervention before, not after


def growth_view(
    pre: Scores, post: Scores, settings: EvidenceSettings, real: bool = False
) -> GrowthView:
    """Students in both assessments before and after, who moved out of intervention; the
    unmatched named as shown."""
    change = growth(pre, post)
    salt = settings.pseudonym_salt
    people = pd.concat([pre.students[["name"]], post.students[["name"]]])
    people = people[~people.index.duplicated()]
    names = display_names(people, salt, real).to_dict()
    matched = change.matched
    chart = (
        charts.growth_scatter(
            f"{pre.name} → {post.name}",
            [float(p) for p in matched["pre"]],
            [float(p) for p in matched["post"]],
        )
        if len(matched)
        else None
    )
    moved = moved_out_of_intervention(pre, post, group_cuts(settings))
    return GrowthView(change, {str(k): str(v) for k, v in names.items()}, chart, tuple(moved))


def teachers(scores: Scores) -> list[str]:
    return sorted(t for t in scores.students["teacher"].unique() if t)


def groups_view(
    scores: Scores,
    settings: EvidenceSettings,
    teacher: str | None,
    real: bool = False,
    order: str = "percent",
) -> dict[str, dict]:
    """Questions 3 and 4: per group, its students (one teacher's own, or all) named as
    shown, lowest score first (``order`` "percent") or by name ("name"), and the items
    the group missed. A teacher's own list is not suppressed: they teach these students;
    counts for the whole team are totals, not small cells."""
    cuts = group_cuts(settings)
    results = scores.analysis()
    placed = results.groups(cuts)
    needs = results.group_needs(cuts)
    names = display_names(scores.students, settings.pseudonym_salt, real)
    if teacher:
        placed = placed[scores.students.loc[placed.index, "teacher"] == teacher]
    out = {}
    for group in GROUPS:
        mine = placed[placed["group"] == group].sort_values("percent")
        students = [(names[s], float(p)) for s, p in mine["percent"].items()]
        if order == "name":
            students.sort(key=lambda named: named[0].casefold())
        out[group] = {"students": students, "missed": needs[group]}
    return out


def table_rows(table: Table) -> tuple[list[str], list[list[str]]]:
    """A suppressed table as text cells: a hidden figure is written “–”, never its value."""
    columns = [c for c in table.columns if c != "suppressed"]
    rows = []
    for row in table.rows:
        cells = []
        for column in columns:
            value = row[column]
            if value is None:
                cells.append("–")
            elif isinstance(value, float):
                cells.append(f"{value:.1f}")
            else:
                cells.append(str(value))
        rows.append(cells)
    return columns, rows
