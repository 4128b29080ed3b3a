"""A class list's rules without a database: reading a class file's rows (each id once),
guessing and remembering which column holds what, display names and retention dates."""

from __future__ import annotations

import datetime as dt

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.evidence.reading import read_table
from collab_widgets.students import rules
from collab_widgets.students.rules import ClassMapping, students_from_rows


def rows_of(text: str, encoding: str = "utf-8"):
    table = read_table(text.encode(encoding), name="class.csv")
    mapping = rules.guess_mapping(table.columns)
    rows = [dict(zip(table.columns, r, strict=True)) for r in table.frame.itertuples(index=False)]
    return table, mapping, rows


def test_a_sis_export_is_read_with_its_columns_guessed():
    _, mapping, rows = rows_of(
        "Student ID;Last Name;First Name;ELL\nS1;Rivera;Maya;yes\nS2;Okafor;Chidi;\n"
    )
    assert mapping == ClassMapping("Student ID", "First Name", "Last Name")
    mapping = ClassMapping(mapping.id, mapping.first, mapping.last, attributes=("ELL",))
    students = students_from_rows(rows, mapping)
    assert [(s.key, s.name, s.display_name) for s in students] == [
        ("S1", "Maya Rivera", "Maya R."),
        ("S2", "Chidi Okafor", "Chidi O."),
    ]
    assert students[0].attributes == {"ELL": "yes"} and students[1].attributes == {}


def test_a_latin1_file_with_one_name_column():
    _, mapping, rows = rows_of('id,name\n7,"Núñez, José"\n8,Zoë Smith\n', "latin-1")
    assert mapping.full == "name"
    students = students_from_rows(rows, mapping)
    assert [s.display_name for s in students] == ["José N.", "Zoë S."]


def test_duplicate_ids_are_refused_naming_the_rows_and_nothing_is_returned():
    _, mapping, rows = rows_of("id,name\nS1,Ann\nS2,Bo\ns1,Ann again\n")
    with pytest.raises(InvalidInput, match=r"(?i)S1 \(rows 2 and 4\).*Nothing was saved"):
        students_from_rows(rows, mapping)


def test_a_row_without_an_id_is_refused():
    _, mapping, rows = rows_of("id,name\nS1,Ann\n,Bo\n")
    with pytest.raises(InvalidInput, match="Row 3 has no student id"):
        students_from_rows(rows, mapping)


def test_a_saved_mapping_applies_only_while_its_columns_are_in_the_file():
    mapping = ClassMapping("id", full="name", attributes=("Support",))
    text = mapping.to_json()
    assert ClassMapping.from_json(text, ["id", "name", "Support"]) == mapping
    assert ClassMapping.from_json(text, ["id", "name"]) is None
    assert rules.signature(["id", "Name"]) == rules.signature(["name", "ID"])


def test_display_names_never_fall_back_to_the_school_id():
    assert rules.default_display_name("", "", "") == ""
    assert rules.default_display_name("Maya", "", "") == "Maya"
    with pytest.raises(InvalidInput):
        rules.check_display_name("   ")


def test_the_school_year_ends_in_july_and_retention_is_bounded():
    assert rules.end_of_school_year(dt.date(2026, 12, 6)) == dt.date(2027, 7, 31)
    assert rules.end_of_school_year(dt.date(2027, 3, 1)) == dt.date(2027, 7, 31)
    assert rules.end_of_school_year(dt.date(2027, 8, 1)) == dt.date(2028, 7, 31)
    today = dt.date(2026, 12, 6)
    with pytest.raises(InvalidInput, match="before today"):
        rules.check_retention(dt.date(2026, 12, 5), today)
    with pytest.raises(InvalidInput, match="400 days"):
        rules.check_retention(dt.date(2028, 6, 1), today)


def test_notes_about_a_student_are_bounded():
    with pytest.raises(InvalidInput):
        rules.check_attributes({f"n{i}": "x" for i in range(rules.MAX_ATTRIBUTES + 1)})
    assert rules.check_attributes({" Language  support ": " yes ", "Empty": ""}) == {
        "Language support": "yes"
    }
