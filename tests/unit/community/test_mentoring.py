"""Mentoring in the store: programmes, mentors and their clearance, mentees by pseudonym,
suggestions that honour the hard constraints and say why, confirmed matches (never with a
lapsed mentor, never twice, not even by two confirmations at once), close-outs, mentor
links, the principal kept to reading, and every change in the school's record."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest

from collab_widgets.community.store import mentoring, schools
from collab_widgets.community.store.mentoring import MentorRefused
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.students.store import classes
from tests.unit.community.conftest import BOTH_DATABASES, EIGHT
from tests.unit.families.conftest import LIMIT

TODAY = dt.date(2026, 10, 15)  # the fixed clock's
CLEARED = (dt.date(2026, 8, 1), dt.date(2027, 7, 31), "Sam Office")


def _programme(school, minutes: int = 60) -> int:
    return mentoring.add_programme(
        school, "Reading buddies", dt.date(2026, 9, 1), dt.date(2027, 6, 30), minutes
    )


def _mentor(
    school,
    programme_id,
    name,
    interests=("robotics",),
    times=("tue-pm",),
    clearance=CLEARED,
    languages=("en",),
):
    cleared_on, expires_on, verified_by = clearance
    return mentoring.add_mentor(
        school, programme_id, name, interests, times, languages, cleared_on, expires_on, verified_by
    )


def _mentees(school, programme_id, count=2, interests=("robotics",), times=("tue-pm",)):
    found = mentoring.students(school)
    return [
        mentoring.add_mentee(school, programme_id, student.id, interests, times, ["en"])
        for student in found[:count]
    ]


# --- mentees --------------------------------------------------------------------------------


@BOTH_DATABASES
def test_mentees_are_the_schools_students_by_the_teams_pseudonym_and_class(school, classroom):
    found = mentoring.students(school)
    roster = classes.roster(classroom.teacher, classroom.class_id)
    assert [(s.id, s.pseudonym, s.class_name) for s in found] == [
        (student.id, student.pseudonym, "Room 12") for student in roster
    ]
    programme_id = _programme(school)
    mentee_id = mentoring.add_mentee(school, programme_id, found[0].id, ["Robotics"], ["tue-pm"])
    (mentee,) = mentoring.mentees(school, programme_id)
    assert (mentee.id, mentee.pseudonym, mentee.class_name) == (
        mentee_id,
        roster[0].pseudonym,
        "Room 12",
    )
    shown = repr(mentoring.students(school)) + repr(mentoring.mentees(school, programme_id))
    words = set(re.findall(r"\w+", shown))
    for row in EIGHT:
        assert not set(row.name.split()) & words and row.key not in words
    with pytest.raises(InvalidInput, match="already a mentee"):
        mentoring.add_mentee(school, programme_id, found[0].id)


def test_a_student_of_another_school_cannot_be_a_mentee(school, classroom, team):
    other_school_id = schools.create_school(team.store, "Other school")
    code = schools.add_person(team.store, other_school_id, "coordinator", "Olu")
    other = team.store.open_school(code)
    programme_id = _programme(other)
    with pytest.raises(NotFound, match="not in one of this school's classes"):
        mentoring.add_mentee(other, programme_id, classroom.roster[0].id)
    assert mentoring.students(other) == []


# --- clearance ------------------------------------------------------------------------------


def test_a_clearance_that_expires_before_its_date_or_has_one_date_is_refused(school):
    programme_id = _programme(school)
    with pytest.raises(InvalidInput, match="expires .* before the check was done"):
        _mentor(school, programme_id, "Alex", clearance=(TODAY, TODAY - dt.timedelta(1), "Sam"))
    with pytest.raises(InvalidInput, match="Give both dates"):
        _mentor(school, programme_id, "Alex", clearance=(TODAY, None, "Sam"))
    with pytest.raises(InvalidInput, match="who verified"):
        _mentor(school, programme_id, "Alex", clearance=(TODAY, TODAY, " "))
    assert mentoring.mentors(school, programme_id) == []
    # no clearance yet is recorded as none (and never matched)
    mentor_id = _mentor(school, programme_id, "Alex", clearance=(None, None, ""))
    (mentor,) = mentoring.mentors(school, programme_id)
    assert mentor.id == mentor_id and not mentor.clearance.valid_on(TODAY)


@BOTH_DATABASES
def test_clearance_expiry_blocks_matching_and_is_flagged(school, classroom, fixed_clock):
    programme_id = _programme(school)
    alex = _mentor(
        school, programme_id, "Alex", clearance=(dt.date(2026, 1, 5), dt.date(2026, 11, 30), "Sam")
    )
    first, second = _mentees(school, programme_id)
    match_id = mentoring.confirm_match(school, programme_id, alex, first, "both like robotics")
    (match,) = mentoring.matches(school, programme_id)
    assert (match.id, match.flags) == (match_id, ())
    fixed_clock.advance(days=50)  # 4 December: the clearance lapsed on 30 November
    (match,) = mentoring.matches(school, programme_id)
    assert "clearance lapsed on 30 November 2026" in match.flags
    assert "no meeting logged for 7 weeks" in match.flags
    mentoring.close_match(school, match_id, "Alex moved away")
    suggested, left_out = mentoring.suggestions(school, programme_id)
    assert suggested == []
    assert any(u.kind == "mentor" and u.id == alex and "lapsed" in u.reason for u in left_out)
    with pytest.raises(InvalidInput, match="clearance lapsed on 30 November 2026"):
        mentoring.confirm_match(school, programme_id, alex, second, "")
    # a renewed clearance matches again
    mentoring.set_clearance(school, alex, dt.date(2026, 12, 1), dt.date(2027, 12, 1), "Sam")
    mentoring.confirm_match(school, programme_id, alex, second, "renewed")


def test_a_mentor_without_clearance_is_never_matched(school, classroom):
    programme_id = _programme(school)
    alex = _mentor(school, programme_id, "Alex", clearance=(None, None, ""))
    (first,) = _mentees(school, programme_id, 1)
    with pytest.raises(InvalidInput, match="No clearance is recorded"):
        mentoring.confirm_match(school, programme_id, alex, first, "")
    assert mentoring.matches(school, programme_id) == []


# --- suggestions ----------------------------------------------------------------------------


def test_suggestions_honour_the_hard_constraints_and_say_why(school, classroom):
    programme_id = _programme(school)
    alex = _mentor(school, programme_id, "Alex", ("robotics", "chess"), ("tue-pm",))
    bea = _mentor(school, programme_id, "Bea", ("painting",), ("sat-am",))  # no shared time
    lapsed = _mentor(
        school, programme_id, "Cy", clearance=(dt.date(2025, 1, 1), dt.date(2026, 1, 1), "Sam")
    )
    students = mentoring.students(school)
    robot = mentoring.add_mentee(
        school, programme_id, students[0].id, ["Robotics"], ["tue-pm"], ["en"]
    )
    other = mentoring.add_mentee(
        school, programme_id, students[1].id, ["music"], ["wed-pm"], ["en"]
    )
    suggested, left_out = mentoring.suggestions(school, programme_id)
    (pair,) = suggested
    assert (pair.mentor_id, pair.mentee_id) == (alex, robot)
    assert any("robotics" in reason.casefold() for reason in pair.reasons)
    assert any(reason.startswith("both free") for reason in pair.reasons)
    reasons = {(u.kind, u.id): u.reason for u in left_out}
    assert "lapsed" in reasons[("mentor", lapsed)]
    assert ("mentor", bea) in reasons and ("mentee", other) in reasons
    # those in an open match are taken out of the next suggestion
    mentoring.confirm_match(school, programme_id, alex, robot, "; ".join(pair.reasons))
    suggested, left_out = mentoring.suggestions(school, programme_id)
    assert suggested == []
    assert {(u.kind, u.id) for u in left_out} == {
        ("mentor", bea),
        ("mentor", lapsed),
        ("mentee", other),
    }


# --- confirming and closing -----------------------------------------------------------------


def test_a_confirmation_is_refused_for_anyone_already_in_an_open_match(school, classroom):
    programme_id = _programme(school)
    alex = _mentor(school, programme_id, "Alex")
    bea = _mentor(school, programme_id, "Bea")
    first, second = _mentees(school, programme_id)
    mentoring.confirm_match(school, programme_id, alex, first, "")
    with pytest.raises(InvalidInput, match="Alex is already matched"):
        mentoring.confirm_match(school, programme_id, alex, second, "")
    with pytest.raises(InvalidInput, match="mentee is already matched"):
        mentoring.confirm_match(school, programme_id, bea, first, "")
    with pytest.raises(NotFound):
        mentoring.confirm_match(school, programme_id, alex, 999_999, "")
    assert len(mentoring.matches(school, programme_id)) == 1


@BOTH_DATABASES
def test_two_confirmations_at_once_never_match_anyone_twice(school_place, classroom):
    school = school_place.coordinator
    programme_id = _programme(school)
    alex = _mentor(school, programme_id, "Alex")
    mentees = _mentees(school, programme_id, 6)
    scopes = [school_place.coordinator for _ in mentees]
    outcomes: list[str] = []
    start = threading.Barrier(len(mentees))

    def confirm(scope, mentee_id):
        start.wait()
        try:
            mentoring.confirm_match(scope, programme_id, alex, mentee_id, "")
            outcomes.append("matched")
        except InvalidInput as exc:
            outcomes.append(str(exc))

    threads = [
        threading.Thread(target=confirm, args=(scope, mentee))
        for scope, mentee in zip(scopes, mentees, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("matched") == 1
    assert all("Alex is already matched" in o for o in outcomes if o != "matched")
    assert len(mentoring.matches(school, programme_id)) == 1


def test_close_out_ends_the_match_and_frees_both(school, classroom):
    programme_id = _programme(school)
    alex = _mentor(school, programme_id, "Alex")
    first, second = _mentees(school, programme_id)
    match_id = mentoring.confirm_match(school, programme_id, alex, first, "both like robotics")
    mentoring.close_match(school, match_id, "A good year: reading went up.")
    (match,) = mentoring.matches(school, programme_id)
    assert (match.closed_on, match.closing_note, match.flags) == (
        TODAY,
        "A good year: reading went up.",
        (),
    )
    assert match.reason == "both like robotics" and match.mentor == "Alex"
    with pytest.raises(InvalidInput, match="already closed"):
        mentoring.close_match(school, match_id, "")
    with pytest.raises(NotFound):
        mentoring.close_match(school, 999_999, "")
    again = mentoring.confirm_match(school, programme_id, alex, second, "")
    assert [m.id for m in mentoring.matches(school, programme_id)] == [again, match_id]


# --- links ----------------------------------------------------------------------------------


def test_a_mentor_link_is_kept_hashed_and_a_new_one_ends_the_old(school, classroom):
    programme_id = _programme(school)
    alex = _mentor(school, programme_id, "Alex")
    store = school.store
    code = mentoring.issue_mentor_link(school, alex)
    assert mentoring.mentors(school, programme_id)[0].has_link
    with store.reading() as conn:
        stored = conn.exec_driver_sql("SELECT code_hash FROM mentors").scalar()
    assert stored != code and code not in stored
    assert mentoring.sign_in(store, code.lower(), "10.0.0.1", LIMIT).mentor_id == alex
    new = mentoring.issue_mentor_link(school, alex)
    with pytest.raises(MentorRefused, match="does not open a mentor page"):
        mentoring.sign_in(store, code, "10.0.0.1", LIMIT)
    session = mentoring.sign_in(store, new, "10.0.0.1", LIMIT)
    mentoring.revoke_mentor_link(school, alex)
    with pytest.raises(MentorRefused, match="changed or stopped"):
        mentoring.mentor_page(store, session)
    assert not mentoring.mentors(school, programme_id)[0].has_link


# --- who may change, and the record ---------------------------------------------------------


def test_the_principal_reads_but_every_write_is_refused(school, principal, classroom):
    programme_id = _programme(school)
    alex = _mentor(school, programme_id, "Alex")
    (first,) = _mentees(school, programme_id, 1)
    match_id = mentoring.confirm_match(school, programme_id, alex, first, "")
    student = mentoring.students(school)[1].id
    writes = [
        lambda: mentoring.add_programme(principal, "P", TODAY, TODAY, 30),
        lambda: mentoring.add_mentor(principal, programme_id, "Dee"),
        lambda: mentoring.set_clearance(principal, alex, None, None, ""),
        lambda: mentoring.add_mentee(principal, programme_id, student),
        lambda: mentoring.confirm_match(principal, programme_id, alex, first, ""),
        lambda: mentoring.close_match(principal, match_id, ""),
        lambda: mentoring.issue_mentor_link(principal, alex),
        lambda: mentoring.revoke_mentor_link(principal, alex),
    ]
    for write in writes:
        with pytest.raises(AccessDenied, match="only the coordinator"):
            write()
    assert [m.id for m in mentoring.matches(principal, programme_id)] == [match_id]
    assert len(mentoring.mentees(principal, programme_id)) == 1
    assert mentoring.programmes(principal)[0].name == "Reading buddies"


def test_every_change_is_in_the_schools_record_and_names_no_student(school, classroom):
    before = len(schools.entries(school))
    programme_id = _programme(school)
    alex = _mentor(school, programme_id, "Alex")
    (first,) = _mentees(school, programme_id, 1)
    match_id = mentoring.confirm_match(school, programme_id, alex, first, "")
    mentoring.set_clearance(school, alex, *CLEARED)
    code = mentoring.issue_mentor_link(school, alex)
    session = mentoring.sign_in(school.store, code, "10.0.0.1", LIMIT)
    mentoring.log_meeting(school.store, session, TODAY, 45, "Read a chapter", "", 3)
    mentoring.close_match(school, match_id, "")
    mentoring.revoke_mentor_link(school, alex)
    entries = schools.entries(school)[: len(schools.entries(school)) - before]
    assert len(entries) == 9
    assert all(kind == "mentoring" for _at, kind, _summary, _who in entries)
    text = repr(entries)
    for row in EIGHT:
        assert row.name.split()[0] not in text


@BOTH_DATABASES
def test_mentees_and_their_matches_go_with_their_class(school, classroom):
    programme_id = _programme(school)
    alex = _mentor(school, programme_id, "Alex")
    (first,) = _mentees(school, programme_id, 1)
    mentoring.confirm_match(school, programme_id, alex, first, "")
    classes.delete_class(classroom.teacher, classroom.class_id)
    assert mentoring.mentees(school, programme_id) == []
    assert mentoring.matches(school, programme_id) == []
    assert [m.id for m in mentoring.mentors(school, programme_id)] == [alex]


@BOTH_DATABASES
def test_the_school_view_shows_open_matches_only_from_five(school, principal, classroom):
    from collab_widgets.community.store import plan

    programme_id = _programme(school)
    mentees = _mentees(school, programme_id, count=5)
    for number, mentee_id in enumerate(mentees):
        mentor_id = _mentor(school, programme_id, f"Mentor {number}")
        mentoring.confirm_match(school, programme_id, mentor_id, mentee_id, "test")
        view = plan.school_view(principal)
        shown = (view.matches_active, view.matches_healthy, view.matches_flagged)
        # four matches are four students mentored: under the minimum, nothing shows
        assert shown == ((5, 5, 0) if number == 4 else (None, None, None))


def test_dates_and_words_from_code_are_checked_like_the_pages(school, classroom):
    """A store call may be handed anything: a day that is not a day is refused in words,
    and interests typed in one line are split at commas, not into letters."""
    for starts in (None, "2026-09-01", 20260901):
        with pytest.raises(InvalidInput, match="a day from the calendar"):
            mentoring.add_programme(school, "Buddies", starts, dt.date(2027, 6, 30), 60)
    programme_id = _programme(school)
    with pytest.raises(InvalidInput, match="a day from the calendar"):
        mentoring.add_mentor(
            school, programme_id, "Ana", (), (), (), "2026-08-01", dt.date(2027, 7, 31), "Sam"
        )
    mentor_id = mentoring.add_mentor(school, programme_id, "Ana", "robotics, chess")
    [mentor] = mentoring.mentors(school, programme_id)
    assert (mentor.id, mentor.interests) == (mentor_id, ("robotics", "chess"))
