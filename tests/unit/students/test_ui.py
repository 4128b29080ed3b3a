"""The students' screens as their visitors use them: a class made and filled from a class
file (a bad file refused with nothing saved, the column choice remembered), groups made
from a saved assessment, students moved by the plain form and by the board (the kernel
checks every move), the groups saved and printed as cards that carry names only, a coach
who sees pseudonyms and can change nothing (also when the browser forges a click), and
typed text that stays text. Students show under pseudonyms on every tab until a member
chooses "Show names" (one switch for the page: the Class tab's and the Groups tab's
toggles move together); printed cards carry display names either way."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt

import ipywidgets as widgets
import pytest
from ipywidgets.widgets import widget as ipywidgets_widget

from collab_widgets.core.errors import AccessDenied
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.evidence import saved
from collab_widgets.evidence.scores import read_scores
from collab_widgets.students.app import StudentsApp
from collab_widgets.students.model import Placement
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes, groupings
from collab_widgets.students.ui.class_panel import ClassPanel
from collab_widgets.students.ui.groups_panel import GroupsPanel
from collab_widgets.students.ui.state import PSEUDONYMS_HINT, ClassState
from tests.unit.store_helpers import EVIL
from tests.unit.widget_helpers import BUTTONS, answer_yes, find, opened, texts

FIRST = ["Maya", "Chidi", "Lena", "Omar", "Iris", "Tom", "Ana", "Ben", "Cleo", "Dev", "Eva", "Finn"]
IDS = [str(101 + i) for i in range(len(FIRST))]
SECRET_NOTE = "NOTE-MARKER-sits-apart"


def class_file(ids=IDS, header="Student ID,First Name,Last Name,Support") -> bytes:
    lines = [header]
    for i, (key, first) in enumerate(zip(ids, FIRST, strict=False)):
        lines.append(f"{key},{first},Rivera{i},{SECRET_NOTE if i % 4 == 0 else ''}")
    return ("\n".join(lines) + "\n").encode()


def uploaded(name: str, data: bytes) -> list[dict]:
    """What a FileUpload holds once the browser sent a file."""
    return [
        {
            "name": name,
            "type": "",
            "size": len(data),
            "last_modified": dt.datetime(2026, 10, 15, tzinfo=dt.UTC),
            "content": memoryview(data),
        }
    ]


def scores_csv() -> bytes:
    """Unit 3: twelve students, percents spread from 0 to 100."""
    lines = ["Student ID,Name,Q1,Q2,Q3,Q4"]
    for i, (key, first) in enumerate(zip(IDS, FIRST, strict=True)):
        points = [1 if (i + q) % 12 < 6 + q else 0 for q in range(4)]
        if i < 3:
            points = [0, 0, 0, 0]
        elif i > 8:
            points = [1, 1, 1, 1]
        lines.append(f"{key},{first} Rivera{i},{','.join(map(str, points))}")
    return ("\n".join(lines) + "\n").encode()


KEY = b"Item,Standard,Max Points,Answer\nQ1,4.NF.1,1,\nQ2,4.NF.1,1,\nQ3,4.NF.2,1,\nQ4,4.NF.2,1,\n"


def panels(scope):
    status, indicator = StatusLine(), SavedIndicator()
    state = ClassState(scope)
    classes_tab = ClassPanel(scope, state, status, indicator)
    classes_tab.refresh()
    groups_tab = opened(lambda: GroupsPanel(scope, state, status, indicator))
    return state, classes_tab, groups_tab, status


def press(widget, label: str) -> None:
    found = find(widget, BUTTONS, lambda b: b.description == label)
    assert len(found) == 1, f"{len(found)} buttons {label!r}"
    found[0].click()


@pytest.fixture
def unit3(sqlite_team):
    return saved.save(
        sqlite_team.member(0), read_scores(scores_csv(), key=KEY, name="unit3.csv"), "Unit 3"
    )


@pytest.fixture
def room(sqlite_team):
    """Ana's class, made on her page, its twelve students from a class file."""
    state, page, groups, status = panels(sqlite_team.member(0))
    page.new_name.value = "Room 12"
    press(page, "Make the class")
    page.upload.value = uploaded("room12.csv", class_file())
    page.note_columns.value = ("Support",)
    press(page, "Add 12 students")
    assert classes.class_info(sqlite_team.member(0), state.class_id).students == 12
    return state, page, groups, status


# --- the class ----------------------------------------------------------------------------


def test_a_class_file_with_a_repeated_id_is_refused_and_nothing_is_saved(sqlite_team):
    state, page, _, status = panels(sqlite_team.member(0))
    page.new_name.value = "Room 12"
    press(page, "Make the class")
    page.upload.value = uploaded("room12.csv", class_file(IDS[:5] + ["103"] + IDS[6:]))
    assert "appear twice" in status.value and "rows 4 and 7" in status.value
    assert "Nothing was added" in page.file_report.value
    assert page.add_file.disabled
    page.add_file.click()  # a browser can press a disabled button
    assert "appear twice" in status.value
    assert classes.roster(sqlite_team.member(0), state.class_id) == []
    # a file with no id at all in a row: refused too, naming the row
    page.upload.value = uploaded("room12.csv", class_file(IDS[:2] + [""] + IDS[3:]))
    assert "Row 4 has no student id in “Student ID”" in status.value
    assert classes.roster(sqlite_team.member(0), state.class_id) == []


def test_a_good_file_fills_the_roster_under_pseudonyms_and_names_on_request(sqlite_team, room):
    state, page, _, status = room
    assert "12 students added" in status.value
    roster = classes.roster(sqlite_team.member(0), state.class_id)
    assert [s.display_name for s in roster][:2] == ["Maya R.", "Chidi R."]
    assert roster[0].attributes == {"Support": SECRET_NOTE}
    shown = page.roster_table.value
    assert roster[0].pseudonym in shown and "Maya" not in shown and SECRET_NOTE not in shown
    page.show_names.value = True
    shown = page.roster_table.value
    assert "Maya R." in shown and "Maya Rivera0" in shown and SECRET_NOTE in shown
    # a teammate reads the roster (with names) and changes nothing
    _, ben, _, _ = panels(sqlite_team.member(1))
    assert "Ana&#x27;s class: only Ana changes it." in ben.owner_line.value
    assert ben.teacher.layout.display == "none" and ben.maker.layout.display != "none"
    ben.show_names.value = True
    assert "Maya R." in ben.roster_table.value


def test_the_columns_chosen_once_are_used_for_the_next_file(sqlite_team, room):
    state, page, _, _ = room
    data = class_file(header="Local ID,Given,Family,Support")
    page.upload.value = uploaded("export.csv", data)
    assert not page.remembered  # new columns: guessed ("Local ID" is the first column)
    page.first_column.value = "Given"
    page.last_column.value = "Family"
    page.note_columns.value = ("Support",)
    press(page, "Add 12 students")  # the same ids: updated, not added twice
    assert classes.class_info(sqlite_team.member(0), state.class_id).students == 12
    page.upload.value = uploaded("export-again.csv", data)
    assert page.remembered and "as last time" in page.file_report.value
    assert (page.first_column.value, page.last_column.value) == ("Given", "Family")
    assert page.note_columns.value == ("Support",)


def test_the_students_of_a_saved_assessment_make_a_class(sqlite_team, unit3):
    state, page, _, status = panels(sqlite_team.member(0))
    page.new_name.value = "Room 14"
    press(page, "Make the class")
    page.assessment.value = unit3
    press(page, "Add its students")
    assert "12 students added" in status.value
    assert classes.class_info(sqlite_team.member(0), state.class_id).students == 12


def test_one_students_name_and_notes_are_edited_by_the_teacher(sqlite_team, room):
    state, page, _, status = room
    assert page.editing.layout.display == "none"  # names hidden: nothing to edit
    page.show_names.value = True
    first = classes.roster(sqlite_team.member(0), state.class_id)[0]
    page.student.value = first.id
    assert page.display_name.value == "Maya R."
    page.display_name.value = "Maya Ri."
    page.notes.value = "Support: reads aloud\nLanguage: Spanish"
    press(page, "Save")
    now = classes.roster(sqlite_team.member(0), state.class_id)[0]
    assert now.display_name == "Maya Ri."
    assert now.attributes == {"Support": "reads aloud", "Language": "Spanish"}
    page.notes.value = "no colon here"
    press(page, "Save")
    assert "has no colon" in status.value
    assert classes.roster(sqlite_team.member(0), state.class_id)[0].attributes == now.attributes


def test_cards_the_class_code_the_survey_and_the_date(sqlite_team, room):
    state, page, _, status = room
    info = classes.class_info(sqlite_team.member(0), state.class_id)
    assert info.code in page.code_shown.value
    press(page, "Print student cards")
    assert "Every card printed earlier no longer works" in status.value
    assert "student-cards.html" in page.downloads.value
    assert all(s.has_card for s in classes.roster(sqlite_team.member(0), state.class_id))
    press(page, "Class code for the board")
    poster = base64.b64decode(page.downloads.value.split("base64,")[1].split("'")[0]).decode()
    assert info.code in poster
    press(page, "Change class code")
    answer_yes(page)
    assert classes.class_info(sqlite_team.member(0), state.class_id).code != info.code
    press(page, "Open the survey")
    assert classes.class_info(sqlite_team.member(0), state.class_id).survey_open
    assert "0 of 12 students answered" in page.survey_state.value
    press(page, "Close the survey")
    page.keep_until.value = dt.date(2020, 1, 1)
    press(page, "Save the date")
    assert "cannot end before today" in status.value
    page.keep_until.value = dt.date(2027, 6, 30)
    press(page, "Save the date")
    assert classes.class_info(sqlite_team.member(0), state.class_id).retain_until == dt.date(
        2027, 6, 30
    )


def test_a_class_is_deleted_with_everything_about_its_students(sqlite_team, room):
    state, page, _, status = room
    press(page, "Delete this class and everything about its students")
    assert "12 students" in page.delete.question.value
    answer_yes(page)
    assert classes.classes(sqlite_team.member(0)) == [] and state.class_id is None
    assert "are deleted" in status.value


# --- groups -------------------------------------------------------------------------------


def make_groups(groups, unit3=None, size=3) -> None:
    if unit3 is not None:
        row = groups._add_row("percent")
        row.source.value = unit3
    groups.size.value = size
    press(groups, "Make groups")


def test_groups_from_a_saved_assessment_explain_themselves(sqlite_team, room, unit3):
    state, _, groups, status = room
    make_groups(groups, unit3)
    assert "4 groups made" in status.value
    assert len(groups.board.groups) == 4
    assert all(len(g["students"]) == 3 for g in groups.board.groups)
    assert "Balance:" in groups.summary.value and "%" in groups.summary.value
    assert all("Percent on Unit 3" in g["spreads"][0] for g in groups.board.groups)
    # the same settings and number give the same groups; another number, another arrangement
    first = dict(groups.assignment)
    press(groups, "Make groups")
    assert groups.assignment == first
    press(groups, "Try another arrangement")
    assert groups.seed == 2 and "Arrangement no. 2" in groups.seed_line.value


def test_impossible_choices_are_refused_in_plain_words(sqlite_team, room):
    state, _, groups, status = room
    groups.by.value = "groups"
    groups.groups_wanted.value = 2
    groups.apart_pick.value = tuple(s.id for s in groups.roster[:3])
    press(groups, "Keep these apart")
    press(groups, "Make groups")
    assert "Keep apart: 3 students cannot be in 2 different groups" in status.value
    assert groups.roster[0].pseudonym in status.value and "Maya" not in status.value
    state.show_names = True
    press(groups, "Make groups")
    assert "Maya R." in status.value  # named as the teacher knows them
    assert groups.assignment == {}
    groups.by.value = "size"
    groups.size.value = 10
    classes.remove_student(sqlite_team.member(0), state.class_id, groups.roster[-1].id)
    for student in groups.roster[3:9]:
        classes.remove_student(sqlite_team.member(0), state.class_id, student.id)
    groups.refresh()
    press(groups, "Make groups")
    assert "need more students than the class has (5)" in status.value


def test_a_student_moves_by_the_form_and_by_the_board(sqlite_team, room, unit3):
    state, _, groups, status = room
    state.show_names = True
    make_groups(groups, unit3)
    maya = str(groups.roster[0].id)
    before = groups.explanation
    start = groups.assignment[maya]
    target = (start + 1) % 4
    groups.move_student.value = maya
    groups.move_group.value = target
    press(groups, "Move")
    assert groups.assignment[maya] == target
    assert f"Maya R. moved to group {target + 1}." in status.value
    assert groups.explanation != before  # explained again
    assert (
        any(s["id"] == maya for s in groups.board.groups[target]["students"])
        and len(groups.board.groups[target]["students"]) == 4
    )
    assert "4 groups of 2–4" in groups.summary.value
    # the board asks; the kernel checks and redraws
    board = groups.board
    board._message(board, {"event": "moved", "student": maya, "group": start}, [])
    assert groups.assignment[maya] == start and "moved to group" in status.value
    for forged in (
        {"event": "moved", "student": maya, "group": 9},
        {"event": "moved", "student": "99999", "group": 0},
        {"event": "moved", "student": maya, "group": True},
        {"event": "moved", "student": maya, "group": 1.0},
        {"event": "remove", "student": maya},
        "moved",
    ):
        status.clear()
        board._message(board, forged, [])
        assert status.value, forged
        assert groups.assignment[maya] == start


def test_groups_are_saved_and_later_moves_saved_too(sqlite_team, room, unit3):
    state, _, groups, status = room
    make_groups(groups, unit3)
    groups.name.value = "Project teams"
    press(groups, "Save these groups")
    (info,) = groupings.groupings(sqlite_team.member(0), state.class_id)
    assert info.name == "Project teams" and info.groups == 4 and info.students == 12
    maya = str(groups.roster[0].id)
    target = (groups.assignment[maya] + 1) % 4
    groups.board._message(groups.board, {"event": "moved", "student": maya, "group": target}, [])
    stored = groupings.grouping(sqlite_team.member(0), info.id)
    placed = {p.student_id: p.group_number for p in stored.placements}
    assert placed[int(maya)] == target + 1  # group 1 is number 1, as the cards say
    assert "Saved" in status.value
    # opened again (another page): the same groups, explained, with their settings
    _, _, again, _ = panels(sqlite_team.member(0))
    again.saved.value = info.id
    press(again, "Open")
    assert again.assignment == groups.assignment
    assert "Balance:" in again.summary.value and len(again.rows) == 1
    # a teammate opens them to read: no moving, no saving
    ben_state, _, ben, _ = panels(sqlite_team.member(1))
    ben.saved.value = info.id
    press(ben, "Open")
    assert not ben.board.can_move and ben.mover.layout.display == "none"
    assert "Maya" not in str(ben.board.groups)  # pseudonyms until Ben shows names
    ben_state.show_names = True
    assert "Maya R." in str(ben.board.groups)


def test_group_cards_carry_names_and_group_numbers_only(sqlite_team, room, unit3):
    state, page, groups, _ = room
    row = groups._add_row("attribute")
    row.source.value = "Support"
    groups.apart_pick.value = tuple(s.id for s in groups.roster[:2])
    press(groups, "Keep these apart")
    make_groups(groups, unit3)
    press(groups, "Print group cards")
    link = groups.downloads.value.split("href='")[1].split("'")[0]
    printed = base64.b64decode(link.split(",", 1)[1]).decode()
    assert "Maya R." in printed and "Group 1" in printed
    for never in (SECRET_NOTE, "Support", "Percent", "apart", "Balance", "no note"):
        assert never not in printed, never


def test_survey_answers_and_notes_can_be_balanced(sqlite_team, room):
    _, _, groups, status = room
    groups._add_row("interests")
    row = groups._add_row("attribute")
    row.source.value = "Support"
    make_groups(groups)
    assert "Interests: no student has answered the survey yet." in groups.summary.value
    assert all(any("Support:" in s for s in g["spreads"]) for g in groups.board.groups)


def test_a_criterion_needs_what_it_is_read_from(sqlite_team, room):
    _, _, groups, status = room
    press(groups, "Add a criterion")  # percent on an assessment, and none is saved
    assert "no saved assessment yet" in status.value and groups.rows == []


# --- who sees what ------------------------------------------------------------------------


def forged_presses(page, gpage, student: str) -> list:
    """What a browser can send although the page hides it: each button a teacher has."""
    return [
        page.survey_button.click,
        lambda: press(page, "Print student cards"),
        lambda: press(page, "Save the date"),
        page.delete.yes.click,
        page.rotate.yes.click,
        lambda: press(gpage, "Make groups"),
        lambda: press(gpage, "Print group cards"),
        lambda: gpage.board._message(
            gpage.board, {"event": "moved", "student": student, "group": 1}, []
        ),
    ]


def test_a_coach_sees_pseudonyms_only_and_changes_nothing(sqlite_team, room, unit3):
    state, _, groups, _ = room
    make_groups(groups, unit3)
    press(groups, "Save these groups")
    class_id = state.class_id
    ana = sqlite_team.member(0)
    before = (classes.roster(ana, class_id), groupings.groupings(ana, class_id))
    for outsider in (sqlite_team.as_coach, sqlite_team.store.open_team(sqlite_team.code)):
        cstate, page, gpage, status = panels(outsider)
        assert cstate.class_id == class_id and not cstate.names
        shown = texts(page) + texts(gpage)
        assert "Maya" not in shown and SECRET_NOTE not in shown
        assert before[0][0].pseudonym in shown
        for hidden in (page.maker, page.teacher, page.show_names, gpage.maker):
            assert hidden.layout.display == "none"
        assert "pseudonyms" in page.outsiders.value
        gpage.saved.value = before[1][0].id
        press(gpage, "Open")
        assert "Maya" not in str(gpage.board.groups) and not gpage.board.can_move
        assert all(g["spreads"] == [] for g in gpage.board.groups)
        # the browser can press a hidden button and set any value: the kernel refuses
        page.show_names.value = True
        assert "Maya" not in page.roster_table.value
        page.new_name.value = "Coach's class"
        press(page, "Make the class")
        assert "a coach cannot" in status.value or "personal link" in status.value
        page.upload.value = uploaded("room12.csv", class_file())
        status.clear()
        with pytest.raises(AccessDenied):  # the handler itself, unguarded
            page._add_from_file()
        page.add_file.click()  # a forged click of the hidden button: a message
        assert "collab-error" in status.value
        for forged in forged_presses(page, gpage, str(before[0][0].id)):
            status.clear()
            forged()
            assert status.value and "collab-error" in status.value, forged
        assert (classes.roster(ana, class_id), groupings.groupings(ana, class_id)) == before
        assert [c.id for c in classes.classes(ana)] == [class_id]


DISPLAYED = [f"{first} R." for first in FIRST]  # the class file's display names


def shown_on_groups_tab(groups) -> str:
    """Everything the Groups tab shows: its text, its pickers' and the move form's choices,
    and the board's data (drawn as text in the browser)."""
    labels = [
        label
        for picker in (groups.apart_pick, groups.together_pick, groups.move_student)
        for label, _ in picker.options
    ]
    return "\n".join([texts(groups), *labels, str(groups.board.groups)])


def test_the_groups_tab_shows_pseudonyms_until_a_member_shows_names(sqlite_team, room, unit3):
    state, page, groups, status = room
    maya = groups.roster[0]
    assert not state.show_names and groups.show_names.value is False
    assert groups.names_row.layout.display != "none"
    assert groups.pseudonyms_hint.layout.display != "none"
    assert PSEUDONYMS_HINT in groups.pseudonyms_hint.value
    groups.apart_pick.value = (maya.id, groups.roster[1].id)
    press(groups, "Keep these apart")
    make_groups(groups, unit3)
    groups.together_pick.value = (groups.roster[2].id, groups.roster[3].id)  # being chosen
    shown = shown_on_groups_tab(groups)
    assert not any(name in shown for name in DISPLAYED), shown
    assert f"Apart: {maya.pseudonym}, {groups.roster[1].pseudonym}" in texts(groups.apart_list)
    assert maya.pseudonym in str(groups.board.groups)
    target = (groups.assignment[str(maya.id)] + 1) % 4
    groups.move_student.value, groups.move_group.value = str(maya.id), target
    press(groups, "Move")
    assert f"{maya.pseudonym} moved to group {target + 1}." in status.value
    # "Show names" on the Groups tab: the page's one switch (the Class tab's moves too)
    groups.show_names.value = True
    assert state.show_names and page.show_names.value is True
    assert "Maya R." in page.roster_table.value
    shown = shown_on_groups_tab(groups)
    assert all(name in shown for name in DISPLAYED)
    assert f"Maya R. (group {target + 1})" in [label for label, _ in groups.move_student.options]
    assert "Apart: Maya R., Chidi R." in texts(groups.apart_list)
    assert groups.together_pick.value == (groups.roster[2].id, groups.roster[3].id)
    assert maya.pseudonym not in str(groups.board.groups)
    assert groups.pseudonyms_hint.layout.display == "none"
    # hidden again from the Class tab: pseudonyms everywhere at once
    page.show_names.value = False
    assert groups.show_names.value is False
    assert not any(name in shown_on_groups_tab(groups) for name in DISPLAYED)
    # the cards are handed to the students: their display names, whatever the screen shows
    press(groups, "Print group cards")
    link = groups.downloads.value.split("href='")[1].split("'")[0]
    printed = base64.b64decode(link.split(",", 1)[1]).decode()
    assert "Maya R." in printed and maya.pseudonym not in printed
    # another class opens under pseudonyms
    groups.show_names.value = True
    other = classes.create_class(sqlite_team.member(0), "Room 14")
    page.refresh()
    page.choice.value = other
    assert not state.show_names and not groups.show_names.value


def test_saved_groups_show_pseudonyms_to_a_teammate_until_names_are_shown(sqlite_team, room):
    state, _, groups, _ = room
    make_groups(groups)
    press(groups, "Save these groups")
    ben_state, ben_page, ben, _ = panels(sqlite_team.member(1))
    press(ben, "Open")
    assert not any(name in shown_on_groups_tab(ben) for name in DISPLAYED)
    assert ben.pseudonyms_hint.layout.display != "none"
    ben_page.show_names.value = True  # on Ben's page only
    assert "Maya R." in str(ben.board.groups)
    assert "Maya R." not in str(groups.board.groups) and not state.show_names


def test_a_coach_with_show_names_forced_sees_pseudonyms_only(sqlite_team, room, unit3):
    state, _, groups, _ = room
    make_groups(groups, unit3)
    press(groups, "Save these groups")
    for outsider in (sqlite_team.as_coach, sqlite_team.store.open_team(sqlite_team.code)):
        cstate, page, gpage, _ = panels(outsider)
        assert gpage.names_row.layout.display == "none"
        gpage.show_names.value = True  # the browser can set a hidden toggle: refused
        assert not cstate.show_names and gpage.show_names.value is False
        cstate.show_names = True
        assert not cstate.show_names
        cstate._trait_values["show_names"] = True  # past the state's guard
        press(gpage, "Open")
        shown = shown_on_groups_tab(gpage) + page.roster_table.value
        assert not any(name in shown for name in DISPLAYED)
        assert groups.roster[0].pseudonym in str(gpage.board.groups)
        # even as if a member: the store names a coach's students by pseudonym only
        cstate._trait_values["names"] = True
        gpage.refresh()
        assert not any(name in shown_on_groups_tab(gpage) for name in DISPLAYED)


def test_typed_text_shows_as_text(sqlite_team):
    state, page, groups, _ = panels(sqlite_team.member(0))
    page.new_name.value = f"Room {EVIL}"
    press(page, "Make the class")
    classes.add_students(
        sqlite_team.member(0),
        state.class_id,
        [
            StudentRow("S1", "Maya Rivera", EVIL[:40], {"Note": EVIL[:60]}),
            StudentRow("S2", "Tom Berg"),
            StudentRow("S3", "Iris Chen"),
            StudentRow("S4", "Omar H"),
        ],
    )
    state.changed()
    page.show_names.value = True
    for shown in (page.about.value, page.roster_table.value, page.delete.question.value):
        assert "<script>" not in shown and "<img" not in shown
    assert "&lt;script&gt;" in page.roster_table.value
    groups.size.value = 2
    groups.apart_pick.value = (groups.roster[0].id, groups.roster[1].id)
    press(groups, "Keep these apart")
    press(groups, "Make groups")
    for shown in (groups.summary.value, texts(groups.apart_list)):
        assert "<script>" not in shown and "<img" not in shown
    assert EVIL[:40] in str(groups.board.groups)  # data for the board, drawn as text there
    press(groups, "Print group cards")
    link = groups.downloads.value.split("href='")[1].split("'")[0]
    printed = base64.b64decode(link.split(",", 1)[1]).decode()
    assert "<script>alert" not in printed and "&lt;script&gt;" in printed


def test_the_app_opens_every_tab_for_a_member_and_a_coach(sqlite_team, room, unit3):
    for params in (
        {"team": sqlite_team.code, "member": sqlite_team.people[0].token},
        {"team": sqlite_team.code, "member": sqlite_team.people[1].token},
        {"coach": sqlite_team.coach_code, "team": sqlite_team.code},
    ):
        app = StudentsApp(sqlite_team.store, params)
        assert app.scope is not None, app.status.value
        assert app.state.class_id is not None
        for index in range(len(app.tabs.children)):
            app.tabs.selected_index = index
        assert "error" not in app.status.value.lower(), app.status.value
        app.close()


def test_the_tabs_follow_the_class_chosen(sqlite_team, room):
    state, page, groups, _ = room
    other = classes.create_class(sqlite_team.member(0), "Room 14")
    page.refresh()
    page.choice.value = other
    assert state.class_id == other and groups.roster == []
    assert isinstance(page.choice, widgets.Dropdown) and "Room 14 (Ana)" in page.choice.label


def test_a_closed_page_leaves_no_widget_open_and_no_task_running(sqlite_team, room, unit3):
    """As tests/unit/test_leaks.py does, with a class whose survey is open (the Class tab
    polls for answers) and groups made, moved, saved and reopened."""
    state, page, _, _ = room
    classes.set_survey_open(sqlite_team.member(0), state.class_id, True)
    registry = ipywidgets_widget._instances

    async def visit():
        await asyncio.sleep(0)
        widgets_before = set(registry)
        tasks_before = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        app = StudentsApp(
            sqlite_team.store, {"team": sqlite_team.code, "member": sqlite_team.people[0].token}
        )
        groups = app.groups
        make_groups(groups, unit3)
        maya = str(groups.roster[0].id)
        groups.board._message(groups.board, {"event": "moved", "student": maya, "group": 3}, [])
        press(groups, "Save these groups")
        press(groups, "Open")
        for index in range(len(app.tabs.children)):
            app.tabs.selected_index = index
        tasks = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        assert tasks - tasks_before  # the Class tab polls while the survey is open
        assert "error" not in app.status.value, app.status.value
        app.close()
        for _ in range(3):
            await asyncio.sleep(0)
        left_tasks = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        return set(registry) - widgets_before, left_tasks - tasks_before

    left_widgets, left_tasks = asyncio.run(visit())
    assert sorted(type(registry[key]).__name__ for key in left_widgets) == []
    assert left_tasks == set()


def test_groups_saved_elsewhere_from_group_0_open_with_every_student(sqlite_team, room):
    """The grouping numbers groups from 0 (and the demo saves them so); this page saves
    group 1 as 1. Either way every student shows, in as many groups as were saved."""
    state, _, groups, _ = room
    roster = classes.roster(sqlite_team.member(0), state.class_id)
    placed = [Placement(s.id, i % 3) for i, s in enumerate(roster)]
    groupings.save(
        sqlite_team.member(0),
        state.class_id,
        "groups",
        "Made elsewhere",
        {"group_size": 4},
        0.5,
        placed,
    )
    groups.refresh()
    press(groups, "Open")
    assert [len(g["students"]) for g in groups.board.groups] == [4, 4, 4]
    assert groups.size.value == 4 and "Balance:" in groups.summary.value
