"""One assessment as a grid of points (a row per student, a column per item), built from a
read file and its mapping, with the checks that stop an import. Analyses live in
:mod:`.analysis`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from collab_widgets.core.errors import ScoreFileError
from collab_widgets.core.model import plural
from collab_widgets.evidence import mapping as m
from collab_widgets.evidence.analysis import Analysis
from collab_widgets.evidence.reading import Distinct, RawTable, read_table

ANSWER_NAMES = frozenset({"answer", "key", "correct", "correctanswer", "answerkey", "solution"})
PERCENT_NAMES = frozenset({"percent", "percentcorrect", "pctcorrect"})
OPTION_LETTER = re.compile(r"[A-Ea-e]")
FIX_MAPPING = "In the mapping step, give that column its role (or mark it “ignore”)."


@dataclass
class Scores:
    """An assessment: ``points`` has a row per student (index: the student id, as in
    ``students``) and a column per item in the file's order (NaN where the student has no
    score); ``choices`` the option each student chose, a column per item answered with
    options only; ``students`` a row per student; ``items`` a row per item (index: the
    item). A grid rather than a row per student and item: every summary is then a sum
    over rows or columns, which is what keeps a district's file quick."""

    name: str
    points: pd.DataFrame  # student x item, float
    choices: pd.DataFrame  # student x option item, text ("" where blank)
    students: pd.DataFrame  # name, teacher, section, attributes..., reported_total/max
    items: pd.DataFrame  # standard, max_points, answer, options (bool)
    attributes: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)  # saved with it: they name no student
    totals_only: bool = False  # a quiz export without a key: only each student's total
    # ids of the students left out for having no score: for the uploader's report only,
    # never saved (the saved warnings, shown to the whole team, name no one)
    left_out: tuple[str, ...] = ()

    def analysis(self) -> Analysis:
        return Analysis(self)


def _number_values(texts) -> np.ndarray:
    """Numbers from text, a decimal comma allowed; anything else (and "inf") is NaN."""
    points_for_commas = np.array([str(text).replace(",", ".") for text in texts], dtype=object)
    numbers = np.asarray(pd.to_numeric(points_for_commas, errors="coerce"), dtype=float)
    return np.where(np.isfinite(numbers), numbers, np.nan)


def _numbers(column: pd.Series) -> pd.Series:
    """:func:`_number_values` of a column of text cells."""
    distinct = Distinct.of(column)
    return pd.Series(distinct.spread(_number_values(distinct.values)), index=column.index)


def _option_letters(texts) -> list[bool]:
    """Whether each text is one answer option, A to E."""
    return [bool(OPTION_LETTER.fullmatch(str(text))) for text in texts]


def read_key(raw: RawTable) -> pd.DataFrame:
    """An item map / answer key: item, and any of standard, max points, correct answer."""
    keys = {m._key(c): c for c in raw.frame.columns}
    item = next((keys[k] for k in keys if k in m.NAMES[m.ITEM_LABEL]), None)
    if item is None:
        raise ScoreFileError(
            "The item map has no column naming the items.",
            "Give it a column headed “item” (and any of “standard”, “max points”, “answer”).",
        )
    standard = next((keys[k] for k in keys if k in m.NAMES[m.STANDARD]), None)
    maximum = next((keys[k] for k in keys if k in m.NAMES[m.MAX_POINTS] | {"points"}), None)
    answer = next((keys[k] for k in keys if k in ANSWER_NAMES), None)
    frame = raw.frame
    key = pd.DataFrame({"item": frame[item]})
    key["standard"] = frame[standard] if standard else ""
    key["answer"] = frame[answer] if answer else ""
    key["max_points"] = np.nan
    if maximum:
        key["max_points"] = _maximums(frame, maximum)
    blank = key["item"].eq("")
    if blank.any():
        raise ScoreFileError(
            "This row of the item map has no item.",
            "Fill in the item's name or delete the row.",
            row=int(blank.idxmax()),
            column=item,
        )
    twice = key["item"].str.casefold().duplicated()
    if twice.any():
        raise ScoreFileError(
            f"The item “{key['item'][twice].iloc[0]}” is listed twice in the item map.",
            "Keep one row per item.",
            row=int(twice.idxmax()),
            column=item,
        )
    return key.set_index("item")


def _maximums(frame: pd.DataFrame, column: str) -> pd.Series:
    """Each row's maximum points, NaN where blank; anything but a number above zero is
    refused."""
    numbers = _numbers(frame[column])
    bad = frame[column].ne("") & (numbers.isna() | (numbers <= 0))
    if bad.any():
        row = bad.idxmax()
        raise ScoreFileError(
            f"The maximum “{frame.at[row, column]}” is not a number above zero.",
            "Write each item's maximum points as a number such as 1 or 2.",
            row=int(row),
            column=column,
        )
    return numbers


def build(raw: RawTable, mapping: m.Mapping, key: pd.DataFrame | None = None) -> Scores:
    """The tidy assessment, or a :class:`ScoreFileError` naming the row and column."""
    id_column = mapping.column(m.ID)
    if id_column is None:
        raise ScoreFileError(
            "No column says which student each row is.",
            "In the mapping step, mark the column of student ids (or emails) as “student id”.",
        )
    blank = raw.distinct(id_column).blank()
    if blank.any():
        raise ScoreFileError(
            "This row has no student id.",
            "Fill it in, or delete the row if it is not a student.",
            row=int(raw.index[blank.argmax()]),
            column=id_column,
        )
    if mapping.shape == m.LONG:
        return _build_long(raw, mapping, key)
    return _build_wide(raw, mapping, key)


def _students(raw: RawTable, mapping: m.Mapping, ids: pd.Series) -> pd.DataFrame:
    students = pd.DataFrame(index=pd.Index(ids.to_numpy(), name="student"))
    students["name"] = _names(raw, mapping.columns(m.NAME))
    for role in (m.TEACHER, m.SECTION):
        column = mapping.column(role)
        students[role] = raw[column].to_numpy() if column else ""
    for column in mapping.columns(m.ATTRIBUTE):
        students[column] = raw[column].to_numpy()
    return students


def _names(raw: RawTable, columns: list[str]) -> np.ndarray:
    """Each row's name parts joined by one space, a blank part leaving no space behind;
    joined once per distinct combination of the parts, not once per student."""
    joined = Distinct(np.zeros(len(raw), dtype=np.intp), np.array([""], dtype=object))
    for column in columns:
        part = raw.distinct(column)
        width = len(part.values)
        codes, pairs = pd.factorize(joined.codes * width + part.codes)
        left, right = joined.values[pairs // width], part.values[pairs % width]
        spaced = np.where((left == "") | (right == ""), "", " ")
        joined = Distinct(codes, left + spaced + right)
    return joined.spread(joined.values)


def _repeated(distinct: Distinct) -> np.ndarray:
    """Per cell, whether another cell holds the same text, case aside (each distinct
    value folded once)."""
    folded, _ = pd.factorize(np.array(list(map(str.casefold, distinct.values)), dtype=object))
    per_cell = folded[distinct.codes]
    return np.bincount(per_cell)[per_cell] > 1


def _build_wide(raw: RawTable, mapping: m.Mapping, key: pd.DataFrame | None) -> Scores:
    id_column = mapping.column(m.ID)
    _check_one_row_per_student(raw, id_column)
    students = _students(raw, mapping, raw[id_column])
    total_column = mapping.column(m.TOTAL)
    if total_column:
        _add_reported_totals(students, raw[total_column], total_column, mapping.shape)
    item_columns = mapping.columns(m.ITEM)
    if not item_columns and not total_column:
        raise ScoreFileError(
            "No column holds scores.",
            "In the mapping step, mark each item's column “item” (or the total “total”).",
        )
    warnings: list[str] = []
    by_item = _key_for(key, item_columns, warnings)
    if (mapping.shape == m.FORMS and by_item is None) or not item_columns:
        return _totals_only(raw, students, total_column, warnings, mapping)
    points, items, choices = _item_grid(raw, mapping, by_item, students.index, warnings)
    return _finish(raw, students, items, points, choices, warnings, mapping)


def _check_one_row_per_student(raw: RawTable, id_column: str) -> None:
    ids = raw[id_column]
    twice = _repeated(raw.distinct(id_column))
    if twice.any():
        rows = [int(r) for r in ids.index[twice][:2]]
        raise ScoreFileError(
            f"The student “{ids[rows[0]]}” appears twice (rows {rows[0]} and {rows[1]}).",
            "Keep one row per student (for a second attempt, keep the one to analyse).",
            row=rows[1],
            column=id_column,
        )


def _add_reported_totals(
    students: pd.DataFrame, totals: pd.Series, column: str, shape: str
) -> None:
    """Each student's total as the file reports it (``reported_total``); a quiz export's
    “7 / 10” also says what it is out of (``reported_max``)."""
    if shape != m.FORMS:
        students["reported_total"] = _numbers(totals).to_numpy()
        return
    parts = totals.str.extract(r"^\s*([\d.,]+)\s*/\s*([\d.,]+)\s*$")
    earned, possible = _numbers(parts[0].fillna("")), _numbers(parts[1].fillna(""))
    out_of_nothing = earned.notna() & ~(possible > 0)
    if out_of_nothing.any():
        row = int(out_of_nothing.idxmax())
        raise ScoreFileError(
            f"The score “{totals[row]}” is not out of a number of points above zero.",
            "Write it as the points earned / the points possible, such as 7 / 10.",
            row=row,
            column=column,
        )
    students["reported_total"] = earned.to_numpy()
    students["reported_max"] = possible.to_numpy()


def _totals_only(
    raw: RawTable,
    students: pd.DataFrame,
    total_column: str | None,
    warnings: list[str],
    mapping: m.Mapping,
) -> Scores:
    """An assessment known only by each student's total: a quiz export without an answer
    key, or a file whose only scores are a total."""
    if "reported_total" not in students:
        raise ScoreFileError(
            "Without an answer key this quiz export has no per-question scores, and its "
            "Score column is missing.",
            "Add the answer key (an item map with the correct answers), or keep the Score column.",
        )
    if "reported_max" in students:
        warnings.append(
            "Without an answer key only each student's total is used; add a key for "
            "per-question results."
        )
    else:  # a total column alone says nothing of what it is out of
        students["reported_max"] = _total_maximum(
            students["reported_total"], total_column, warnings
        )
    items = pd.DataFrame(columns=["standard", "max_points", "answer", "options"])
    grid = pd.DataFrame(index=students.index)
    return _finish(raw, students, items, grid, grid, warnings, mapping, totals_only=True)


@dataclass
class _ScoredItem:
    """One item's column scored: each student's points and the item's row of ``items``."""

    points: np.ndarray  # per student, NaN where not answered
    maximum: float
    answer: str
    options: bool
    choices: np.ndarray | None  # the option each student chose, for an item of options
    texts: int  # cells of text such as “absent”, counted as not answered


def _item_grid(
    raw: RawTable,
    mapping: m.Mapping,
    by_item: dict[str, dict] | None,
    students: pd.Index,
    warnings: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The points (a row per student, a column per item), the items and the options
    chosen, each item scored in turn."""
    item_columns = mapping.columns(m.ITEM)
    grid = np.empty((len(raw), len(item_columns)), order="F")  # filled column by column
    choices_by_item, item_rows, texts_seen = {}, [], 0
    for position, item in enumerate(item_columns):
        known = by_item.get(item) if by_item is not None else None
        scored = _score_item(raw, item, mapping.shape, known)
        grid[:, position] = scored.points
        if scored.choices is not None:
            choices_by_item[item] = scored.choices
        texts_seen += scored.texts
        item_rows.append(
            {
                "item": item,
                "standard": str(known["standard"]) if known is not None else "",
                "max_points": scored.maximum,
                "answer": scored.answer,
                "options": scored.options,
            }
        )
    if texts_seen:
        warnings.append(
            f"{texts_seen} score cell(s) held text such as “absent” or “N/A”; they count as "
            "not answered."
        )
    items = pd.DataFrame(item_rows).set_index("item")
    if by_item is None and (items["max_points"] > 1).any():
        warnings.append(
            "No item map was given, so each item's maximum is the highest score anyone got; "
            "add an item map to set them."
        )
    points = pd.DataFrame(grid, index=students, columns=item_columns, copy=False)
    choices = pd.DataFrame(choices_by_item, index=students, dtype=object)
    return points, items, choices


def _score_item(raw: RawTable, item: str, shape: str, known: dict | None) -> _ScoredItem:
    """An item's points: from the option chosen, against the key's answer, when it holds
    options (a quiz export, or mostly letters A to E); else its scores as numbers.
    ``known``: the item map's row for the item."""
    # Each distinct value checked and converted once, weighed by the cells holding it.
    distinct = raw.distinct(item)
    held = distinct.counts()
    filled = distinct.values != ""
    answered = int(held[filled].sum())
    if not answered:
        raise ScoreFileError(
            f"The item “{item}” has no scores at all.",
            "Fill in its scores, or leave it out: remove it from the file (or, in the "
            "mapping step, mark its column “ignore”).",
            column=item,
        )
    answer = str(known["answer"]) if known is not None and known["answer"] else ""
    options = shape == m.FORMS or (
        held[filled & _option_letters(distinct.values)].sum() / answered >= 0.8
    )
    if options:
        if not answer:
            raise ScoreFileError(
                "This item holds the answers students chose, but there is no correct "
                "answer for it.",
                "Add an item map (answer key) with the correct answer for each item.",
                column=item,
            )
        maximum = float(known["max_points"]) if pd.notna(known["max_points"]) else 1.0
        right = [str(v).strip().casefold() == answer.strip().casefold() for v in distinct.values]
        numbers = np.where(filled, np.where(right, maximum, 0.0), np.nan)
        return _ScoredItem(
            distinct.spread(numbers), maximum, answer, True, raw[item].to_numpy(), texts=0
        )
    numbers = _number_values(distinct.values)
    numbered = (held > 0) & ~np.isnan(numbers)
    if not numbered.any():
        raise ScoreFileError(
            f"The item “{item}” has no scores that are numbers.",
            "Correct its scores, or leave it out: remove it from the file (or, in the "
            "mapping step, mark a column that is not an item “ignore” or “attribute”).",
            column=item,
        )
    texts = int(held[filled & np.isnan(numbers)].sum())
    _check_points(numbers, distinct, raw.index, item, known)
    maximum = (
        float(known["max_points"])
        if known is not None and pd.notna(known["max_points"])
        else float(max(1.0, numbers[numbered].max()))
    )
    return _ScoredItem(distinct.spread(numbers), maximum, answer, False, None, texts)


def _total_maximum(totals: pd.Series, column: str, warnings: list[str]) -> float:
    """What a total alone is out of: 100 for a percent, else the highest total anyone got."""
    if m._key(column) in PERCENT_NAMES:
        return 100.0
    warnings.append(
        f"Only the total “{column}” holds scores and nothing says what it is out of, so the "
        "highest total anyone got counts as 100%; name the column “Percent” if it holds "
        "percents."
    )
    highest = totals.max()
    return float(highest) if highest > 0 else 1.0


def _check_points(
    numbers: np.ndarray, distinct: Distinct, rows: pd.Index, item: str, known
) -> None:
    """A negative score, or one above the item map's maximum, stops the import, naming
    the first cell that holds it. ``numbers``: each distinct value's number."""
    at = distinct.first(numbers < 0)
    if at is not None:
        raise ScoreFileError(
            f"The score {numbers[distinct.codes[at]]:g} is negative.",
            "Scores are points earned, from 0 up; correct the cell.",
            row=int(rows[at]),
            column=item,
        )
    if known is not None and pd.notna(known["max_points"]):
        at = distinct.first(numbers > float(known["max_points"]))
        if at is not None:
            raise ScoreFileError(
                f"The score {numbers[distinct.codes[at]]:g} is above the item's maximum of "
                f"{float(known['max_points']):g}.",
                "Correct the score, or the maximum in the item map.",
                row=int(rows[at]),
                column=item,
            )


def _key_for(
    key: pd.DataFrame | None, items: list[str], warnings: list[str]
) -> dict[str, dict] | None:
    """The key's rows matched to the file's items by name (case and spaces ignored), as
    a dictionary of each item's fields; None if it matches none."""
    if key is None:
        return None
    by_name = {str(name).strip().casefold(): name for name in key.index}
    fields = key.to_dict("index")
    rows = {}
    for item in items:
        found = by_name.get(item.strip().casefold())
        if found is not None:
            rows[item] = fields[found]
    missing = [item for item in items if item not in rows]
    if missing:
        warnings.append(
            f"The item map does not list {plural(len(missing), 'item')} of the file, "
            f"e.g. “{missing[0]}”."
        )
    return rows or None


def _build_long(raw: RawTable, mapping: m.Mapping, key: pd.DataFrame | None) -> Scores:
    frame = raw.frame
    id_column, label = mapping.column(m.ID), mapping.column(m.ITEM_LABEL)
    points_column, response_column = mapping.column(m.POINTS), mapping.column(m.RESPONSE)
    if label is None or (points_column is None and response_column is None):
        raise ScoreFileError(
            "A file with one row per student and item needs a column naming the item and "
            "one with the points or the answer.",
            FIX_MAPPING,
        )
    blank = frame[label].eq("")
    if blank.any():
        raise ScoreFileError(
            "This row names no item.",
            "Fill in the item or delete the row.",
            row=int(blank.idxmax()),
            column=label,
        )
    pair = frame[id_column].str.casefold() + "\x1f" + frame[label].str.casefold()
    twice = pair.duplicated()
    if twice.any():
        row = int(twice.idxmax())
        raise ScoreFileError(
            f"The student “{frame.at[row, id_column]}” has item “{frame.at[row, label]}” twice.",
            "Keep one row per student and item.",
            row=row,
            column=label,
        )
    # one wide column per item, then the wide path does every check the same way
    firsts = frame.drop_duplicates(subset=[id_column])
    wide = firsts[[c for c in frame.columns if mapping.roles[c] in m.PERSON_ROLES]].copy()
    wide_roles = {c: mapping.roles[c] for c in wide.columns}
    values = frame[points_column] if points_column else frame[response_column]
    pivot = (
        pd.DataFrame({"id": frame[id_column], "item": frame[label], "value": values})
        .pivot(index="id", columns="item", values="value")
        .reindex(columns=list(dict.fromkeys(frame[label])))
        .fillna("")
    )
    wide = wide.join(pivot, on=id_column)
    for item in pivot.columns:
        wide_roles[item] = m.ITEM
    key = _long_key(frame, mapping, label, key)
    try:
        return _build_wide(RawTable.of_frame(wide, raw.name), m.Mapping(m.WIDE, wide_roles), key)
    except ScoreFileError as error:
        if error.column not in pivot.columns:
            raise
        raise _in_long_file(error, frame, wide, id_column, label, values.name) from error


def _in_long_file(error, frame, wide, id_column, label, value_column) -> ScoreFileError:
    """An item's problem, found with an item per column, placed where the long file has
    it: a score in its student's and item's row, the item as a whole in its first row."""
    item = error.column
    rows = frame[label] == item
    if error.row is not None:
        rows &= frame[id_column] == wide.at[error.row, id_column]
    return ScoreFileError(
        error.problem,
        error.fix,
        row=int(rows.idxmax()),
        column=value_column if error.row is not None else label,
    )


def _long_key(frame, mapping, label, key):
    """Standards and maximums given in the long file itself, under any item map."""
    standard, maximum = mapping.column(m.STANDARD), mapping.column(m.MAX_POINTS)
    if not standard and not maximum:
        return key
    firsts = frame.drop_duplicates(subset=[label])  # an item's first row gives its own
    own = pd.DataFrame(index=pd.Index(firsts[label], name=label))
    own["standard"] = firsts[standard].to_numpy() if standard else ""
    own["max_points"] = _maximums(firsts, maximum).to_numpy() if maximum else np.nan
    own["answer"] = ""
    if key is None:
        return own
    return key.combine_first(own)


def _finish(raw, students, items, points, choices, warnings, mapping, totals_only=False):
    if not totals_only:
        nothing = points.index[np.isnan(points.to_numpy()).all(axis=1)]
    else:
        nothing = students.index[students["reported_total"].isna()]
    if len(nothing):
        warnings.append(
            f"{plural(len(nothing), 'student')} {'has' if len(nothing) == 1 else 'have'} "
            f"no scores at all and {'is' if len(nothing) == 1 else 'are'} left out."
        )
        keep = ~students.index.isin(nothing)
        students, points, choices = students[keep], points[keep], choices[keep]
    if students.empty:
        raise ScoreFileError(
            "No student in the file has a score.", "Check that the right columns are items."
        )
    return Scores(
        name=raw.name,
        points=points,
        choices=choices,
        students=students,
        items=items,
        attributes=tuple(mapping.columns(m.ATTRIBUTE)),
        warnings=warnings,
        totals_only=totals_only,
        left_out=tuple(map(str, nothing)),
    )


def read_scores(
    source,
    key=None,
    *,
    sheet: str | None = None,
    name: str | None = None,
    roles: m.Mapping | None = None,
    progress=None,
) -> Scores:
    """An assessment from a path, uploaded bytes or a DataFrame (CSV, TSV or XLSX; wide,
    long or a Google Forms quiz export), with an optional item map / answer key (a path,
    bytes or DataFrame). ``roles`` overrides the detected column roles. Raises
    :class:`~collab_widgets.core.errors.ScoreFileError` naming the row, column and a fix."""
    raw = read_table(source, name=name, sheet=sheet, progress=progress)
    item_key = read_key(read_table(key, name="item map")) if key is not None else None
    chosen = roles or m.detect(raw)
    if progress:
        progress(0.7, "Checking the scores")
    scores = build(raw, chosen, item_key)
    if progress:
        progress(1.0, "Done")
    return scores
