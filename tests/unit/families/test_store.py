"""The families' store: a class's families are its teacher's; a guardian's link opens only
their own family's page, stops at once when rotated, revoked or blocked, and ends with the
class's year; goals are checked and never overwrite another guardian's newer goal;
conference times are never given twice; feedback is anonymous and shown past a minimum;
everything goes with the class."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from collab_widgets.core.errors import AccessDenied, EditConflict
from collab_widgets.families import tables as f
from collab_widgets.families.library import load_feedback_survey
from collab_widgets.families.rules import FamilyError, FamilyRefused, GoalDraft
from collab_widgets.families.store import class_meetings, conferences, family_workshops, guardians
from collab_widgets.families.store import family as family_page
from collab_widgets.students.store import classes
from tests.unit.families.conftest import LIMIT, MEETING_DAY, make_classroom
from tests.unit.store_helpers import activity_of_kind

GOAL = GoalDraft("Read together for 15 minutes", "4", "80", "")


def test_a_link_opens_its_own_familys_page_only(classroom):
    session = classroom.sign_in(0)
    assert session.family_id == classroom.family_ids[0]
    page = family_page.page(classroom.team.store, session)
    assert page.child == "Maya R." and page.class_name == "Room 12" and page.teacher == "Ana"
    meeting = page.meetings[0]
    assert meeting.child_percent == 35.0 and meeting.child_bin == 1
    assert [b.count for b in meeting.bins] == [0, 1, 1, 1, 2]  # 100 is in the top bar


def test_wrong_rotated_revoked_and_blocked_links_open_nothing(classroom):
    store, ana = classroom.team.store, classroom.teacher
    with pytest.raises(FamilyRefused, match="does not open a family page"):
        family_page.sign_in(store, "WRONGCODE234", "10.0.0.9", LIMIT)
    first = classroom.family_ids[0]
    session = classroom.sign_in(0)
    new_code = guardians.issue_link(ana, classroom.guardians[first])
    with pytest.raises(FamilyRefused, match="changed or stopped"):
        family_page.page(store, session)
    with pytest.raises(FamilyRefused):
        family_page.sign_in(store, classroom.links[first], "10.0.0.1", LIMIT)
    assert family_page.sign_in(store, new_code, "10.0.0.1", LIMIT).family_id == first
    guardians.revoke_link(ana, classroom.guardians[first])
    with pytest.raises(FamilyRefused):
        family_page.sign_in(store, new_code, "10.0.0.1", LIMIT)
    second = classroom.family_ids[1]
    guardians.set_blocked(ana, classroom.guardians[second], True)
    with pytest.raises(FamilyRefused):
        classroom.sign_in(1)
    with pytest.raises(AccessDenied, match="blocked"):
        guardians.issue_link(ana, classroom.guardians[second])
    assert not guardians.families(ana, classroom.class_id)[1].guardians[0].has_link


def test_another_classs_link_opens_only_that_class(sqlite_team):
    one = make_classroom(sqlite_team)
    ben = sqlite_team.member(1)
    other = classes.create_class(ben, "Room 14")
    classes.add_students(ben, other, [classes.rules.StudentRow("X1", "Zoe Quinn")])
    guardians.open_families(ben, other)
    fam = guardians.families(ben, other)[0]
    code = guardians.issue_link(ben, guardians.add_guardian(ben, fam.id, "Mr. Quinn"))
    session = family_page.sign_in(sqlite_team.store, code, "10.0.0.1", LIMIT)
    assert session.class_id == other
    page = family_page.page(sqlite_team.store, session)
    assert page.child == "Zoe Q." and page.meetings == ()
    with pytest.raises(FamilyError, match="no longer planned"):
        family_page.save_goal(sqlite_team.store, session, one.meeting_id, GOAL, None)


def test_a_link_ends_with_the_classs_year(classroom):
    store = classroom.team.store
    classes.set_retention(classroom.teacher, classroom.class_id, dt.date(2026, 10, 16))
    classroom.sign_in(0)
    store.clock.advance(days=2)
    with pytest.raises(FamilyRefused, match="year on the workbook is over"):
        classroom.sign_in(0)


def test_only_the_teacher_changes_families_and_reads_contacts(classroom):
    ana, ben = classroom.teacher, classroom.team.member(1)
    first = classroom.family_ids[0]
    guardians.set_contact(ana, first, "555-0100, evenings", "")
    assert guardians.families(ana, classroom.class_id)[0].contact == "555-0100, evenings"
    assert guardians.families(ben, classroom.class_id)[0].contact == ""
    assert guardians.families(classroom.team.as_coach, classroom.class_id)[0].contact == ""
    for change in (
        lambda: guardians.set_contact(ben, first, "x", None),
        lambda: guardians.add_guardian(ben, first, "Someone"),
        lambda: guardians.issue_link(ben, classroom.guardians[first]),
        lambda: guardians.set_blocked(ben, classroom.guardians[first], True),
    ):
        with pytest.raises(AccessDenied):
            change()
    with pytest.raises(EditConflict):
        guardians.set_contact(ana, first, "mine", "an older text")


def test_a_goal_is_checked_and_saved(classroom):
    store = classroom.team.store
    session = classroom.sign_in(0)
    saved, problems = family_page.save_goal(
        store, session, classroom.meeting_id, GoalDraft("Read", "four", "30", "2020-01-01"), None
    )
    assert saved is None
    assert {p.field for p in problems} == {"practice", "times_per_week", "target", "by_date"}
    saved, problems = family_page.save_goal(store, session, classroom.meeting_id, GOAL, None)
    assert problems == [] and saved.target == 80 and saved.times_per_week == 4
    assert saved.by_date == MEETING_DAY + dt.timedelta(days=60)
    goals = class_meetings.goals(classroom.teacher, classroom.class_id)
    assert [(g.family_id, p.status) for g, p in goals] == [(classroom.family_ids[0], "waiting")]


def test_a_second_guardian_never_overwrites_a_newer_goal_unseen(classroom):
    store, ana = classroom.team.store, classroom.teacher
    first = classroom.family_ids[0]
    other = guardians.add_guardian(ana, first, "Parent 1b")
    mum = classroom.sign_in(0)
    dad = family_page.sign_in(store, guardians.issue_link(ana, other), "10.0.0.2", LIMIT)
    family_page.save_goal(store, mum, classroom.meeting_id, GOAL, None)
    with pytest.raises(FamilyError, match="changed this goal a moment ago"):
        family_page.save_goal(store, dad, classroom.meeting_id, GOAL, None)
    saved, _ = family_page.save_goal(
        store, dad, classroom.meeting_id, GoalDraft("Read together every night", "7", "85"), 1
    )
    assert saved.version == 2 and saved.times_per_week == 7


def test_progress_is_read_at_the_next_meeting(classroom):
    store, ana = classroom.team.store, classroom.teacher
    session = classroom.sign_in(0)
    family_page.save_goal(store, session, classroom.meeting_id, GOAL, None)
    later = [80.0, 60.0, 70.0, 95.0, 100.0, None]
    from tests.unit.families.conftest import prepare

    prepare(ana, classroom.class_id, classroom.roster, later, "Second night", dt.date(2026, 12, 20))
    ((goal, progress),) = class_meetings.goals(ana, classroom.class_id)
    assert (progress.status, progress.start, progress.latest) == ("reached", 35.0, 80.0)
    counts = class_meetings.participation(classroom.team.member(1), classroom.class_id)
    assert counts.goals == 1 and counts.goals_reached == 1 and counts.meetings == 2


def test_two_families_choosing_one_time_at_once_never_share_it(any_classroom):
    store, ana = any_classroom.team.store, any_classroom.teacher
    conferences.add_slots(ana, any_classroom.class_id, "individual", MEETING_DAY, "15:00", 20, 1)
    (slot,) = conferences.slots(ana, any_classroom.class_id)
    sessions = [any_classroom.sign_in(i, f"10.0.0.{i}") for i in range(6)]
    outcomes: list[str] = []
    start = threading.Barrier(6)

    def choose(session):
        start.wait()
        try:
            family_page.choose_slot(store, session, slot.id)
            outcomes.append("booked")
        except FamilyError as exc:
            outcomes.append(exc.message)

    threads = [threading.Thread(target=choose, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1
    assert all("chose that time a moment ago" in o for o in outcomes if o != "booked")
    booked = conferences.slots(ana, any_classroom.class_id)[0].family_id
    assert booked in any_classroom.family_ids


def test_choosing_a_new_time_gives_up_the_old_one(classroom):
    store, ana = classroom.team.store, classroom.teacher
    conferences.add_slots(ana, classroom.class_id, "individual", MEETING_DAY, "15:00", 20, 3)
    first, second, _ = conferences.slots(ana, classroom.class_id)
    session = classroom.sign_in(0)
    family_page.choose_slot(store, session, first.id)
    family_page.choose_slot(store, session, second.id)
    assert [s.family_id for s in conferences.slots(ana, classroom.class_id)] == [
        None,
        classroom.family_ids[0],
        None,
    ]
    page = family_page.page(store, classroom.sign_in(1))
    assert [s["id"] for s in page.slots] == [
        first.id,
        conferences.slots(ana, classroom.class_id)[2].id,
    ]


def test_conference_notes_and_agreements_are_the_teams(classroom):
    store, ana, ben = classroom.team.store, classroom.teacher, classroom.team.member(1)
    conferences.add_slots(ana, classroom.class_id, "student-led", MEETING_DAY, "15:00", 20, 1)
    (slot,) = conferences.slots(ana, classroom.class_id)
    conferences.assign(ana, slot.id, classroom.family_ids[2])
    conferences.set_notes(ana, slot.id, "Lena reads to her brother.", "")
    conferences.add_agreement(ana, slot.id, "Send home the reading log", "teacher")
    assert conferences.slots(ben, classroom.class_id)[0].notes == "Lena reads to her brother."
    assert conferences.slots(classroom.team.as_coach, classroom.class_id)[0].notes == ""
    assert conferences.agreements(classroom.team.as_coach, classroom.class_id) == []
    page = family_page.page(store, classroom.sign_in(2))
    assert page.agreements == (
        {"text": "Send home the reading log", "owner": "teacher", "done": False},
    )
    assert family_page.page(store, classroom.sign_in(3)).agreements == ()


def test_feedback_is_anonymous_and_shown_past_its_minimum(classroom):
    store, ana = classroom.team.store, classroom.teacher
    survey = load_feedback_survey()
    round_id = family_workshops.open_round(ana, classroom.class_id, "After the first meeting")
    every = {q.id: 4 for q in survey.questions}
    for index in range(survey.min_respondents - 1):
        family_page.answer_feedback(store, classroom.sign_in(index), round_id, every, survey)
    (summary,) = family_workshops.feedback(ana, classroom.class_id)
    assert summary.answered == survey.min_respondents - 1 and summary.means == {}
    with pytest.raises(FamilyError, match="already answered"):
        family_page.answer_feedback(store, classroom.sign_in(0), round_id, every, survey)
    with pytest.raises(FamilyError, match="Choose an answer"):
        family_page.answer_feedback(store, classroom.sign_in(5), round_id, {}, survey)
    family_page.answer_feedback(
        store, classroom.sign_in(5), round_id, {q.id: 2 for q in survey.questions}, survey
    )
    (summary,) = family_workshops.feedback(ana, classroom.class_id)
    assert summary.answered == survey.min_respondents
    first = survey.questions[0].id
    assert summary.means[first] == pytest.approx((4 * (survey.min_respondents - 1) + 2) / 3)
    with store.reading() as conn:
        columns = set(conn.execute(sa.select(f.feedback_counts)).keys())
    # counts only: no family, no time, no answer of its own
    assert columns == {"id", "team_id", "round_id", "question", "level", "families"}


def test_workshop_sign_ups_and_attendance(classroom):
    store, ana = classroom.team.store, classroom.teacher
    workshop_id = family_workshops.add_workshop(
        ana,
        classroom.class_id,
        {"en": "Reading at home", "es": ""},
        MEETING_DAY,
        "17:30",
        "Library",
        "parenting",
    )
    family_page.sign_up(store, classroom.sign_in(0), workshop_id, True)
    family_workshops.set_attended(ana, workshop_id, classroom.family_ids[1], True)
    (workshop,) = family_workshops.workshops(ana, classroom.class_id)
    assert workshop.signed_up == {classroom.family_ids[0]}
    assert workshop.attended == {classroom.family_ids[1]}
    assert workshop.title == {"en": "Reading at home"}
    counts = class_meetings.participation(classroom.team.as_coach, classroom.class_id)
    assert counts.workshop_attendance == 1 and counts.involvement["parenting"] == 1


def test_deleting_the_class_deletes_every_family_row_in_one_recorded_action(any_classroom):
    store, ana = any_classroom.team.store, any_classroom.teacher
    session = any_classroom.sign_in(0)
    family_page.save_goal(store, session, any_classroom.meeting_id, GOAL, None)
    conferences.add_slots(ana, any_classroom.class_id, "individual", MEETING_DAY, "15:00", 20, 2)
    slot = conferences.slots(ana, any_classroom.class_id)[0]
    family_page.choose_slot(store, session, slot.id)
    conferences.set_notes(ana, slot.id, "Notes", "")
    conferences.add_agreement(ana, slot.id, "Read nightly", "family")
    round_id = family_workshops.open_round(ana, any_classroom.class_id, "Autumn")
    survey = load_feedback_survey()
    family_page.answer_feedback(
        store, session, round_id, {q.id: 3 for q in survey.questions}, survey
    )
    before = len(activity_of_kind(ana, "class"))
    classes.delete_class(ana, any_classroom.class_id)
    with store.reading() as conn:
        for table in f.FAMILY_TABLES:
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0, table
    assert len(activity_of_kind(ana, "class")) == before + 1
    with pytest.raises(FamilyRefused):
        any_classroom.sign_in(1)


def test_taking_a_student_off_takes_their_family(any_classroom):
    ana = any_classroom.teacher
    classes.remove_student(ana, any_classroom.class_id, any_classroom.roster[0].id)
    assert len(guardians.families(ana, any_classroom.class_id)) == 5
    with pytest.raises(FamilyRefused):
        any_classroom.sign_in(0)


def test_when_the_classs_time_ends_its_families_go_with_it(classroom):
    store, ana = classroom.team.store, classroom.teacher
    classes.set_retention(ana, classroom.class_id, dt.date(2026, 10, 16))
    store.clock.advance(days=1 + classes.rules.DELETE_AFTER.days + 1)
    assert classes.delete_expired(store) == 1
    with store.reading() as conn:
        for table in f.FAMILY_TABLES:
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0, table
