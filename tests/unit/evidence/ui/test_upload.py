"""The Add scores tab: reading a file, the roles of its columns, the report that says
whether it can be saved (and why not, as text), saving, and the empty form after a save."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as widgets

from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.evidence import mapping
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.ui.upload import UploadPanel
from tests.unit.widget_helpers import BUTTONS, find

SCORES = Path(__file__).resolve().parents[4] / "sample_data" / "scores"
POST, KEY = "grade4_math_unit3_post.csv", "grade4_math_item_map.csv"


def panel(scope, saved: list | None = None) -> UploadPanel:
    heard = saved if saved is not None else []
    return UploadPanel(scope, StatusLine(), heard.append)


def upload(box: widgets.FileUpload, name: str, data: bytes | None = None) -> None:
    content = (SCORES / name).read_bytes() if data is None else data
    box.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
        },
    )


def save_button(made: UploadPanel) -> widgets.Button:
    [found] = find(made, BUTTONS, lambda b: b.description == "Save the assessment")
    return found


def roles(made: UploadPanel) -> dict[str, str]:
    return {picker.description: picker.value for picker in made.columns.children}


def test_a_long_file_is_read_as_such_with_its_notes_listed_and_a_name_from_the_file(
    sqlite_team,
):
    made = panel(sqlite_team.member(0))
    assert made.mapping_box.layout.display == "none" and save_button(made).disabled
    upload(made.scores_file, "long_points.csv")
    assert made.shape.value == mapping.LONG and made.mapping_box.layout.display is None
    assert roles(made)["Points"] == mapping.POINTS
    assert "<b>Ready:</b> 115 students, 12 items, 12 with a standard." in made.report.value
    assert "<li>4 score cell(s) held text such as “absent”" in made.report.value
    assert made.name.value == "long points" and not save_button(made).disabled


def test_choosing_another_shape_guesses_the_roles_again_and_checks_again(sqlite_team):
    made = panel(sqlite_team.member(0))
    upload(made.scores_file, "long_points.csv")
    made.shape.value = mapping.WIDE
    assert roles(made)["Points"] == mapping.ITEM
    assert "The file cannot be saved yet." in made.report.value
    assert "appears twice" in made.report.value and save_button(made).disabled
    made.shape.value = mapping.LONG
    assert "Ready:" in made.report.value and not save_button(made).disabled


def test_a_role_held_by_one_column_only_moves_and_the_page_shows_where_it_left(sqlite_team):
    made = panel(sqlite_team.member(0))
    upload(made.scores_file, POST)
    assert roles(made)["Student ID"] == mapping.ID
    [last_name] = [p for p in made.columns.children if p.description == "Last Name"]
    last_name.value = mapping.ID
    assert roles(made)["Student ID"] == mapping.IGNORE
    assert made.mapping.roles["Last Name"] == mapping.ID


def test_typed_text_from_a_file_is_shown_as_text_in_the_report(sqlite_team):
    made = panel(sqlite_team.member(0))
    upload(made.scores_file, "ours.csv", b"Student ID,Q1,Q2\n<b>7</b>,1,0\n<b>7</b>,0,1\n")
    assert "The student “&lt;b&gt;7&lt;/b&gt;” appears twice" in made.report.value
    assert "<b>7</b>" not in made.report.value
    assert "The file cannot be saved yet: In row 3" in made.status.value


def test_an_item_map_that_cannot_be_used_says_so(sqlite_team):
    made = panel(sqlite_team.member(0))
    upload(made.key_file, "broken_not_a_table.csv")
    assert "<b>The item map could not be used.</b>" in made.report.value
    assert "it has only one column" in made.status.value
    assert made.key is None


def test_saving_before_a_file_passes_says_what_to_do_and_stores_nothing(sqlite_team):
    saved = []
    made = panel(sqlite_team.member(0), saved)
    save_button(made).click()  # disabled on the page; a forged click reaches the kernel
    assert "Upload a scores file and fix what the report says first." in made.status.value
    assert evidence.assessments(sqlite_team.member(0)) == [] and saved == []


def test_a_save_stores_the_file_tells_the_page_and_leaves_an_empty_form_but_the_item_map(
    sqlite_team,
):
    saved = []
    made = panel(sqlite_team.member(0), saved)
    upload(made.key_file, KEY)
    upload(made.scores_file, POST)
    made.name.value = "  Unit 3 <post>  "
    made.given_on.value = dt.date(2026, 10, 9)
    save_button(made).click()
    [info] = evidence.assessments(sqlite_team.member(1))
    assert (info.name, info.given_on, info.items) == ("Unit 3 <post>", dt.date(2026, 10, 9), 12)
    assert saved == [info.id]
    assert "“Unit 3 &lt;post&gt;” is saved: 115 students." in made.status.value
    assert (made.name.value, made.given_on.value, made.report.value) == ("", None, "")
    assert made.columns.children == () and save_button(made).disabled
    assert made.key is not None  # a pre- and post-test share one item map
    upload(made.scores_file, "grade4_math_unit3_pre.csv")
    assert "12 items, 12 with a standard" in made.report.value


def test_a_typed_name_is_kept_for_another_file_and_a_guessed_one_follows_the_file(
    sqlite_team,
):
    made = panel(sqlite_team.member(0))
    upload(made.scores_file, POST)
    assert made.name.value == "grade4 math unit3 post"
    upload(made.scores_file, "grade4_math_unit3_pre.csv")
    assert made.name.value == "grade4 math unit3 pre"
    made.name.value = "Unit 3 pre-test"
    upload(made.scores_file, POST)
    assert made.name.value == "Unit 3 pre-test"
