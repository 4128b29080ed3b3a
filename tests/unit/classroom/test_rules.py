"""The rules of classroom practice, without a database: a lesson study's stages and the
moves between them, how two versions of a plan differ, and what a note may carry."""

from __future__ import annotations

import itertools

import pytest

from collab_widgets.classroom import rules
from collab_widgets.classroom.rules import (
    DEBRIEF,
    DONE,
    MOVES,
    PLAN,
    REPORT,
    REVISE,
    STAGE_NAMES,
    STAGES,
    STUDY,
    TEACH,
    TEACH_AGAIN,
    THEME,
    Change,
    PlanContent,
    changes_html,
    check_case_student,
    check_case_students,
    check_move,
    check_note,
    compare,
)
from collab_widgets.core.errors import InvalidInput
from tests.unit.store_helpers import EVIL

ALLOWED = [(stage, to) for stage in STAGES for to in MOVES[stage]]
REFUSED = [
    (stage, to)
    for stage, to in itertools.product(STAGES, STAGES)
    if stage != to and to not in MOVES[stage]
]
APPROACHES = {"station": "Station teaching", "parallel": "Parallel teaching"}


def _plan(**changed) -> PlanContent:
    values = dict(
        title="Adding fractions",
        standard="4.NF.3",
        sections={
            "target": "I can add fractions\nwith like denominators",
            "criteria": "Uses a model",
            "groups": "",
            "materials": "Fraction strips",
        },
        segments=(("Launch", 10, None), ("Task", 25, "station"), ("Summary", 10, None)),
    )
    values.update(changed)
    return PlanContent(**values)


# --- stages and moves ------------------------------------------------------------------


def test_the_stages_run_from_theme_to_done_and_every_stage_has_a_name_and_its_moves():
    assert STAGES[0] == THEME and STAGES[-1] == DONE
    assert set(STAGE_NAMES) == set(STAGES) == set(MOVES)
    assert all(to in STAGES for moves in MOVES.values() for to in moves)
    assert rules.TEACHING == (TEACH, TEACH_AGAIN)


@pytest.mark.parametrize(("stage", "to"), ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
def test_every_allowed_move_passes(stage, to):
    check_move(stage, to, has_plan=True, taught_again=False)
    assert to in rules.next_stages(stage)


@pytest.mark.parametrize(("stage", "to"), REFUSED, ids=[f"{s}->{t}" for s, t in REFUSED])
def test_every_other_move_is_refused_naming_both_stages(stage, to):
    with pytest.raises(InvalidInput) as refused:
        check_move(stage, to, has_plan=True, taught_again=False)
    message = str(refused.value)
    assert f"“{STAGE_NAMES[stage]}”" in message and f"“{STAGE_NAMES[to]}”" in message
    assert refused.value.field == "stage"
    # it says where the cycle can go instead (or that it is done)
    for allowed in MOVES[stage]:
        assert f"“{STAGE_NAMES[allowed]}”" in message
    if not MOVES[stage]:
        assert "done" in message


def test_staying_at_the_same_stage_is_no_move_and_is_allowed():
    for stage in STAGES:
        check_move(stage, stage, has_plan=False, taught_again=True)


def test_a_stage_that_does_not_exist_is_refused_by_name():
    with pytest.raises(InvalidInput, match="no stage called “teach-thrice”"):
        check_move(REVISE, "teach-thrice", has_plan=True, taught_again=False)


def test_the_lesson_is_taught_only_once_a_plan_is_chosen():
    with pytest.raises(InvalidInput, match="Choose the research lesson's plan"):
        check_move(PLAN, TEACH, has_plan=False, taught_again=False)
    check_move(PLAN, TEACH, has_plan=True, taught_again=False)


def test_the_lesson_is_taught_again_only_once():
    check_move(REVISE, TEACH_AGAIN, has_plan=True, taught_again=False)
    with pytest.raises(InvalidInput, match="already taught a second time"):
        check_move(REVISE, TEACH_AGAIN, has_plan=True, taught_again=True)
    # the report is still open to it
    check_move(REVISE, REPORT, has_plan=True, taught_again=True)


def test_a_lesson_once_taught_stays_taught():
    for taught in (TEACH, DEBRIEF, REVISE, TEACH_AGAIN, REPORT):
        for before in (THEME, STUDY, PLAN):
            with pytest.raises(InvalidInput):
                check_move(taught, before, has_plan=True, taught_again=False)


def test_done_goes_nowhere():
    assert MOVES[DONE] == () and rules.next_stages(DONE) == ()
    for to in STAGES:
        if to == DONE:
            continue
        with pytest.raises(InvalidInput, match="it is done"):
            check_move(DONE, to, has_plan=True, taught_again=False)


# --- comparing two versions of a plan ----------------------------------------------------


def test_two_same_plans_have_no_changes():
    assert compare(_plan(), _plan(), APPROACHES) == []
    assert changes_html([]) == "<p>The two versions are the same.</p>"


def test_compare_names_the_section_lines_taken_out_and_put_in():
    older = _plan()
    newer = _plan(
        sections={**older.sections, "target": "I can add fractions\nwith unlike denominators"}
    )
    assert compare(older, newer, APPROACHES) == [
        Change("Learning target", ("with like denominators",), ("with unlike denominators",))
    ]


def test_compare_names_the_standard_and_a_section_added():
    older = _plan()
    newer = _plan(
        standard="4.NF.4",
        sections={**older.sections, "groups": "Extension: unit fractions"},
    )
    assert compare(older, newer, APPROACHES) == [
        Change("Essential standard", ("4.NF.3",), ("4.NF.4",)),
        Change("Questions 3 and 4: the groups", (), ("Extension: unit fractions",)),
    ]


def test_compare_shows_tasks_with_their_minutes_and_approach_by_name():
    older = _plan()
    newer = _plan(
        segments=(("Launch", 5, None), ("Task", 25, "station"), ("Exit ticket", 5, "parallel"))
    )
    [change] = compare(older, newer, APPROACHES)
    assert change.part == "Tasks"
    assert set(change.removed) == {"Launch (10 min)", "Summary (10 min)"}
    assert set(change.added) == {"Launch (5 min)", "Exit ticket (5 min, Parallel teaching)"}
    assert "Task (25 min, Station teaching)" not in change.removed + change.added
    # an approach no longer in the library shows by its id
    [unknown] = compare(older, _plan(segments=(("Launch", 10, "gone-approach"),)), {})
    assert "Launch (10 min, gone-approach)" in unknown.added


def test_changes_are_shown_in_words_with_every_text_escaped():
    older = _plan()
    newer = _plan(sections={**older.sections, "materials": EVIL}, segments=((EVIL, 10, None),))
    shown = changes_html(compare(older, newer, APPROACHES))
    assert "<script>" not in shown and "<img" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "&amp; {{ 7*7 }}" in shown
    assert "Taken out" in shown and "Put in" in shown
    assert "<del>Fraction strips</del>" in shown
    assert "<h4>Materials</h4>" in shown and "<h4>Tasks</h4>" in shown
    assert "<h4>Learning target</h4>" not in shown  # unchanged parts are not listed


def test_blank_lines_changed_are_not_listed():
    shown = changes_html([Change("Materials", ("   ",), ("",))])
    assert "<li" not in shown and "<h4>Materials</h4>" in shown


def test_a_plan_reads_back_from_its_json_as_it_was():
    plan = _plan(
        title=EVIL,
        sections={**_plan().sections, "groups": "Ünïcödé 😀 – ½\n\tline two"},
        segments=((EVIL, 240, None), ("Stations", 1, "station")),
    )
    text = plan.to_json()
    assert "😀" in text  # kept as typed, not escaped to \u sequences
    assert PlanContent.from_json(text) == plan
    assert PlanContent.from_json(text).minutes == 241


def test_a_plan_from_an_older_json_without_parts_reads_as_empty():
    assert PlanContent.from_json("{}") == PlanContent("", "", {}, ())


def test_a_tasks_minutes_are_between_one_and_four_hours():
    assert rules.check_minutes(1) == 1 and rules.check_minutes(240) == 240
    for minutes in (0, -5, 241):
        with pytest.raises(InvalidInput, match="between 1 and 240"):
            rules.check_minutes(minutes)


# --- notes and case students --------------------------------------------------------------


def test_a_note_without_a_case_student_needs_none_chosen():
    check_case_student(None, (), set())
    check_case_student("", ("Student AAAAAA",), set())


def test_a_case_student_not_chosen_is_refused():
    with pytest.raises(InvalidInput, match="not one of this lesson study's case students") as e:
        check_case_student("Student ZZZZZZ", ("Student AAAAAA",), {"Student ZZZZZZ"})
    assert e.value.field == "case_student"


def test_a_case_student_no_longer_among_the_assessments_students_is_refused_plainly():
    with pytest.raises(InvalidInput) as refused:
        check_case_student("Student AAAAAA", ("Student AAAAAA",), {"Student BBBBBB"})
    message = str(refused.value)
    assert "“Student AAAAAA” is no longer among the students" in message
    assert "not saved" in message
    for technical in ("KeyError", "assessment_id", "None", "Traceback", "{", "["):
        assert technical not in message
    check_case_student("Student AAAAAA", ("Student AAAAAA",), {"Student AAAAAA"})


def test_at_most_six_case_students_from_the_assessment():
    available = {f"Student {i}" for i in range(10)}
    six = [f"Student {i}" for i in range(6)]
    assert check_case_students(six, available) == tuple(six)
    with pytest.raises(InvalidInput, match="at most 6"):
        check_case_students([*six, "Student 6"], available)
    assert check_case_students([], available) == ()


def test_case_students_not_in_the_assessment_are_named():
    with pytest.raises(InvalidInput, match="Student Q is not among") as one:
        check_case_students(["Student 1", "Student Q"], {"Student 1"})
    assert one.value.field == "case_students"
    with pytest.raises(InvalidInput, match="Student Q, Student R are not among"):
        check_case_students(["Student Q", "Student R"], {"Student 1"})


def test_a_case_student_chosen_twice_is_kept_once_in_order():
    assert check_case_students(["B", "A", "B"], {"A", "B"}) == ("B", "A")


def test_a_note_is_kept_to_a_thousand_characters():
    assert check_note("x" * 1000) == "x" * 1000
    assert check_note(EVIL) == EVIL
    with pytest.raises(InvalidInput, match="1,001 characters long; keep it to 1,000") as e:
        check_note("x" * 1001)
    assert e.value.field == "note"
