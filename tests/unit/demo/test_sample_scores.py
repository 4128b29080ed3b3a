"""The synthetic score files: regenerated identically, each importable (or refused, for
the broken ones) as it is, and the demo assessments tell the story the demo needs."""

from pathlib import Path

import openpyxl
import pytest

from collab_widgets.core.errors import ScoreFileError
from collab_widgets.demo.sample import DEMO_TEAMS
from collab_widgets.demo.sample_scores import (
    TEACHERS,
    TEAMS,
    assessment,
    item_map,
    write_format_samples,
)
from collab_widgets.evidence import mapping
from collab_widgets.evidence.analysis import growth
from collab_widgets.evidence.reading import read_table
from collab_widgets.evidence.scores import read_scores

COMMITTED = Path(__file__).resolve().parents[3] / "sample_data" / "scores"


MATH = "Grade 4 Math"


KEY = "grade4_math_item_map.csv"


FORMS_KEY = "google_forms_key.csv"


POST_STUDENTS = len(assessment(MATH, "post"))


# file -> (key, sheet, students, items)
GOOD = {
    "grade4_math_unit3_pre.csv": (KEY, None, len(assessment(MATH, "pre")), 12),
    "grade4_math_unit3_post.csv": (KEY, None, POST_STUDENTS, 12),
    "wide_windows1252_semicolon_decimal_comma.csv": (KEY, None, POST_STUDENTS, 12),
    "wide_utf8_bom.csv": (KEY, None, POST_STUDENTS, 12),
    "wide_tab.tsv": (KEY, None, POST_STUDENTS, 12),
    "wide_utf16.txt": (KEY, None, POST_STUDENTS, 12),
    "wide_two_sheets.xlsx": (KEY, "Scores", POST_STUDENTS, 12),
    "long_points.csv": (None, None, POST_STUDENTS, 12),
    "google_forms_quiz.csv": (FORMS_KEY, None, POST_STUDENTS - 6, 10),
}


KEYS = (KEY, FORMS_KEY)


BROKEN = ("broken_duplicate_student.csv", "broken_not_a_table.csv")


# the same post assessment in every wide and long shape
POST_SHAPES = [n for n in GOOD if n != "google_forms_quiz.csv" and "_pre" not in n]


def load(name: str):
    key, sheet, _, _ = GOOD[name]
    return read_scores(
        COMMITTED / name, key=COMMITTED / key if key else None, sheet=sheet, name=name
    )


def xlsx_values(path: Path) -> dict:
    book = openpyxl.load_workbook(path)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def test_regenerating_gives_the_committed_files(tmp_path):
    written = write_format_samples(tmp_path)
    names = [p.name for p in written]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(p.name for p in COMMITTED.iterdir() if p.name[0] != ".")
    assert set(names) == set(GOOD) | set(KEYS) | set(BROKEN)
    for path in written:
        committed = COMMITTED / path.name
        assert path.stat().st_size < 100_000, path.name
        if path.suffix == ".xlsx":
            # A workbook is a zip whose bytes depend on the zlib and openpyxl versions:
            # compare what a spreadsheet shows (every sheet, every cell).
            assert xlsx_values(path) == xlsx_values(committed), path.name
        else:
            assert path.read_bytes() == committed.read_bytes(), path.name


def test_the_teachers_are_the_demo_teams_members():
    assert {team: tuple(names) for team, names in DEMO_TEAMS.items()} == TEACHERS
    for team in TEAMS:
        for which in ("pre", "post"):
            assert set(assessment(team, which)["Teacher"]) == set(TEACHERS[team])


@pytest.mark.parametrize("name", list(GOOD))
def test_every_good_file_imports_without_a_manual_mapping(name):
    _, _, students, items = GOOD[name]
    scores = load(name)
    assert len(scores.students) == students
    assert len(scores.items) == items
    assert scores.analysis().student_percents().notna().all()
    if name != "long_points.csv":  # ids, items and points only
        assert scores.students["name"].ne("").all()
        assert set(scores.students["teacher"]) == set(TEACHERS[MATH])
    if name != "google_forms_quiz.csv":
        assert set(scores.items["standard"]) == set(item_map(MATH)["Standard"])


@pytest.mark.parametrize("name", [n for n in GOOD if n.startswith(("grade4", "wide_"))])
def test_wide_headers_are_detected_as_meant(name):
    raw = read_table(COMMITTED / name, sheet=GOOD[name][1])
    found = mapping.detect(raw.frame)
    assert found.shape == mapping.WIDE
    assert found.columns(mapping.ATTRIBUTE) == ["ELL", "IEP", "Gender"]
    assert found.columns(mapping.ITEM) == list(item_map(MATH)["Item"])
    for role in (mapping.ID, mapping.TEACHER, mapping.SECTION, mapping.TOTAL):
        assert found.column(role) is not None, role
    assert len(found.columns(mapping.NAME)) in (1, 2)


def test_the_long_and_forms_files_are_detected_as_such():
    long = mapping.detect(read_table(COMMITTED / "long_points.csv").frame)
    assert long.shape == mapping.LONG
    assert [long.column(r) for r in (mapping.ITEM_LABEL, mapping.POINTS)] == ["Item", "Points"]
    assert long.column(mapping.MAX_POINTS) == "Max Points"
    assert long.column(mapping.STANDARD) == "Standard"
    forms = mapping.detect(read_table(COMMITTED / "google_forms_quiz.csv").frame)
    assert forms.shape == mapping.FORMS
    assert forms.column(mapping.ID) == "Email Address"
    assert forms.column(mapping.TOTAL) == "Score"


def test_every_shape_of_the_post_gives_the_same_results():
    expected = load("grade4_math_unit3_post.csv").analysis().student_percents()
    for name in POST_SHAPES:
        percents = load(name).analysis().student_percents()
        assert percents.round(6).to_dict() == expected.round(6).to_dict(), name


def test_the_windows_file_has_accents_and_decimal_commas():
    text = (COMMITTED / "wide_windows1252_semicolon_decimal_comma.csv").read_bytes()
    decoded = text.decode("cp1252")
    assert "Zoë" in decoded and "José" in decoded
    assert ";1,5;" in decoded
    with pytest.raises(UnicodeDecodeError):
        text.decode("utf-8")


def test_the_google_forms_quiz_without_its_key_gives_totals_only():
    scores = read_scores(COMMITTED / "google_forms_quiz.csv")
    assert scores.totals_only and len(scores.students) == GOOD["google_forms_quiz.csv"][2]


@pytest.mark.parametrize("name", BROKEN)
def test_every_broken_file_is_refused(name):
    with pytest.raises(ScoreFileError):
        read_scores(COMMITTED / name, key=COMMITTED / KEY)


def test_grade_4_tells_the_story_of_the_demo_meeting():
    post = load("grade4_math_unit3_post.csv")
    results = post.analysis()
    items = results.items().set_index("item")
    assert 55 <= items.at["Q4", "pct_correct"] <= 70
    distractors = results.distractors().set_index("item")
    assert distractors.at["Q4", "top_distractor"] == "B"
    wrong = distractors.at["Q4", "wrong"]
    assert wrong["B"] > sum(wrong.values()) / 2  # most wrong answers chose B
    # items 1-3 above 85% in every class; nine students left item 7 blank
    points = post.points
    by_class = points[["Q1", "Q2", "Q3"]].groupby(post.students["section"]).mean()
    assert (by_class > 0.85).all().all()
    assert points["Q7"].isna().sum() - (assessment(MATH, "post")["Q7"] == "absent").sum() == 9


@pytest.mark.parametrize("team", TEAMS)
def test_each_team_has_growth_small_groups_and_movers(team):
    key = item_map(team)
    pre = read_scores(assessment(team, "pre"), key=key, name="pre")
    post = read_scores(assessment(team, "post"), key=key, name="post")
    assert post.analysis().student_percents().mean() > pre.analysis().student_percents().mean()
    assert pre.attributes == post.attributes == ("ELL", "IEP", "Gender")
    small = [
        (by, group)
        for by in post.attributes
        for group, n in post.students[by].value_counts().items()
        if n < 10
    ]
    assert small
    by, group = small[0]
    shown = {row[by]: row for row in post.analysis().subgroups(by).rows}
    assert shown[group]["suppressed"] and shown[group]["n"] is None
    change = growth(pre, post)
    assert change.only_pre and change.only_post
    assert len(change.matched) > 100 and change.matched["change"].mean() > 0
    assert any("absent" in w for w in post.warnings)
    frame = assessment(team, "post")
    assert frame["Student ID"].is_unique
    assert frame[list(key["Item"])].eq("").any().any()  # some blanks
    assert set(frame.columns[:5]) == {"Student ID", "First Name", "Last Name", "Teacher", "Section"}


def test_student_ids_are_stable_between_pre_and_post():
    for team in TEAMS:
        pre, post = assessment(team, "pre"), assessment(team, "post")
        both = pre.merge(post, on="Student ID", suffixes=("_pre", "_post"))
        assert len(both) > 0.9 * len(pre)
        for column in ("First Name", "Last Name", "Teacher", "Section", "ELL"):
            assert (both[f"{column}_pre"] == both[f"{column}_post"]).all()


def test_unknown_teams_and_assessments_are_refused():
    with pytest.raises(ValueError, match="no demo team"):
        item_map("Grade 5 Art")
    with pytest.raises(ValueError, match="'pre' or 'post'"):
        assessment(MATH, "mid")
