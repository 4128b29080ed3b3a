"""What data teams look at, as pure functions of one assessment (no widgets): each
student's percent, bands, items, standards, distractors, subgroups with small-group
suppression, growth between two assessments, and groups for questions 3 and 4.

Percents are of points earned out of the points of the items a student answered;
an item's percent correct is over the students who answered it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from collab_widgets.core.errors import InvalidInput
from collab_widgets.evidence.model import DEFAULT_BAND_CUTS, DEFAULT_BAND_NAMES, DEFAULT_GROUP_CUTS
from collab_widgets.evidence.suppression import DEFAULT_MIN_N, one_way, suppress, with_totals

if TYPE_CHECKING:  # the grid analysed; scores.py offers ``Scores.analysis()``, built from here
    from collab_widgets.evidence.scores import Scores

INTERVENTION, CLOSE, PROFICIENT, EXTENSION = "intervention", "close", "proficient", "extension"
GROUPS = (INTERVENTION, CLOSE, PROFICIENT, EXTENSION)


@dataclass(frozen=True)
class Bands:
    """Proficiency bands: ``cuts`` are the lowest percent of each band after the first."""

    names: tuple[str, ...] = DEFAULT_BAND_NAMES
    cuts: tuple[float, ...] = DEFAULT_BAND_CUTS

    def __post_init__(self):
        if len(self.names) != len(self.cuts) + 1 or len(set(self.names)) != len(self.names):
            raise InvalidInput("Give one name per band, each different, and one cut fewer.")
        if any(not 0 < c <= 100 for c in self.cuts) or list(self.cuts) != sorted(set(self.cuts)):
            raise InvalidInput("Cut scores go up from band to band, between 0 and 100.")

    def of(self, percents: pd.Series) -> pd.Series:
        """Each percent's band; none (NaN) for a student without a percent."""
        names = np.array(self.names, dtype=object)[self.positions(percents)]
        return pd.Series(names, index=percents.index).where(percents.notna())

    def positions(self, percents: pd.Series) -> np.ndarray:
        """Each percent's band as its position in ``names``; -1 for a student without a
        percent. What counting needs, without a column of names to hash."""
        codes = np.searchsorted(np.array(self.cuts), percents.to_numpy(), side="right")
        return np.where(percents.notna().to_numpy(), codes, -1)


@dataclass(frozen=True)
class GroupCuts:
    """Questions 3 and 4: below ``close`` is intervention, below ``proficient`` close,
    from ``extension`` up extension."""

    close: float = DEFAULT_GROUP_CUTS[0]
    proficient: float = DEFAULT_GROUP_CUTS[1]
    extension: float = DEFAULT_GROUP_CUTS[2]

    def __post_init__(self):
        if not 0 < self.close < self.proficient < self.extension <= 100:
            raise InvalidInput("The group cut points go up: close < proficient < extension.")

    def bands(self) -> Bands:
        return Bands(GROUPS, (self.close, self.proficient, self.extension))


@dataclass(frozen=True)
class Table:
    """Rows of figures by group; a suppressed row's figures are None (never its values)."""

    by: str
    rows: tuple[dict, ...]
    columns: tuple[str, ...]
    min_n: int

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=list(self.columns))


@dataclass(frozen=True)
class Growth:
    matched: pd.DataFrame  # student, pre, post, change
    only_pre: tuple[str, ...]
    only_post: tuple[str, ...]


class Analysis:
    """Every analysis of one :class:`Scores`."""

    def __init__(self, scores: Scores):
        self.scores = scores
        self._percents: pd.Series | None = None
        self._grid: tuple[np.ndarray, np.ndarray] | None = None
        self._item_sums: tuple[np.ndarray, np.ndarray] | None = None

    # --- students -------------------------------------------------------------------

    def student_percents(self) -> pd.Series:
        """Each student's percent (0-100), indexed by student id. Computed once per
        analysis: bands, subgroups, cross-tables and groups all start from it."""
        if self._percents is None:
            self._percents = self._compute_percents()
        return self._percents.copy()

    def _compute_percents(self) -> pd.Series:
        s = self.scores
        if s.totals_only:
            percent = s.students["reported_total"] / s.students["reported_max"] * 100
            return percent.clip(0, 100).rename("percent")
        earned, possible = self._per_student()
        return pd.Series(_percent(earned, possible), index=s.points.index, name="percent")

    # Sums by NumPy rather than matrix products: BLAS spreads a product of this size over
    # threads, and on a busy machine each product then waits for a free core.

    def _numbers(self) -> tuple[np.ndarray, np.ndarray]:
        """The grid as numbers, once per analysis (each summary sums it again): points
        earned (0 where not answered), and whether each item was answered."""
        if self._grid is None:
            points = self.scores.points.to_numpy(dtype=float)
            answered = ~np.isnan(points)
            self._grid = (np.where(answered, points, 0.0), answered)
        return self._grid

    def _maximums(self) -> np.ndarray:
        return self.scores.items["max_points"].to_numpy(dtype=float)

    def _per_student(self) -> tuple[np.ndarray, np.ndarray]:
        """Points earned and points possible (the maximums of the items answered) by
        each student."""
        earned, answered = self._numbers()
        return earned.sum(axis=1), (answered * self._maximums()).sum(axis=1)

    def _per_item(self) -> tuple[np.ndarray, np.ndarray]:
        """Points earned and points possible per item, worked out once."""
        if self._item_sums is None:
            earned, answered = self._numbers()
            self._item_sums = (earned.sum(axis=0), answered.sum(axis=0) * self._maximums())
        return self._item_sums

    def _per_item_of_groups(self, member_of: np.ndarray, groups: int):
        """Points earned and points possible per group and item (arrays of groups x
        items); ``member_of`` is each student's group, -1 for none. Summed item by item
        with counts by group, not by copying each group's rows out of the grid."""
        earned, answered = self._numbers()
        slot = member_of + 1  # slot 0: in no group
        sizes = np.bincount(slot, minlength=groups + 1)
        earned_sums = np.empty((groups + 1, earned.shape[1]))
        answers = np.empty((groups + 1, earned.shape[1]))
        for item in range(earned.shape[1]):
            earned_sums[:, item] = np.bincount(slot, earned[:, item], minlength=groups + 1)
            # few cells are unanswered: count those rather than the answered
            unanswered = np.bincount(slot[~answered[:, item]], minlength=groups + 1)
            answers[:, item] = sizes - unanswered
        return earned_sums[1:], answers[1:] * self._maximums()

    def bands(self, bands: Bands = Bands()) -> pd.DataFrame:
        """Students per band: band, n, percent of students (counts sum to the students)."""
        positions = bands.positions(self.student_percents())
        counts = np.bincount(positions[positions >= 0], minlength=len(bands.names))
        total = int(counts.sum())
        return pd.DataFrame(
            {
                "band": list(bands.names),
                "n": counts,
                "percent": counts / total * 100 if total else 0.0,
            }
        )

    # --- items and standards -----------------------------------------------------------

    def items(self) -> pd.DataFrame:
        """Per item: standard, max points, n answered, percent of points earned."""
        s = self.scores
        out = pd.DataFrame(index=s.items.index)
        out["standard"] = s.items["standard"]
        out["max_points"] = s.items["max_points"]
        _, answered = self._numbers()
        out["n"] = answered.sum(axis=0).astype(int)
        earned, possible = self._per_item()
        out["pct_correct"] = np.clip(_percent(earned, possible), 0, 100)
        return out.reset_index(names="item")

    def standards(self) -> pd.DataFrame:
        """Per standard: its items, the students who answered any, percent of points."""
        standard = self.scores.items["standard"].astype(str).to_numpy()
        _, answered = self._numbers()
        item_earned, item_possible = self._per_item()
        rows = []
        for name in dict.fromkeys(standard[standard != ""]):
            columns = standard == name
            rows.append(
                {
                    "standard": name,
                    "items": int(columns.sum()),
                    "n": int(answered[:, columns].any(axis=1).sum()),
                    "pct_correct": float(
                        _percent(item_earned[columns].sum(), item_possible[columns].sum())
                    ),
                }
            )
        return pd.DataFrame(rows, columns=["standard", "items", "n", "pct_correct"])

    def distractors(self) -> pd.DataFrame:
        """For items answered with options: how often each wrong option was chosen, and
        the most popular wrong one."""
        s = self.scores
        option_items = s.items.index[s.items["options"].astype(bool)]
        rows = []
        for item in option_items:
            chosen = s.choices.loc[s.points[item].notna(), item].str.strip()
            answer = str(s.items.at[item, "answer"]).strip()
            wrong = chosen[chosen.str.casefold() != answer.casefold()]
            counts = wrong.value_counts()
            rows.append(
                {
                    "item": item,
                    "answer": answer,
                    "n": int(len(chosen)),
                    "wrong": {str(k): int(v) for k, v in counts.items()},
                    "top_distractor": str(counts.index[0]) if len(counts) else None,
                    "top_share": float(counts.iloc[0] / len(chosen) * 100) if len(counts) else 0.0,
                }
            )
        return pd.DataFrame(
            rows, columns=["item", "answer", "n", "wrong", "top_distractor", "top_share"]
        )

    # --- subgroups ---------------------------------------------------------------------

    def _members(self, by: str) -> tuple[list[str], np.ndarray]:
        """The groups of ``by`` in order, and for each student the position of its group
        (a blank value is the group "(blank)"). Each distinct value is named once, not
        each student."""
        students = self.scores.students
        if by not in students.columns or by == "name":
            raise InvalidInput(
                f"There is no column “{by}” to break the results down by. Choose one of: "
                + ", ".join(self.breakdowns())
                + "."
            )
        codes, values = pd.factorize(students[by].to_numpy(dtype=object), use_na_sentinel=False)
        named = ["(blank)" if value == "" else value for value in values]
        names = sorted(dict.fromkeys(named), key=str)
        position = {name: i for i, name in enumerate(names)}
        return names, np.array([position[name] for name in named], dtype=np.intp)[codes]

    def breakdowns(self) -> list[str]:
        """Columns the results can be broken down by."""
        students = self.scores.students
        return [c for c in ("teacher", "section") if students[c].ne("").any()] + list(
            self.scores.attributes
        )

    def subgroups(self, by: str, min_n: int = DEFAULT_MIN_N) -> Table:
        """Students and mean percent per group of ``by``; a group under ``min_n`` students
        is suppressed, and more if needed so that none can be worked out from the total."""
        names, member_of = self._members(by)
        percents = self.student_percents().to_numpy(dtype=float)
        counts = np.bincount(member_of, minlength=len(names))
        scored = ~np.isnan(percents)
        sums = np.bincount(member_of[scored], weights=percents[scored], minlength=len(names))
        scored_counts = np.bincount(member_of[scored], minlength=len(names))
        hidden = suppress(one_way([int(c) for c in counts]), min_n).hidden
        rows = []
        for i, name in enumerate(names + ["All students"]):
            if i == len(names):
                n, total, scored_n = len(member_of), sums.sum(), scored_counts.sum()
            else:
                n, total, scored_n = counts[i], sums[i], scored_counts[i]
            secret = hidden[i][0]
            rows.append(
                {
                    by: name,
                    "n": None if secret else int(n),
                    "mean_percent": None if secret else _mean(total, scored_n),
                    "suppressed": bool(secret),
                }
            )
        # A hidden group's mean could be worked out from the others' and the overall mean
        # exactly as its count could, so it is hidden with it (rows above).
        return Table(by, tuple(rows), (by, "n", "mean_percent", "suppressed"), min_n)

    def crosstab(self, by: str, bands: Bands = Bands(), min_n: int = DEFAULT_MIN_N) -> Table:
        """Students per group and band, with totals; small cells suppressed (None)."""
        names, member_of = self._members(by)
        band_of = bands.positions(self.student_percents())
        placed = band_of >= 0  # a student without a percent is in no band
        cells = np.bincount(
            member_of[placed] * len(bands.names) + band_of[placed],
            minlength=len(names) * len(bands.names),
        ).reshape(len(names), len(bands.names))
        body = cells.tolist()
        result = suppress(with_totals(body), min_n)
        rows = []
        for r, name in enumerate(names + ["All students"]):
            row = {by: name}
            for c, band in enumerate((*bands.names, "Total")):
                row[band] = result.shown(r, c)
            row["suppressed"] = any(result.hidden[r])
            rows.append(row)
        return Table(by, tuple(rows), (by, *bands.names, "Total", "suppressed"), min_n)

    # --- questions 3 and 4 -----------------------------------------------------------------

    def groups(self, cuts: GroupCuts = GroupCuts()) -> pd.DataFrame:
        """Each student's percent and group (intervention, close, proficient, extension)."""
        percents = self.student_percents()
        return pd.DataFrame({"percent": percents, "group": cuts.bands().of(percents)})

    def group_needs(self, cuts: GroupCuts = GroupCuts()) -> dict[str, list[str]]:
        """Per group, the items its students missed: those where the group earned less
        than the proficient cut, weakest first."""
        placed = cuts.bands().positions(self.student_percents())
        earned, possible = self._per_item_of_groups(placed, len(GROUPS))
        items = self.scores.items.index
        needs = {}
        for position, group in enumerate(GROUPS):
            percent = _percent(earned[position], possible[position])
            percent = pd.Series(percent, index=items).sort_values()
            needs[group] = [str(i) for i, p in percent.items() if p < cuts.proficient]
        return needs


def _mean(total: float, n: int) -> float:
    return float(total / n) if n else float("nan")


def _percent(earned, possible):
    """Earned as a percent of possible; NaN where nothing was possible. Rounded far below
    what is shown, so that the order of a sum cannot move a student across a cut (6 of 10
    is 60, not 59.999999999999986)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(possible > 0, np.round(earned / possible * 100, 9), np.nan)


def growth(pre: Scores, post: Scores) -> Growth:
    """Students in both assessments (by id), their percents and change; the others listed."""
    before = pre.analysis().student_percents()
    after = post.analysis().student_percents()
    both = before.index.intersection(after.index)
    matched = pd.DataFrame(
        {
            "student": both,
            "pre": before[both].to_numpy(),
            "post": after[both].to_numpy(),
        }
    )
    matched["change"] = matched["post"] - matched["pre"]
    return Growth(
        matched,
        tuple(str(s) for s in before.index.difference(after.index)),
        tuple(str(s) for s in after.index.difference(before.index)),
    )


def moved_out_of_intervention(
    before: Scores, after: Scores, cuts: GroupCuts = GroupCuts()
) -> list[str]:
    """Students in intervention before who are not after (of those in both)."""
    first = before.analysis().groups(cuts)["group"]
    then = after.analysis().groups(cuts)["group"]
    both = first.index.intersection(then.index)
    return [str(s) for s in both if first[s] == INTERVENTION and then[s] != INTERVENTION]


def history(assessments: list[Scores]) -> pd.DataFrame:
    """Each student's percent in each assessment (a column per assessment, NaN if absent)."""
    return pd.concat(
        {a.name: a.analysis().student_percents() for a in assessments}, axis=1
    ).rename_axis("student")


def summary(scores: Scores, by: str | None = None, min_n: int = DEFAULT_MIN_N) -> dict:
    """The figures ``collab analyze`` prints: students, items, bands, subgroups, warnings."""
    results = scores.analysis()
    items = [
        {
            "item": str(row.item),
            "n": int(row.n),
            "pct_correct": None
            if row.pct_correct != row.pct_correct
            else round(row.pct_correct, 1),
            **({"standard": str(row.standard)} if row.standard else {}),
        }
        for row in results.items().itertuples()
    ]
    report = {
        "assessment": scores.name,
        "students": len(scores.students),
        "items": items,
        "bands": [
            {"band": r.band, "n": int(r.n), "percent": round(float(r.percent), 1)}
            for r in results.bands().itertuples()
        ],
        "warnings": list(scores.warnings),
    }
    if by is not None:
        table = results.subgroups(by, min_n)
        report["subgroups"] = {
            "by": by,
            "min_n": min_n,
            "groups": [
                {
                    "group": str(row[by]),
                    "n": row["n"],
                    "mean_percent": None
                    if row["mean_percent"] is None
                    else round(row["mean_percent"], 1),
                    "suppressed": row["suppressed"],
                }
                for row in table.rows
            ],
        }
    return report
