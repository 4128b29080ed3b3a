"""Classroom practice in the store (SQLite, and PostgreSQL when COLLAB_TEST_POSTGRES_URL is
set): plans written together, lesson study cycles with their observers' notes and photos,
the debrief seeded with the notes, the activity record, and other teams kept out. The
fixed clock stands at 2026-10-15 15:00 UTC."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time

import pytest
from PIL import Image

from collab_widgets.backup import store as lifecycle
from collab_widgets.classroom import cycle_links, rules
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.rules import PlanContent
from collab_widgets.core.db import activity
from collab_widgets.core.errors import AccessDenied, EditConflict, InvalidInput, NotFound
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence_store
from collab_widgets.evidence import tables as evidence_tables
from collab_widgets.evidence.privacy import pseudonym
from collab_widgets.evidence.scores import read_scores
from collab_widgets.live import store as live
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import load_library
from collab_widgets.team.store import teams
from tests.unit.store_helpers import (
    EVIL,
    activity_of_kind,
    all_rows,
    facilitated_by_ana,
    other_team,
)

START = dt.datetime(2026, 10, 15, 15, 0, tzinfo=dt.UTC)
WIDE = (
    "Student ID,First Name,Last Name,Teacher,Q1,Q2\n"
    "101,Ana,Diaz,Lee,1,2\n"
    "102,Ben,Okafor,Lee,0,1\n"
    "103,Chen,Li,Ng,1,0\n"
)
KEY = "Item,Standard,Max Points,Answer\nQ1,4.NF.1,1,\nQ2,4.NF.2,2,\n"


def _image(fmt: str, size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, fmt)
    return out.getvalue()


def _assessment(scope) -> tuple[int, dict[str, str]]:
    """An assessment of three students; their pseudonyms by student id."""
    scores = read_scores(WIDE.encode(), key=KEY.encode(), name="unit3.csv")
    assessment_id = saved.save(scope, scores, "Unit 3 exit ticket")
    salt = evidence_store.settings(scope).pseudonym_salt
    return assessment_id, {key: pseudonym(salt, key) for key in ("101", "102", "103")}


def _taught(team, with_plan=True) -> tuple[int, int | None]:
    """A lesson study at "Teach and observe" (its lesson started now), and its plan."""
    ana = team.member(0)
    plan_id = None
    study_id = classroom.create_study(ana, "Fractions on a number line")
    if with_plan:
        plan_id = classroom.create_plan(ana, "Research lesson")
        classroom.add_segment(ana, plan_id, "Launch", 10)
        classroom.set_research_lesson(ana, study_id, plan_id)
    for stage in (rules.STUDY, rules.PLAN, rules.TEACH):
        classroom.move(ana, study_id, stage)
    return study_id, plan_id


def _debrief_protocol():
    protocol = load_library(folder="").get("lesson-study-debrief")
    assert protocol is not None, "lesson-study-debrief.yaml is there but does not load"
    return protocol


def _team_link(team):
    return team.store.open_team(team.code)


# --- co-plans ----------------------------------------------------------------------------


def test_a_new_plan_is_empty_and_read_by_every_member_and_the_coach(team):
    plan_id = classroom.create_plan(team.member(0), "  Adding fractions ")
    for scope in (*team.scopes, team.as_coach, _team_link(team)):
        plan = classroom.get_plan(scope, plan_id)
        assert plan.title == "Adding fractions"
        assert plan.sections == dict.fromkeys(rules.SECTIONS, "")
        assert plan.segments == () and plan.standard == ""
    assert [p.id for p in classroom.plans(team.member(1))] == [plan_id]
    with pytest.raises(InvalidInput):
        classroom.create_plan(team.member(0), "   ")


@pytest.mark.parametrize(
    "typed",
    [EVIL, "Ünïcödé 😀 – ½ — 漢字 עברית", "  spaces kept \n\n\tand a tab\n", "x" * 2000, ""],
    ids=["markup", "unicode", "whitespace", "2000-chars", "empty"],
)
def test_a_plans_section_is_saved_exactly_as_typed(team, typed):
    ana, ben = team.member(0), team.member(1)
    plan_id = classroom.create_plan(ana, "Plan")
    classroom.set_plan_text(ana, plan_id, "target", "first", "")
    classroom.set_plan_text(ben, plan_id, "criteria", typed, "")
    plan = classroom.get_plan(team.member(2), plan_id)
    assert plan.sections["criteria"] == typed and plan.sections["target"] == "first"


def test_a_section_typed_over_an_out_of_date_page_keeps_the_newer_text(team):
    ana, ben = team.member(0), team.member(1)
    plan_id = classroom.create_plan(ana, "Plan")
    classroom.set_plan_text(ana, plan_id, "target", "Ana's target", "")
    with pytest.raises(EditConflict) as conflict:
        classroom.set_plan_text(ben, plan_id, "target", "Ben's target", "")
    assert conflict.value.theirs == "Ana's target"
    assert classroom.get_plan(ben, plan_id).sections["target"] == "Ana's target"
    # the same words typed on both pages are no conflict
    classroom.set_plan_text(ben, plan_id, "target", "Ana's target", "")
    # typed over what the page read: saved
    classroom.set_plan_text(ben, plan_id, "target", "Ben's target", "Ana's target")
    assert classroom.get_plan(ana, plan_id).sections["target"] == "Ben's target"


def test_a_plan_has_only_its_four_sections_and_texts_of_a_page_length(team):
    ana = team.member(0)
    plan_id = classroom.create_plan(ana, "Plan")
    for section in ("title", "standard", "deleted_at", "team_id"):
        with pytest.raises(InvalidInput, match="no section"):
            classroom.set_plan_text(ana, plan_id, section, "x", None)
    classroom.set_plan_text(ana, plan_id, "materials", "kept", None)
    with pytest.raises(InvalidInput, match="2,000"):
        classroom.set_plan_text(ana, plan_id, "materials", "y" * 2001, "kept")
    assert classroom.get_plan(ana, plan_id).sections["materials"] == "kept"
    classroom.set_standard(ana, plan_id, "4.NF.3 " + "z" * 300)
    assert classroom.get_plan(ana, plan_id).standard == ("4.NF.3 " + "z" * 300)[:200]


def test_a_plans_tasks_are_added_moved_timed_and_taken_out(team):
    ana, ben = team.member(0), team.member(1)
    plan_id = classroom.create_plan(ana, "Plan")
    launch = classroom.add_segment(ana, plan_id, "Launch", 10)
    task = classroom.add_segment(ben, plan_id, "Task", 25, "station")
    summary = classroom.add_segment(ana, plan_id, "Summary", 10)

    def shown():
        return [
            (s.task, s.minutes, s.approach, s.position)
            for s in classroom.get_plan(ana, plan_id).segments
        ]

    assert shown() == [
        ("Launch", 10, None, 1),
        ("Task", 25, "station", 2),
        ("Summary", 10, None, 3),
    ]
    classroom.move_segment(ana, summary, -1)
    assert [s[0] for s in shown()] == ["Launch", "Summary", "Task"]
    classroom.move_segment(ana, launch, -1)  # already first: stays
    classroom.move_segment(ana, task, +1)  # already last: stays
    assert [s[0] for s in shown()] == ["Launch", "Summary", "Task"]
    classroom.set_segment(ben, task, minutes=30)
    assert shown()[2] == ("Task", 30, "station", 3)  # approach left as it was
    classroom.set_segment(ben, task, approach=None)  # one teacher now
    assert shown()[2] == ("Task", 30, None, 3)
    classroom.set_segment(ben, launch, approach="parallel")
    assert shown()[0] == ("Launch", 10, "parallel", 1)
    for minutes in (0, 241):
        with pytest.raises(InvalidInput, match="between 1 and 240"):
            classroom.set_segment(ana, task, minutes=minutes)
        with pytest.raises(InvalidInput, match="between 1 and 240"):
            classroom.add_segment(ana, plan_id, "Too long", minutes)
    classroom.delete_segment(ana, summary)
    assert [s[0] for s in shown()] == ["Launch", "Task"]
    with pytest.raises(NotFound, match="taken out"):
        classroom.set_segment(ana, summary, minutes=5)
    with pytest.raises(NotFound, match="taken out"):
        classroom.move_segment(ana, summary, 1)
    with pytest.raises(NotFound, match="taken out"):
        classroom.set_segment_task(ana, summary, "Back?", "Summary")


def test_a_tasks_words_follow_the_shared_text_rule(team):
    ana, ben = team.member(0), team.member(1)
    plan_id = classroom.create_plan(ana, "Plan")
    task = classroom.add_segment(ana, plan_id)
    assert classroom.get_plan(ana, plan_id).segments[0].task == ""
    classroom.set_segment_task(ana, task, EVIL, "")
    with pytest.raises(EditConflict) as conflict:
        classroom.set_segment_task(ben, task, "Ben's task", "")
    assert conflict.value.theirs == EVIL
    classroom.set_segment_task(ben, task, EVIL, "")  # the same words: no conflict
    assert classroom.get_plan(ben, plan_id).segments[0].task == EVIL


def test_a_plan_holds_twenty_tasks_at_most(team):
    ana = team.member(0)
    plan_id = classroom.create_plan(ana, "Plan")
    for i in range(rules.MAX_SEGMENTS):
        classroom.add_segment(ana, plan_id, f"Task {i}", 5)
    with pytest.raises(InvalidInput, match="20 tasks at most"):
        classroom.add_segment(ana, plan_id, "One too many", 5)
    # a task taken out makes room again
    classroom.delete_segment(ana, classroom.get_plan(ana, plan_id).segments[0].id)
    classroom.add_segment(ana, plan_id, "Room again", 5)
    assert len(classroom.get_plan(ana, plan_id).segments) == rules.MAX_SEGMENTS


def test_versions_keep_the_plan_as_it_was_and_read_back_oldest_first(team, fixed_clock):
    ana, ben = team.member(0), team.member(1)
    plan_id = classroom.create_plan(ana, "Plan")
    classroom.set_standard(ana, plan_id, "4.NF.3")
    classroom.set_plan_text(ana, plan_id, "target", "I can add fractions", None)
    launch = classroom.add_segment(ana, plan_id, "Launch", 10)
    assert classroom.save_version(ana, plan_id) == 1
    fixed_clock.advance(minutes=30)
    classroom.set_plan_text(ben, plan_id, "target", EVIL, None)
    classroom.set_segment(ben, launch, minutes=5, approach="station")
    assert classroom.save_version(ben, plan_id, "After the debrief") == 2
    first, second = classroom.versions(team.member(2), plan_id)
    assert (first.number, first.label, first.saved_by, first.saved_at) == (
        1,
        "Version 1",
        "Ana",
        START,
    )
    assert first.content == PlanContent(
        "Plan",
        "4.NF.3",
        {"target": "I can add fractions", "criteria": "", "groups": "", "materials": ""},
        (("Launch", 10, None),),
    )
    assert (second.number, second.label, second.saved_by) == (2, "After the debrief", "Ben")
    assert second.saved_at == START + dt.timedelta(minutes=30)
    assert second.content.sections["target"] == EVIL
    assert second.content.segments == (("Launch", 5, "station"),)
    # the current plan is its latest version's content
    assert classroom.get_plan(ana, plan_id).content() == second.content
    changes = rules.compare(first.content, second.content, {"station": "Station teaching"})
    assert [c.part for c in changes] == ["Learning target", "Tasks"]


def test_the_versions_kept_on_a_day_are_each_plans_latest_of_that_day(team, fixed_clock):
    ana = team.member(0)
    kept, other = classroom.create_plan(ana, "Kept today"), classroom.create_plan(ana, "Not")
    classroom.save_version(ana, kept, "morning")
    classroom.save_version(ana, kept, "afternoon")
    fixed_clock.advance(days=1)
    classroom.save_version(ana, other, "tomorrow")
    classroom.save_version(ana, kept, "tomorrow too")
    on_the_day = classroom.versions_saved_on(ana, START.date())
    assert [(title, v.label) for title, v in on_the_day] == [("Kept today", "afternoon")]
    next_day = classroom.versions_saved_on(ana, START.date() + dt.timedelta(days=1))
    assert sorted((title, v.label) for title, v in next_day) == [
        ("Kept today", "tomorrow too"),
        ("Not", "tomorrow"),
    ]
    assert classroom.versions_saved_on(ana, START.date() - dt.timedelta(days=1)) == []


@pytest.fixture
def far_east_server():
    """The kernel runs on a machine at UTC+14, where 15:00 UTC is already tomorrow."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available here")
    before = os.environ.get("TZ")
    os.environ["TZ"] = "LINT-14"  # POSIX: 14 hours east of UTC, needs no tz database
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_a_version_kept_today_is_found_on_the_stores_today_whatever_the_servers_zone(
    team, fixed_clock, far_east_server
):
    ana = team.member(0)
    plan_id = classroom.create_plan(ana, "Plan")
    classroom.save_version(ana, plan_id)
    today = team.store.clock.today()
    assert [title for title, _ in classroom.versions_saved_on(ana, today)] == ["Plan"]


def test_plans_and_their_versions_write_the_activity_record(team):
    ana = team.member(0)
    plan_id = classroom.create_plan(ana, "Adding fractions")
    classroom.set_plan_text(ana, plan_id, "target", "PLAN-TEXT-MARKER-77", None)
    classroom.save_version(ana, plan_id)
    entries = activity_of_kind(ana, "co-plan")
    assert [e.summary for e in entries] == [
        "Plan “Adding fractions”: version 1 kept",
        "Plan “Adding fractions” started",
    ]
    assert {e.link for e in entries} == {f"co-plan/{plan_id}"}
    assert {e.who for e in entries} == {"Ana"}
    assert all("MARKER" not in e.summary for e in activity.entries(ana))


# --- lesson study: stages ----------------------------------------------------------------


def test_a_lesson_study_moves_through_its_stages_stamping_the_lessons_times(team, fixed_clock):
    ana, ben = team.member(0), team.member(1)
    study_id = classroom.create_study(ana, "Fractions on a number line")
    study = classroom.get_study(ben, study_id)
    assert (study.stage, study.stage_name, study.teaching) == (rules.THEME, "Research theme", 1)
    assert study.case_students == () and study.lesson_started_at is None
    plan_id = classroom.create_plan(ana, "Research lesson")
    classroom.move(ana, study_id, rules.STUDY)
    classroom.move(ben, study_id, rules.PLAN)
    with pytest.raises(InvalidInput, match="Choose the research lesson's plan"):
        classroom.move(ana, study_id, rules.TEACH)
    assert classroom.get_study(ana, study_id).stage == rules.PLAN
    classroom.set_research_lesson(ana, study_id, plan_id)
    fixed_clock.advance(minutes=10)
    taught = classroom.move(ana, study_id, rules.TEACH)
    assert taught.lesson_on and taught.teaching == 1
    assert taught.lesson_started_at == START + dt.timedelta(minutes=10)
    assert taught.lesson_ended_at is None
    with pytest.raises(InvalidInput, match="being taught"):
        classroom.set_research_lesson(ana, study_id, None)
    fixed_clock.advance(minutes=50)
    debrief = classroom.move(ana, study_id, rules.DEBRIEF)
    assert not debrief.lesson_on
    assert debrief.lesson_started_at == START + dt.timedelta(minutes=10)
    assert debrief.lesson_ended_at == START + dt.timedelta(minutes=60)
    classroom.move(ana, study_id, rules.REVISE)
    fixed_clock.advance(days=7)
    again = classroom.move(ana, study_id, rules.TEACH_AGAIN)
    assert again.teaching == 2 and again.lesson_on
    assert again.lesson_started_at == START + dt.timedelta(days=7, minutes=60)
    assert again.lesson_ended_at is None
    fixed_clock.advance(minutes=45)
    second_debrief = classroom.move(ana, study_id, rules.DEBRIEF)
    assert second_debrief.lesson_ended_at == START + dt.timedelta(days=7, minutes=105)
    classroom.move(ana, study_id, rules.REVISE)
    with pytest.raises(InvalidInput, match="already taught a second time"):
        classroom.move(ana, study_id, rules.TEACH_AGAIN)
    classroom.move(ana, study_id, rules.REPORT)
    done = classroom.move(ana, study_id, rules.DONE)
    assert (done.stage, done.teaching) == (rules.DONE, 2)
    with pytest.raises(InvalidInput, match="it is done"):
        classroom.move(ana, study_id, rules.REPORT)
    assert classroom.get_study(ana, study_id).stage == rules.DONE


def test_a_move_the_cycle_does_not_allow_changes_nothing(team):
    ana = team.member(0)
    study_id = classroom.create_study(ana, "Study")
    recorded = len(activity.entries(ana))
    with pytest.raises(InvalidInput, match="“Research theme” cannot go to “Debrief”"):
        classroom.move(ana, study_id, rules.DEBRIEF)
    with pytest.raises(InvalidInput, match="no stage called"):
        classroom.move(ana, study_id, "nowhere")
    assert classroom.get_study(ana, study_id).stage == rules.THEME
    assert len(activity.entries(ana)) == recorded
    # staying where it is is no move and writes nothing
    assert classroom.move(ana, study_id, rules.THEME).stage == rules.THEME
    assert len(activity.entries(ana)) == recorded


def test_a_lesson_studys_texts_follow_the_shared_text_rule(team):
    ana, ben = team.member(0), team.member(1)
    study_id = classroom.create_study(ana, "Study")
    classroom.set_study_text(ana, study_id, "theme", EVIL, "")
    with pytest.raises(EditConflict) as conflict:
        classroom.set_study_text(ben, study_id, "theme", "Ben's theme", "")
    assert conflict.value.theirs == EVIL
    classroom.set_study_text(ben, study_id, "report", "What we learned", "")
    study = classroom.get_study(team.as_coach, study_id)
    assert (study.theme, study.report, study.study_notes) == (EVIL, "What we learned", "")
    with pytest.raises(InvalidInput, match="no “stage”"):
        classroom.set_study_text(ana, study_id, "stage", rules.DONE, None)


def test_the_teacher_of_the_research_lesson_is_on_the_roster(team):
    ana = team.member(0)
    study_id = classroom.create_study(ana, "Study")
    classroom.set_teacher(ana, study_id, team.people[1].id)
    assert classroom.get_study(ana, study_id).teacher == "Ben"
    dee = other_team(team)
    with pytest.raises(InvalidInput, match="roster"):
        classroom.set_teacher(ana, study_id, dee.member_id)
    classroom.set_teacher(ana, study_id, None)
    assert classroom.get_study(ana, study_id).teacher is None


def test_case_students_are_chosen_from_the_assessments_pseudonyms(team):
    ana = team.member(0)
    assessment_id, names = _assessment(ana)
    assert cycle_links.assessment_students(ana, assessment_id) == set(names.values())
    assert not {"Ana", "Ben", "Chen", "Diaz"} & cycle_links.assessment_students(ana, assessment_id)
    study_id = classroom.create_study(ana, "Study")
    chosen = [names["101"], names["103"]]
    classroom.set_case_students(ana, study_id, assessment_id, chosen)
    study = classroom.get_study(team.member(1), study_id)
    assert (study.assessment_id, study.case_students) == (assessment_id, tuple(chosen))
    with pytest.raises(InvalidInput, match="Ana Diaz is not among"):
        classroom.set_case_students(ana, study_id, assessment_id, ["Ana Diaz"])
    assert classroom.get_study(ana, study_id).case_students == tuple(chosen)


# --- observation notes -----------------------------------------------------------------


def test_notes_open_only_once_the_lesson_started(team):
    ana, ben = team.member(0), team.member(1)
    study_id = classroom.create_study(ana, "Study")
    plan_id = classroom.create_plan(ana, "Plan")
    classroom.set_research_lesson(ana, study_id, plan_id)
    for stage in (rules.THEME, rules.STUDY, rules.PLAN):
        classroom.move(ana, study_id, stage)
        with pytest.raises(InvalidInput, match="has not started yet"):
            classroom.add_note(ben, study_id, "Too early")
    assert classroom.notes(ana, study_id) == []
    classroom.move(ana, study_id, rules.TEACH)
    classroom.add_note(ben, study_id, "Now")
    assert [n.text for n in classroom.notes(ana, study_id)] == ["Now"]


def test_a_note_is_stamped_with_its_observer_and_time_and_tags(team, fixed_clock):
    ana, ben = team.member(0), team.member(1)
    assessment_id, names = _assessment(ana)
    study_id, _ = _taught(team)
    classroom.set_case_students(ana, study_id, assessment_id, [names["101"]])
    fixed_clock.advance(minutes=7)
    note_id = classroom.add_note(
        ben, study_id, EVIL, case_student=names["101"], criterion="Uses a model", segment="Launch"
    )
    [note] = classroom.notes(team.member(2), study_id)
    assert (note.id, note.text, note.observer, note.member_id) == (
        note_id,
        EVIL,
        "Ben",
        team.people[1].id,
    )
    assert note.at == START + dt.timedelta(minutes=7)
    assert (note.case_student, note.criterion, note.segment) == (
        names["101"],
        "Uses a model",
        "Launch",
    )
    assert (note.teaching, note.after_lesson, note.photo_ids) == (1, False, ())
    with pytest.raises(InvalidInput, match="1,000"):
        classroom.add_note(ben, study_id, "x" * 1001)
    with pytest.raises(InvalidInput, match="not one of this lesson study's case students"):
        classroom.add_note(ben, study_id, "Another", case_student=names["102"])
    assert len(classroom.notes(ana, study_id)) == 1


def test_a_note_added_after_the_lesson_ended_is_kept_and_marked(team):
    ana, ben = team.member(0), team.member(1)
    study_id, _ = _taught(team)
    during = classroom.add_note(ben, study_id, "During")
    classroom.move(ana, study_id, rules.DEBRIEF)
    after = classroom.add_note(ben, study_id, "Remembered afterwards")
    assert [(n.id, n.after_lesson) for n in classroom.notes(ana, study_id)] == [
        (during, False),
        (after, True),
    ]


def test_notes_of_the_second_teaching_are_kept_apart(team):
    ana, ben = team.member(0), team.member(1)
    study_id, _ = _taught(team)
    classroom.add_note(ben, study_id, "First teaching")
    for stage in (rules.DEBRIEF, rules.REVISE, rules.TEACH_AGAIN):
        classroom.move(ana, study_id, stage)
    classroom.add_note(ben, study_id, "Second teaching")
    assert [n.text for n in classroom.notes(ana, study_id, 1)] == ["First teaching"]
    assert [(n.text, n.teaching, n.after_lesson) for n in classroom.notes(ana, study_id, 2)] == [
        ("Second teaching", 2, False)
    ]
    assert len(classroom.notes(ana, study_id)) == 2


def test_a_case_student_taken_out_of_the_assessment_is_refused_plainly(team):
    ana, ben = team.member(0), team.member(1)
    assessment_id, names = _assessment(ana)
    study_id, _ = _taught(team)
    classroom.set_case_students(ana, study_id, assessment_id, [names["101"], names["102"]])
    classroom.add_note(ben, study_id, "About 102", case_student=names["102"])
    # the assessment's scores were uploaded again without student 102
    students = evidence_tables.assessment_students
    with team.store.engine.begin() as conn:
        conn.execute(
            students.delete().where(
                students.c.assessment_id == assessment_id, students.c.student_key == "102"
            )
        )
    assert names["102"] not in cycle_links.assessment_students(ana, assessment_id)
    before = all_rows(team.store)["observation_notes"]
    with pytest.raises(InvalidInput) as refused:
        classroom.add_note(ben, study_id, "About 102 again", case_student=names["102"])
    message = str(refused.value)
    assert f"“{names['102']}” is no longer among the students" in message
    assert "not saved" in message and "Error" not in message
    assert all_rows(team.store)["observation_notes"] == before
    # the others still take notes, and the note written earlier is kept
    classroom.add_note(ben, study_id, "About 101", case_student=names["101"])
    classroom.add_note(ben, study_id, "The class")
    assert [n.case_student for n in classroom.notes(ana, study_id)] == [
        names["102"],
        names["101"],
        None,
    ]


def test_notes_are_a_members_own_on_their_own_link(team):
    ana, ben = team.member(0), team.member(1)
    study_id, _ = _taught(team)
    note_id = classroom.add_note(ben, study_id, "Ben's note")
    coach_as_ben = team.as_coach.as_member(team.people[1].id)
    for scope in (team.as_coach, coach_as_ben, _team_link(team)):
        with pytest.raises(AccessDenied):
            classroom.add_note(scope, study_id, "Not an observer's")
        with pytest.raises(AccessDenied):
            classroom.edit_note(scope, note_id, "Changed")
        with pytest.raises(AccessDenied):
            classroom.delete_note(scope, note_id)
    with pytest.raises(AccessDenied, match="only your own"):
        classroom.edit_note(ana, note_id, "Ana's words")
    with pytest.raises(AccessDenied, match="only your own"):
        classroom.delete_note(ana, note_id)
    classroom.edit_note(ben, note_id, "Ben's note, finished")
    assert [n.text for n in classroom.notes(ana, study_id)] == ["Ben's note, finished"]
    classroom.delete_note(ben, note_id)
    assert classroom.notes(ana, study_id) == []


# --- photos -------------------------------------------------------------------------------


def test_a_photo_is_kept_as_a_plain_jpeg_and_seen_by_members_only(team):
    ana, ben = team.member(0), team.member(1)
    study_id, _ = _taught(team)
    note_id = classroom.add_note(ben, study_id, "Her work")
    png = classroom.add_photo(ben, note_id, _image("PNG"), "work.png")
    jpeg = classroom.add_photo(ben, note_id, _image("JPEG", (80, 60)), "work.jpg")
    [note] = classroom.notes(ana, study_id)
    assert note.photo_ids == (png, jpeg)
    shown = classroom.photo(team.member(2), png)
    assert (shown.media_type, shown.width, shown.height) == ("image/jpeg", 64, 48)
    assert shown.data[:2] == b"\xff\xd8"
    assert classroom.photo(ana, jpeg).width == 80
    coach_as_ana = team.as_coach.as_member(team.people[0].id)
    for scope in (team.as_coach, coach_as_ana, _team_link(team)):
        with pytest.raises(AccessDenied):
            classroom.photo(scope, png)
        with pytest.raises(AccessDenied):
            classroom.add_photo(scope, note_id, _image("PNG"))
    with pytest.raises(AccessDenied, match="only your own"):
        classroom.add_photo(ana, note_id, _image("PNG"))
    # never in the team's export
    exported = json.loads(lifecycle.export_team(ana))
    assert "observation_photos" not in exported["tables"]
    assert len(exported["tables"]["observation_notes"]) == 1


def test_a_file_that_is_not_a_picture_is_refused_and_the_note_stays(team):
    ana, ben = team.member(0), team.member(1)
    study_id, _ = _taught(team)
    note_id = classroom.add_note(ben, study_id, "Her work")
    for data in (b"%PDF-1.4 not a picture", b"", _image("PNG")[:60]):
        with pytest.raises(InvalidInput):
            classroom.add_photo(ben, note_id, data, "work.pdf")
    [note] = classroom.notes(ana, study_id)
    assert (note.text, note.photo_ids) == ("Her work", ())
    assert all_rows(team.store)["observation_photos"] == []


def test_a_note_holds_three_photos_and_a_deleted_note_takes_its_photos(team):
    ana, ben = team.member(0), team.member(1)
    study_id, _ = _taught(team)
    note_id = classroom.add_note(ben, study_id, "Her work")
    kept = [classroom.add_photo(ben, note_id, _image("PNG")) for _ in range(3)]
    with pytest.raises(InvalidInput, match="3 photos at most"):
        classroom.add_photo(ben, note_id, _image("PNG"))
    classroom.delete_note(ben, note_id)
    assert all_rows(team.store)["observation_photos"] == []
    with pytest.raises(NotFound):
        classroom.photo(ana, kept[0])


def test_deleting_a_lesson_study_removes_its_notes_and_photos_for_good(team):
    facilitated_by_ana(team)
    ana, ben = team.member(0), team.member(1)
    study_id, plan_id = _taught(team)
    keep_id, _ = _taught(team)
    note_id = classroom.add_note(ben, study_id, "STUDY-NOTE-MARKER-4242")
    photo_id = classroom.add_photo(ben, note_id, _image("JPEG"))
    other_note = classroom.add_note(ben, keep_id, "Another study's note")
    other_photo = classroom.add_photo(ben, other_note, _image("PNG"))
    with pytest.raises(AccessDenied):
        classroom.delete_study(ben, study_id)  # Ana facilitates
    classroom.delete_study(ana, study_id)
    with pytest.raises(NotFound):
        classroom.get_study(ana, study_id)
    with pytest.raises(NotFound):
        classroom.photo(ben, photo_id)
    rows = all_rows(team.store)
    assert [dict(r)["id"] for r in rows["lesson_studies"]] == [str(keep_id)]
    assert [dict(r)["id"] for r in rows["observation_notes"]] == [str(other_note)]
    assert [dict(r)["id"] for r in rows["observation_photos"]] == [str(other_photo)]
    for table, found in rows.items():
        assert not [r for r in found if any("STUDY-NOTE-MARKER" in v for _, v in r)], table
    # the plan was the team's, not the study's: it stays
    assert classroom.get_plan(ana, plan_id).title == "Research lesson"
    [deleted] = [e for e in activity_of_kind(ana, "lesson-study") if "deleted" in e.summary]
    assert deleted.summary == "Lesson study “Fractions on a number line” deleted"


# --- the debrief ------------------------------------------------------------------------


def _board(scope, run_id, key):
    prompt_id = {s.key: s.prompt_id for s in runs.get_run(scope, run_id).steps}[key]
    return live.board(scope, prompt_id).notes


def test_the_debrief_starts_with_the_notes_on_its_boards(team, fixed_clock):
    protocol = _debrief_protocol()
    ana, ben, chen = team.scopes
    assessment_id, names = _assessment(ana)
    study_id, _ = _taught(team)
    classroom.set_case_students(ana, study_id, assessment_id, [names["101"], names["103"]])
    with pytest.raises(InvalidInput, match="once the lesson was taught"):
        classroom.start_debrief(ana, study_id, protocol, {})
    classroom.add_note(ben, study_id, "Counts on", case_student=names["101"], segment="Launch")
    fixed_clock.advance(minutes=1)
    classroom.add_note(chen, study_id, "Draws strips", case_student=names["103"], segment="Task")
    fixed_clock.advance(minutes=1)
    classroom.add_note(ben, study_id, "Whole class quiet", segment="Task")
    fixed_clock.advance(minutes=1)
    classroom.add_note(chen, study_id, "Asks why", case_student=names["101"])
    classroom.move(ana, study_id, rules.DEBRIEF)
    classroom.add_note(ben, study_id, "Forgot one", case_student=names["103"])
    ids = [p.id for p in team.people]
    run_id = classroom.start_debrief(
        ana, study_id, protocol, {"facilitator": ids[0], "presenter": ids[1]}
    )
    assert classroom.get_study(chen, study_id).debrief_run_id == run_id
    by_student = _board(chen, run_id, "by-case-student")
    assert sorted((n.group, n.text, n.author) for n in by_student) == sorted(
        [
            (names["101"], "Counts on", "Ben"),
            (names["103"], "Draws strips", "Chen"),
            ("The class as a whole", "Whole class quiet", "Ben"),
            (names["101"], "Asks why", "Chen"),
            (names["103"], "Forgot one (added after the lesson)", "Ben"),
        ]
    )
    by_segment = _board(chen, run_id, "by-segment")
    assert sorted((n.group, n.text) for n in by_segment) == sorted(
        [
            ("Launch", "Counts on"),
            ("Task", "Draws strips"),
            ("Task", "Whole class quiet"),
            ("Not tied to a part of the lesson", "Asks why"),
            ("Not tied to a part of the lesson", "Forgot one (added after the lesson)"),
        ]
    )
    for key in ("what-we-learned", "revise"):
        assert _board(chen, run_id, key) == ()
    [started] = [e for e in activity_of_kind(ana, "lesson-study") if "debrief" in e.summary]
    assert started.link == f"run/{run_id}"
    assert "Counts on" not in started.summary


def test_the_debrief_after_teaching_again_holds_the_second_teachings_notes(team):
    protocol = _debrief_protocol()
    ana, ben = team.member(0), team.member(1)
    study_id, _ = _taught(team)
    classroom.add_note(ben, study_id, "First time")
    for stage in (rules.DEBRIEF, rules.REVISE, rules.TEACH_AGAIN):
        classroom.move(ana, study_id, stage)
    classroom.add_note(ben, study_id, "Second time")
    classroom.move(ana, study_id, rules.DEBRIEF)
    run_id = classroom.start_debrief(ana, study_id, protocol, {})
    assert [n.text for n in _board(ana, run_id, "by-case-student")] == ["Second time"]
    assert [n.text for n in _board(ana, run_id, "by-segment")] == ["Second time"]


def test_every_note_reaches_both_debrief_boards_when_there_are_many(team):
    protocol = _debrief_protocol()
    ana, ben = team.member(0), team.member(1)
    study_id, _ = _taught(team)
    for i in range(151):
        classroom.add_note(ben, study_id, f"Note {i}")
    classroom.move(ana, study_id, rules.DEBRIEF)
    run_id = classroom.start_debrief(ana, study_id, protocol, {})
    assert len(_board(ana, run_id, "by-case-student")) == 151
    assert len(_board(ana, run_id, "by-segment")) == 151


def test_a_team_with_anonymous_boards_debriefs_notes_without_their_observers(team):
    ana, ben = team.member(0), team.member(1)
    teams.set_anonymous_board(team.as_coach, True)
    study_id, _ = _taught(team)
    classroom.add_note(ben, study_id, "Counted the tick marks")
    classroom.move(ana, study_id, rules.DEBRIEF)
    run_id = classroom.start_debrief(ana, study_id, _debrief_protocol(), {})
    (note,) = _board(ana, run_id, "by-case-student")
    assert note.text == "Counted the tick marks" and note.author_id is None


def test_a_debrief_starts_once_per_teaching(team):
    ana = team.member(0)
    study_id, _ = _taught(team)
    classroom.move(ana, study_id, rules.DEBRIEF)
    classroom.start_debrief(ana, study_id, _debrief_protocol(), {})
    with pytest.raises(InvalidInput, match="already started"):
        classroom.start_debrief(ana, study_id, _debrief_protocol(), {})
    run = runs.live_run(ana)
    runs.control(ana, run.id, runner.finish)
    classroom.move(ana, study_id, rules.REVISE)
    classroom.move(ana, study_id, rules.TEACH_AGAIN)
    classroom.move(ana, study_id, rules.DEBRIEF)
    assert classroom.start_debrief(ana, study_id, _debrief_protocol(), {}) != run.id


def test_a_debrief_with_no_notes_starts_with_empty_boards(team):
    protocol = _debrief_protocol()
    ana = team.member(0)
    study_id, _ = _taught(team)
    classroom.move(ana, study_id, rules.DEBRIEF)
    run_id = classroom.start_debrief(ana, study_id, protocol, {})
    assert _board(ana, run_id, "by-case-student") == ()
    runs.control(ana, run_id, runner.finish)


# --- the activity record ------------------------------------------------------------------


def test_lesson_study_changes_write_the_activity_record_without_a_notes_words(team):
    ana, ben = team.member(0), team.member(1)
    study_id, _ = _taught(team)
    classroom.add_note(ben, study_id, "OBSERVATION-MARKER-9001")
    classroom.move(ana, study_id, rules.DEBRIEF)
    entries = activity_of_kind(ana, "lesson-study")
    assert [e.summary for e in reversed(entries)] == [
        "Lesson study “Fractions on a number line” started",
        "Lesson study “Fractions on a number line”: research lesson chosen",
        "Lesson study “Fractions on a number line”: Study",
        "Lesson study “Fractions on a number line”: Plan the research lesson",
        "Lesson study “Fractions on a number line”: Teach and observe",
        "Lesson study “Fractions on a number line”: Debrief (1 observation note)",
    ]
    assert {e.link for e in entries} == {f"lesson-study/{study_id}"}
    assert {e.who for e in entries} == {"Ana"}
    for entry in activity.entries(ana):
        assert "MARKER" not in entry.summary and "MARKER" not in (entry.link or "")
    # the note's words are in the notes table and nowhere else in the database
    for table, found in all_rows(team.store).items():
        holding = [r for r in found if any("OBSERVATION-MARKER" in v for _, v in r)]
        assert holding == [] or table == "observation_notes", table


# --- other teams --------------------------------------------------------------------------


def test_another_team_cannot_read_or_change_this_teams_plans(team):
    ana = team.member(0)
    plan_id = classroom.create_plan(ana, "Ours")
    classroom.set_plan_text(ana, plan_id, "target", "Our target", None)
    segment = classroom.add_segment(ana, plan_id, "Our task", 10)
    classroom.save_version(ana, plan_id)
    dee = other_team(team)
    with pytest.raises(NotFound):
        classroom.get_plan(dee, plan_id)
    assert classroom.plans(dee) == []
    assert classroom.versions(dee, plan_id) == []
    calls = [
        lambda: classroom.set_plan_text(dee, plan_id, "target", "Theirs", None),
        lambda: classroom.set_standard(dee, plan_id, "Theirs"),
        lambda: classroom.add_segment(dee, plan_id, "Theirs"),
        lambda: classroom.set_segment_task(dee, segment, "Theirs", None),
        lambda: classroom.set_segment(dee, segment, minutes=99),
        lambda: classroom.move_segment(dee, segment, 1),
        lambda: classroom.save_version(dee, plan_id),
    ]
    for call in calls:
        with pytest.raises((NotFound, AccessDenied)):
            call()
    classroom.delete_segment(dee, segment)  # finds nothing of Dee's team to take out
    plan = classroom.get_plan(ana, plan_id)
    assert plan.sections["target"] == "Our target" and plan.standard == ""
    assert [(s.task, s.minutes) for s in plan.segments] == [("Our task", 10)]
    assert len(classroom.versions(ana, plan_id)) == 1
    # nor can this team's lesson study take another team's plan
    theirs = classroom.create_plan(dee, "Theirs")
    study_id = classroom.create_study(ana, "Study")
    with pytest.raises(NotFound):
        classroom.set_research_lesson(ana, study_id, theirs)


def test_another_team_cannot_read_or_change_this_teams_lesson_study(team):
    ana, ben = team.member(0), team.member(1)
    assessment_id, names = _assessment(ana)
    study_id, _ = _taught(team)
    note_id = classroom.add_note(ben, study_id, "Ours")
    photo_id = classroom.add_photo(ben, note_id, _image("PNG"))
    dee = other_team(team)
    with pytest.raises(NotFound):
        classroom.get_study(dee, study_id)
    assert classroom.studies(dee) == []
    assert classroom.notes(dee, study_id) == []
    calls = [
        lambda: classroom.move(dee, study_id, rules.DEBRIEF),
        lambda: classroom.set_study_text(dee, study_id, "theme", "Theirs", None),
        lambda: classroom.set_teacher(dee, study_id, None),
        lambda: classroom.set_case_students(dee, study_id, None, []),
        lambda: classroom.set_research_lesson(dee, study_id, None),
        lambda: classroom.add_note(dee, study_id, "Theirs"),
        lambda: classroom.edit_note(dee, note_id, "Theirs"),
        lambda: classroom.delete_note(dee, note_id),
        lambda: classroom.add_photo(dee, note_id, _image("PNG")),
        lambda: classroom.photo(dee, photo_id),
        lambda: classroom.delete_study(dee, study_id),
        # nor use this team's assessment for its own study
        lambda: classroom.set_case_students(
            dee, classroom.create_study(dee, "Theirs"), assessment_id, [names["101"]]
        ),
    ]
    for call in calls:
        with pytest.raises((NotFound, AccessDenied)):
            call()
    study = classroom.get_study(ana, study_id)
    assert (study.stage, study.theme) == (rules.TEACH, "")
    [note] = classroom.notes(ana, study_id)
    assert (note.text, note.photo_ids) == ("Ours", (photo_id,))


def test_a_plan_and_a_lesson_study_belong_to_the_teams_cycle(team):
    from collab_widgets.goals import store as goals

    ana = team.member(0)
    cycle_id = goals.create_cycle(ana, "Fractions", dt.date(2026, 9, 1), dt.date(2026, 11, 30))
    plan_id = classroom.create_plan(ana, "Plan", cycle_id=cycle_id)
    study_id = classroom.create_study(ana, "Study", cycle_id=cycle_id)
    assert classroom.get_plan(ana, plan_id).cycle_id == cycle_id
    assert classroom.get_study(ana, study_id).cycle_id == cycle_id


def test_a_plan_or_lesson_study_cannot_be_tied_to_another_teams_cycle(team):
    from collab_widgets.goals import store as goals

    ours = goals.create_cycle(
        team.member(0), "Fractions", dt.date(2026, 9, 1), dt.date(2026, 11, 30)
    )
    dee = other_team(team)
    with pytest.raises((NotFound, AccessDenied)):
        classroom.create_plan(dee, "Theirs", cycle_id=ours)
    with pytest.raises((NotFound, AccessDenied)):
        classroom.create_study(dee, "Theirs", cycle_id=ours)
    assert classroom.plans(dee) == [] and classroom.studies(dee) == []


def test_a_team_moves_with_its_plans_and_lesson_studies_and_a_tampered_file_is_refused(team):
    ana = team.member(0)
    study_id, plan_id = _taught(team)
    classroom.save_version(ana, plan_id, "First draft")
    classroom.add_note(team.member(1), study_id, "Counted the tick marks")
    exported = lifecycle.export_team(team.as_coach)
    copy = lifecycle.import_team(team.coach, exported, name="Grade 4 Math (copy)")
    coach_copy = team.coach.open_team(teams.team_code(copy))
    assert [p.title for p in classroom.plans(coach_copy)] == ["Research lesson"]
    assert [s.stage for s in classroom.studies(coach_copy)] == [rules.TEACH]
    document = json.loads(exported)
    for table, field, value, problem in (
        ("co_plan_versions", "content", '{"segments": [["task", "ten", null]]}', "not a plan"),
        ("lesson_studies", "stage", "somewhere", "not a stage"),
        ("lesson_studies", "teaching", 7, "1 or 2"),
        ("lesson_studies", "case_students", '[{"name": "Ana"}]', "list of up to"),
    ):
        tampered = json.loads(exported)
        tampered["tables"][table][0][field] = value
        with pytest.raises(
            InvalidInput, match=f"Table {table}, row 1: field '{field}' .*{problem}"
        ):
            lifecycle.import_team(team.coach, json.dumps(tampered))
    assert document["tables"]["lesson_studies"][0]["stage"] == rules.TEACH
