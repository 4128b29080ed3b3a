"""Reading score files as teams have them: every format and shape, the column mapping, and
every validation message with its row and column."""

import io
import itertools

import pandas as pd
import pytest

from collab_widgets.core.errors import ScoreFileError
from collab_widgets.evidence import mapping, reading
from collab_widgets.evidence.reading import read_table
from collab_widgets.evidence.scores import build, read_scores

WIDE = (
    "Student ID,First Name,Last Name,Teacher,ELL,Q1,Q2,Q3,Total\n"
    "101,Ana,Diaz,Lee,Y,1,2,1,4\n"
    "102,Ben,Okafor,Lee,N,0,1,1,2\n"
    "103,Chen,Li,Ng,N,1,absent,0,1\n"
)


KEY = "Item,Standard,Max Points,Answer\nQ1,4.NF.1,1,B\nQ2,4.NF.2,2,\nQ3,4.NF.2,1,C\n"


def percents(scores):
    return scores.analysis().student_percents().round(1).to_dict()


FORMS = (
    "Timestamp,Email Address,Score,What is 3 × 4?,Which fraction is larger?\n"
    "2026/10/01 9:00:00,a@school.org,1 / 2,12,3/4\n"
    "2026/10/01 9:01:00,b@school.org,2 / 2,12,2/3\n"
    "2026/10/01 9:02:00,c@school.org,0 / 2,7,3/4\n"
)


def problem(source, key=None, **kwargs) -> ScoreFileError:
    with pytest.raises(ScoreFileError) as caught:
        read_scores(source, key=key, **kwargs)
    return caught.value


def _roles(data: bytes) -> mapping.Mapping:
    return mapping.detect(read_table(data)).with_role("Flag", mapping.ATTRIBUTE)


def test_a_wide_file_with_its_mapping_detected():
    scores = read_scores(WIDE.encode(), key=KEY.encode())
    assert list(scores.items.index) == ["Q1", "Q2", "Q3"]
    assert scores.students.loc["101", "name"] == "Ana Diaz"
    assert scores.students.loc["101", "teacher"] == "Lee"
    assert scores.attributes == ("ELL",)
    # Chen: 1 + 0 of (1 + 1) answered points; "absent" is not answered, and counted
    assert percents(scores) == {"101": 100.0, "102": 50.0, "103": 50.0}
    assert any("1 score cell(s) held text" in w for w in scores.warnings)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: "\ufeff".encode() + text.encode("utf-8"),
        lambda text: text.replace(",", ";").encode("cp1252"),
        lambda text: text.replace(",", "\t").encode("utf-8"),
        lambda text: text.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8 with BOM", "Windows-1252 semicolons", "tab", "utf-16"],
)
def test_encodings_and_delimiters(encode):
    text = WIDE.replace("Ana", "Zoë")
    scores = read_scores(encode(text), key=KEY.encode())
    assert scores.students.loc["101", "name"] == "Zoë Diaz"
    assert percents(scores)["102"] == 50.0


def test_decimal_commas_in_a_semicolon_file():
    text = "id;Q1;Q2\n1;0,5;1\n2;1;0,25\n"
    scores = read_scores(text.encode("cp1252"), key=b"item,max points\nQ1,1\nQ2,1\n")
    assert percents(scores) == {"1": 75.0, "2": 62.5}


def test_an_xlsx_sheet_is_chosen(tmp_path):
    path = tmp_path / "scores.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"Notes": ["not scores"]}).to_excel(writer, sheet_name="Read me", index=False)
        pd.read_csv(io.StringIO(WIDE), dtype=str).to_excel(writer, sheet_name="Unit 3", index=False)
    table = read_table(path, sheet="Unit 3")
    assert table.sheets == ("Read me", "Unit 3") and table.sheet == "Unit 3"
    scores = read_scores(path, key=KEY.encode(), sheet="Unit 3")
    assert percents(scores)["101"] == 100.0
    with pytest.raises(ScoreFileError, match="no sheet named “Unit 9”. Choose one of: Read me"):
        read_scores(path, sheet="Unit 9")


def test_a_dataframe_and_a_path_are_sources_too(tmp_path):
    frame = pd.read_csv(io.StringIO(WIDE), dtype=str)
    assert percents(read_scores(frame, key=KEY.encode()))["102"] == 50.0
    (tmp_path / "w.csv").write_text(WIDE)
    assert percents(read_scores(tmp_path / "w.csv", key=KEY.encode()))["102"] == 50.0


def test_options_are_compared_with_the_key_and_distractors_counted():
    text = "id,Q1,Q2\n1,B,c\n2,A,C\n3,A,D\n4,B,\n"
    key = "item,answer\nQ1,B\nQ2,C\n"
    scores = read_scores(text.encode(), key=key.encode())
    items = scores.analysis().items().set_index("item")
    assert items.loc["Q1", "pct_correct"] == 50.0 and items.loc["Q2", "n"] == 3
    distractors = scores.analysis().distractors().set_index("item")
    assert distractors.loc["Q1", "top_distractor"] == "A"
    assert distractors.loc["Q1", "wrong"] == {"A": 2}
    assert distractors.loc["Q2", "wrong"] == {"D": 1}


def test_a_long_file_with_max_points_and_standards():
    text = (
        "student,item,points,max points,standard\n1,Q1,1,1,A\n1,Q2,2,2,B\n2,Q1,0,1,A\n2,Q2,1,2,B\n"
    )
    scores = read_scores(text.encode())
    assert mapping.detect(read_table(text.encode()).frame).shape == mapping.LONG
    items = scores.analysis().items().set_index("item")
    assert items["pct_correct"].to_dict() == {"Q1": 50.0, "Q2": 75.0}
    assert items["standard"].to_dict() == {"Q1": "A", "Q2": "B"}


def test_a_google_forms_quiz_without_a_key_gives_totals_only():
    scores = read_scores(FORMS.encode())
    assert scores.totals_only and percents(scores) == {
        "a@school.org": 50.0,
        "b@school.org": 100.0,
        "c@school.org": 0.0,
    }
    assert any("only each student's total" in w for w in scores.warnings)


def test_a_google_forms_quiz_with_a_key_gives_items():
    key = "item,answer\nWhat is 3 × 4?,12\nWhich fraction is larger?,2/3\n"
    scores = read_scores(FORMS.encode(), key=key.encode())
    items = scores.analysis().items().set_index("item")["pct_correct"].round(1)
    assert items.to_dict() == {"What is 3 × 4?": 66.7, "Which fraction is larger?": 33.3}


def test_a_person_can_change_a_columns_role_and_it_is_remembered():
    raw = read_table(WIDE.encode())
    detected = mapping.detect(raw.frame)
    assert detected.roles["Total"] == mapping.TOTAL and detected.roles["ELL"] == mapping.ATTRIBUTE
    changed = detected.with_role("Q3", mapping.IGNORE)
    assert list(read_scores(WIDE.encode(), roles=changed).items.index) == ["Q1", "Q2"]
    saved = changed.to_json()
    assert mapping.Mapping.from_json(saved, list(raw.frame.columns)) == changed
    assert mapping.Mapping.from_json(saved, ["other", "columns"]) is None
    assert mapping.signature(list(raw.frame.columns)) == mapping.signature(
        [c.upper() for c in raw.frame.columns]
    )


def test_validation_messages_name_the_row_column_and_fix():
    no_id = problem(
        b"Name,Q1\nAna,1\n", roles=mapping.Mapping("wide", {"Name": "name", "Q1": "item"})
    )
    assert "No column says which student" in str(no_id) and "student id" in no_id.fix

    twice = problem(b"id,Q1\n7,1\n8,0\n7,1\n")
    assert (twice.row, twice.column) == (4, "id") and "appears twice (rows 2 and 4)" in str(twice)

    over = problem(b"id,Q1\n1,1\n2,3\n", key=b"item,max points\nQ1,2\n")
    assert (over.row, over.column) == (3, "Q1") and "above the item's maximum of 2" in str(over)

    negative = problem(b"id,Q1\n1,1\n2,-1\n")
    assert (negative.row, negative.column) == (3, "Q1") and "negative" in str(negative)

    blank_item = problem(b"id,Q1,Q2\n1,1,\n2,0,\n")
    assert blank_item.column == "Q2" and "no scores at all" in str(blank_item)

    no_id_cell = problem(b"id,Q1\n1,1\n,0\n")
    assert (no_id_cell.row, no_id_cell.column) == (3, "id")

    no_key = problem(b"id,Q1\n1,A\n2,B\n")
    assert no_key.column == "Q1" and "answer key" in no_key.fix

    pair = problem(b"student,item,points\n1,Q1,1\n1,Q1,0\n2,Q1,1\n")
    assert pair.row == 3 and "twice" in str(pair)


@pytest.mark.parametrize(
    "data,words",
    [
        (b"", "“upload” is empty"),
        (b"\n\n  \n", "“upload” is empty"),
        (b"id,Q1\n", "“upload” has a header but no rows below it"),
        (b"just one column\nof text\n", "only one column"),
        (b"%PDF-1.7\x00\x01\x02binary", "not a table of scores"),
        (b"\xd0\xcf\x11\xe0old excel", "old Excel file"),
        (b"PK\x03\x04not really a workbook", "cannot be opened"),
        (b"id,Q1,Q1\n1,1,1\n", "Two columns are named “Q1” (columns B and C)"),
        (b"id,Q1\n1,1\n2,1,5\n", "more cells than the header"),
    ],
)
def test_files_that_cannot_be_imported_say_why(data, words):
    assert words in str(problem(data))


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    with pytest.raises(ScoreFileError, match="the most the workbook reads is 1 MB"):
        read_table(b"id,Q1\n" + b"1,1\n" * 300_000, max_bytes=2**20)


def test_large_files_report_progress():
    seen = []
    rows = "".join(f"{i},1,0\n" for i in range(45_000))
    read_scores(("id,Q1,Q2\n" + rows).encode(), progress=lambda f, what: seen.append(f))
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 4


def test_a_total_alone_is_out_of_the_highest_total_or_of_100_for_a_percent():
    scores = read_scores(b"id,Total\n1,20\n2,15\n")
    assert percents(scores) == {"1": 100.0, "2": 75.0}
    assert any("highest total anyone got counts as 100%" in w for w in scores.warnings)
    assert percents(read_scores(b"id,Percent\n1,20\n2,15\n")) == {"1": 20.0, "2": 15.0}


def test_an_empty_item_map_is_not_taken_for_an_empty_score_file():
    assert "“item map” is empty" in str(problem(WIDE.encode(), key=b'""\n'))
    no_rows = problem(WIDE.encode(), key=b"Item,Standard\n")
    assert "“item map” has a header but no rows" in str(no_rows)


def test_blank_lines_above_the_header_are_skipped_and_rows_keep_their_numbers():
    for above in ("\n", "\r\n \r\n", ",,\n"):
        table = read_table((above + "id,Q1\n1,2\n").encode())
        assert list(table.frame.columns) == ["id", "Q1"]
        assert list(table.frame.index) == [2 + above.count("\n")]
    assert problem(b"\n\nid,Q1\n1,1\n2,-1\n").row == 5


def test_a_table_of_one_column_names_it():
    # a file with another delimiter than comma, semicolon or tab reads as one column
    one_column = problem(b"id|Q1\n1|1\n")
    assert one_column.column == "id|Q1" and "only one column" in str(one_column)


def test_a_quote_never_closed_names_its_row():
    unclosed = problem(b'id,Name,Q1\n1,Ana,1\n2,"Ben,0\n3,Chen,1\n')
    assert unclosed.row == 3 and "never closed" in str(unclosed)
    assert problem(b'\nid,Q1\n1,1\n2,"1\n').row == 4


def test_a_long_files_problems_name_its_own_rows_and_columns():
    long = "student,item,points,max points\n1,Q1,1,1\n1,Q2,{}\n2,Q1,0,1\n2,Q2,{}\n"
    negative = problem(long.format("1,2", "-1,2").encode())
    assert (negative.row, negative.column) == (5, "points") and "negative" in str(negative)
    no_scores = problem(long.format(",2", ",2").encode())
    assert (no_scores.row, no_scores.column) == (3, "item")
    assert "“Q2” has no scores" in str(no_scores)
    zero = problem(long.format("0,0", "0,0").encode())
    assert (zero.row, zero.column) == (3, "max points") and "above zero" in str(zero)


def test_missing_values_read_as_blanks_and_text_as_written(tmp_path):
    frame = pd.DataFrame(
        {"id": ["1", "2"], "Name": ["Nan", "NA"], "Q1": pd.array([1, None], dtype="Int64")}
    )
    assert read_table(frame).frame.to_dict("list") == {
        "id": ["1", "2"],
        "Name": ["Nan", "NA"],
        "Q1": ["1", ""],
    }
    frame.to_excel(tmp_path / "scores.xlsx", index=False)
    assert read_table(tmp_path / "scores.xlsx").frame["Name"].tolist() == ["Nan", "NA"]


def test_a_quiz_score_out_of_zero_points_is_refused():
    quiz = FORMS.replace("2 / 2", "2 / 0")
    out_of_zero = problem(quiz.encode())
    assert (out_of_zero.row, out_of_zero.column) == (3, "Score")
    assert "above zero" in str(out_of_zero)


def test_a_damaged_sheet_in_a_workbook_that_opens_is_refused(tmp_path):
    # openpyxl writes U+FFFF into the sheet's XML but cannot read it back
    pd.DataFrame({"id": ["1"], "Q1": ["\uffff"]}).to_excel(tmp_path / "bad.xlsx", index=False)
    with pytest.raises(ScoreFileError, match="The sheet “Sheet1” of “bad.xlsx” cannot be read"):
        read_table(tmp_path / "bad.xlsx")


def test_cells_are_trimmed_and_blank_rows_skipped_wherever_they_are():
    # Each column's distinct values are worked out once and kept with the table; a blank
    # row in the middle and a value written with spaces must still land on the right student.
    data = b"id,Name,Q1,Q2\n1,Ana, 1 ,A\n,,,\n2 ,Ben,1,b\n3,Chen,0 , \n"
    raw = read_table(data)
    assert list(raw.frame.index) == [2, 4, 5]
    assert raw.frame["id"].tolist() == ["1", "2", "3"]
    scores = read_scores(data, key=b"Item,Answer\nQ2,B\n")
    points = scores.points
    assert points.loc["1"].tolist() == [1.0, 0.0]
    assert points.loc["2"].tolist() == [1.0, 1.0]
    assert points.loc["3", "Q1"] == 0.0 and pd.isna(points.loc["3", "Q2"])


def test_columns_read_as_categories_or_as_text_keep_every_cell_as_written(monkeypatch):
    # Columns of few values are read as categories and of many as text; pandas would turn
    # categories that all read as numbers or true/false into those ("007" into 7), also
    # when a large file is read in parts. Neither the cells, nor the header, nor the row
    # numbers, nor the scores may depend on how a column was read.
    rows = "".join(
        f"{i % 3000:06d},{'TRUE' if i % 2 else 'true'},{'1.50' if i % 7 else '007'},{i % 2}\n"
        for i in range(3000 * 70)  # more than pandas' low-memory reading takes at once
    )
    data = ("\nid,Flag,7,1\n" + rows + ",,,\n000000,1e3,0.5,1\n").encode()
    raw = read_table(data)
    assert raw.columns == ["id", "Flag", "7", "1"]
    assert list(raw.index[:2]) == [3, 4] and raw.index[-1] == 3000 * 70 + 4
    expected = {
        "id": ["000000", "000001", "002999", "000000"],
        "Flag": ["true", "TRUE", "TRUE", "1e3"],
        "7": ["007", "1.50", "1.50", "0.5"],
        "1": ["0", "1", "1", "1"],
    }
    assert {c: raw[c].iloc[[0, 1, -2, -1]].tolist() for c in raw.columns} == expected
    small = ("id,Flag,7,1\n" + rows[:2000]).encode()
    points = read_scores(small, roles=_roles(small)).points
    # in one go and in parts; every column read as text, then every one as categories
    for whole, many in itertools.product((10**9, 0), (0, 10**6)):
        monkeypatch.setattr(reading, "WHOLE_READ_BYTES", whole)
        monkeypatch.setattr(reading, "MANY_VALUES", many)
        again = read_table(data)
        pd.testing.assert_frame_equal(again.frame, raw.frame)
        pd.testing.assert_frame_equal(read_scores(small, roles=_roles(small)).points, points)


def test_blank_lines_of_a_lone_carriage_return_above_the_header():
    for above in ("\r", "\n\r", "\r\r", "\r\r\n"):
        table = read_table((above + "id,Name,Q1\rA1,Ana,1\rA2,Ben,0\r").encode())
        assert list(table.frame.columns) == ["id", "Name", "Q1"], repr(above)
        assert table.frame["id"].tolist() == ["A1", "A2"]
    assert problem(b"\r\rid,Q1\r1,1\r2,1,5\r").row == 5


def test_a_new_frame_given_to_a_read_table_is_not_read_with_the_old_ones_values():
    raw = read_table(b"id,Name,Q1,Q2\nA1,Zed,1,1\nA2,Amy,0,0\nA3,Bob,absent,1\n")
    roles = mapping.detect(raw.frame)
    raw.distinct("Q1")  # worked out for the frame as read
    raw.frame = raw.frame.sort_values("Name")
    q1 = build(raw, roles).points["Q1"]
    assert q1["A1"] == 1.0 and q1["A2"] == 0.0 and pd.isna(q1["A3"])
    raw.frame = raw.frame[raw.frame["id"] != "A2"]
    assert list(build(raw, roles).points.index) == ["A3", "A1"]


def test_infinity_is_not_a_score():
    scores = read_scores(b"id,Q1,Q2\n1,1,inf\n2,0,1\n")
    assert pd.isna(scores.points.loc["1", "Q2"])
    assert any("1 score cell(s) held text" in w for w in scores.warnings)
    assert problem(b"id,Q1\n1,1\n", key=b"Item,Max Points\nQ1,inf\n").column == "Max Points"


def test_name_parts_are_joined_per_student_whatever_parts_are_blank():
    # Joined once per distinct combination of parts: the same parts in another order, or
    # with another part blank, must still give each student their own name.
    data = (
        b"id,First Name,Name,Last Name,Q1\n"
        b"1,Ana,,Diaz,1\n2,,,Diaz,1\n3,Ana,B,,1\n4,,,,1\n5,Ana,,Diaz,0\n6,Diaz,,Ana,1\n"
        b"7,,B,,1\n"
    )
    names = read_scores(data).students["name"].to_dict()
    assert names == {
        "1": "Ana Diaz",
        "2": "Diaz",
        "3": "Ana B",
        "4": "",
        "5": "Ana Diaz",
        "6": "Diaz Ana",
        "7": "B",
    }


def test_an_items_header_is_not_counted_as_one_of_its_scores():
    # Each column's distinct values include its header's text, which no student's cell
    # holds: a header that reads as a number is neither a score nor a negative one.
    assert read_scores(b"id,-1,Q2\na,1,0\nb,2,1\n").points["-1"].tolist() == [1.0, 2.0]
    assert problem(b"id,7,Q2\na,absent,0\nb,N/A,1\n").column == "7"
    scores = read_scores(b"id,3,Q2\na,1,0\nb,absent,1\n")
    assert scores.items.loc["3", "max_points"] == 1.0
    assert any("1 score cell(s) held text" in w for w in scores.warnings)


@pytest.mark.parametrize(
    "header",
    [
        "Student ID,Nom,Prénom,Classe,Q1,Q2",
        "Student ID,Nombre,Apellido,Grupo,Q1,Q2",
        "Student ID,Vorname,Nachname,Klasse,Q1,Q2",
        "Student ID,NOM,PRENOM,Classe,Q1,Q2",
    ],
)
def test_name_headers_in_other_languages_are_names_not_subgroups(header):
    names = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit"]
    firsts = ["Léa", "Hugo", "Chloé", "Louis", "Emma", "Jules"]
    rows = "".join(
        f"E{n},{last},{first},6e{'AB'[n % 2]},{n % 2},1\n"
        for n, (last, first) in enumerate(zip(names, firsts, strict=True))
    )
    raw = read_table((header + "\n" + rows).encode(), name="export.csv")
    found = mapping.detect(raw)
    first_name, last_name = header.split(",")[1:3]
    assert found.roles[first_name] == mapping.NAME and found.roles[last_name] == mapping.NAME
    assert mapping.ATTRIBUTE not in (found.roles[first_name], found.roles[last_name])
