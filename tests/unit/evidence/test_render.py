"""The question 3 and 4 groups as cards, as a printable page and as a spreadsheet."""

from __future__ import annotations

import csv
import io

from collab_widgets.evidence.render import groups_csv, groups_html, groups_page
from collab_widgets.evidence.ui.results import GROUP_NAMES

EVIL = "<img src=x onerror=alert(1)>"
GROUPS = {
    "intervention": {"students": [(EVIL, 12.0), ("=HYPERLINK(1)", 40.4)], "missed": ["Q4", "Q7"]},
    "close": {"students": [("Student 3", 61.0)], "missed": []},
    "proficient": {"students": [], "missed": ["Q9"]},
    "extension": {"students": [("Student 9", 100.0)], "missed": [f"Q{n}" for n in range(12)]},
}


def test_each_group_is_a_card_with_its_count_what_it_missed_and_a_table():
    shown = groups_html(GROUPS, GROUP_NAMES)
    assert "<h4>Intervention (question 3): 2 students</h4>" in shown
    assert "Items this group missed most: Q4, Q7" in shown
    assert "Items this group missed most: none stands out" in shown  # close: nothing common
    assert "Q7, Q8" not in shown and "Q0, Q1, Q2, Q3, Q4, Q5, Q6, Q7<" in shown  # eight listed
    assert "No student in this group." in shown  # proficient
    assert "<td class='number'>40%</td>" in shown
    assert "<img" not in shown and "&lt;img" in shown
    order = [shown.index(f"collab-group-{key}") for key in GROUPS]
    assert order == sorted(order)


def test_the_printable_page_stands_alone():
    page = groups_page(f"Unit 3 {EVIL}", GROUPS, GROUP_NAMES)
    assert page.startswith("<!DOCTYPE html>") and "<img" not in page
    assert "<h2>Extension (question 4): 1 student</h2>" in page
    assert "http" not in page and "<script" not in page and "<link" not in page


def test_the_spreadsheet_has_a_row_per_student_and_no_formulas():
    data = groups_csv(GROUPS, GROUP_NAMES)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Group", "Student", "Score (%)"]
    assert rows[1] == ["Intervention (question 3)", EVIL, "12"]
    assert rows[2][1].startswith("'=")  # a name a spreadsheet would run is kept as text
    assert len(rows) == 1 + 4
