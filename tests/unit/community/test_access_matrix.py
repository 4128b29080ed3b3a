"""Every kind of link against the community's store (docs/access-and-privacy.md, "Every kind
of link"): the coordinator changes and reads everything of the school; the principal reads
all of it (without a contact's reach) and every change is refused with nothing written;
another school's coordinator sees none of this school's rows and reaches none by its id;
a team code, a member's token, a coach code, a mentor code and a made-up code open no
school at all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from collab_widgets.community import report
from collab_widgets.community.api import MENTOR_LIMIT
from collab_widgets.community.store import mentoring, partners, plan, projects, schools
from collab_widgets.community.store.mentoring import MentorRefused
from collab_widgets.core.errors import AccessDenied, NotFound
from collab_widgets.students.store import classes
from tests.unit.community.conftest import make_classroom, make_school
from tests.unit.store_helpers import all_rows

TODAY = dt.date(2026, 10, 15)  # the fixed clock's
CLEARED = (dt.date(2026, 8, 1), dt.date(2027, 7, 31), "Sam Office")
PARTNER = "Riverside Library"
REACH = "REACH-7Q2Z kim@riverside.example"
COMMUNITY = "collaborating-with-community"
# what only this school's rows carry: none may reach another school's reads
OURS = (
    PARTNER,
    "Reading buddies",
    "Alex Mentor",
    "River clean-up",
    "A nurse's day",
    "Plan 2026–27",
    "Room 12",
    "Grade 4 Math",
    "LOG-NOTE-5M",
)
NO_SCHOOL = ("team code", "member token", "coach code", "mentor code", "made-up code")


@dataclass
class World:
    """A school with something of every kind, its links, and another school."""

    coordinator: object
    principal: object
    other: object
    codes: dict
    ids: dict
    room: object


@pytest.fixture
def world(sqlite_team) -> World:
    store = sqlite_team.store
    place = make_school(sqlite_team)
    room = make_classroom(sqlite_team)
    school = place.coordinator
    roster = room.roster
    ids = {}
    ids["partner"] = partners.add_partner(school, PARTNER, "nonprofit", ["mentors"], "")
    ids["contact"] = partners.add_contact(
        school, ids["partner"], "Kim Lee", "Volunteer lead", REACH
    )
    # ends within 30 days of today: a reminder
    ids["agreement"] = partners.add_agreement(
        school, ids["partner"], "Library visits", dt.date(2026, 9, 1), dt.date(2026, 11, 1)
    )
    ids["activity"] = partners.add_activity(
        school, "Science fair judges", dt.date(2026, 10, 1), COMMUNITY, 12, ids["partner"]
    )
    ids["programme"] = mentoring.add_programme(
        school,
        "Reading buddies",
        dt.date(2026, 9, 1),
        dt.date(2027, 6, 30),
        60,
        None,
        ids["partner"],
    )
    ids["mentor"], ids["second mentor"] = (
        mentoring.add_mentor(
            school, ids["programme"], name, ["robotics"], ["tue-pm"], ["en"], *CLEARED
        )
        for name in ("Alex Mentor", "Bo Mentor")
    )
    ids["mentee"], ids["second mentee"] = (
        mentoring.add_mentee(school, ids["programme"], student.id, ["robotics"], ["tue-pm"], ["en"])
        for student in roster[:2]
    )
    ids["match"] = mentoring.confirm_match(
        school, ids["programme"], ids["mentor"], ids["mentee"], "both like robotics"
    )
    mentor_code = mentoring.issue_mentor_link(school, ids["mentor"])
    session = mentoring.sign_in(store, mentor_code, "10.0.0.1", MENTOR_LIMIT)
    mentoring.log_meeting(store, session, TODAY, 45, "Read together", "LOG-NOTE-5M", 3)
    ids["project"] = projects.add_project(
        school,
        room.class_id,
        "River clean-up",
        ids["partner"],
        "Science 4.2",
        dt.date(2026, 9, 1),
        dt.date(2026, 12, 1),
    )
    ids["teams"] = projects.add_teams_from_grouping(school, ids["project"], room.grouping_id)
    projects.log_hours(school, ids["teams"][0], dt.date(2026, 10, 14), 2, "Litter")
    ids["garden"] = projects.add_project(
        school, room.class_id, "Garden", None, "", dt.date(2026, 9, 1), dt.date(2026, 12, 1)
    )
    ids["milestone"] = projects.add_milestone(
        school, ids["project"], "Plan agreed", dt.date(2026, 10, 20)
    )
    projects.add_reflection(school, ids["teams"][0], "We picked litter", "It matters", "More")
    ids["event"] = projects.add_event(
        school, "job_shadow", "A nurse's day", dt.date(2026, 10, 10), ids["partner"]
    )
    ids["placement"] = projects.place_student(school, ids["event"], room.class_id, roster[2].id, 6)
    ids["plan"] = plan.create_plan(
        school, "Plan 2026–27", dt.date(2026, 8, 1), dt.date(2027, 7, 31)
    )
    ids["goal"] = plan.add_goal(school, ids["plan"], "climate", "Families feel welcome")
    ids["plan activity"] = plan.add_activity(
        school,
        ids["goal"],
        "Family maths night",
        "learning-at-home",
        dt.date(2026, 10, 1),
        "Dana",
        40,
    )
    mentoring.mentees(school, ids["programme"])  # the team's pseudonym salt, made once

    other_id = schools.create_school(store, "Hillside School")
    other = store.open_school(schools.add_person(store, other_id, "coordinator", "Olu"))
    ids["their programme"] = mentoring.add_programme(
        other, "Hill mentors", dt.date(2026, 9, 1), dt.date(2027, 6, 30), 30
    )
    ids["their event"] = projects.add_event(other, "speaker", "Hill talk", dt.date(2026, 10, 2))
    codes = {
        "team code": sqlite_team.code,
        "member token": sqlite_team.people[0].token,
        "coach code": sqlite_team.coach_code,
        "mentor code": mentor_code,
        "made-up code": "ABCD-EFGH-JKMN",
    }
    return World(school, place.principal, other, codes, ids, room)


# --- every change, with whether it names one of the school's rows by its id ------------------

WRITES = {
    "add a partner": False,
    "change a partner": True,
    "add a contact": True,
    "add an agreement": True,
    "change an agreement": True,
    "record an activity": True,
    "change an activity": True,
    "start a programme": True,
    "add a mentor": True,
    "record a clearance": True,
    "add a mentee": True,
    "confirm a match": True,
    "make a mentor link": True,
    "close a match": True,
    "add a project": True,
    "teams from groups": True,
    "log hours": True,
    "add a milestone": True,
    "mark a milestone": True,
    "add a reflection": True,
    "rate the quality": True,
    "write the outcomes": True,
    "add a career event": True,
    "place a student": True,
    "change a placement": True,
    "start a plan": False,
    "change the plan": True,
    "add a goal": True,
    "plan an activity": True,
    "say it happened": True,
    "write the evaluation": True,
    "rename the school": False,
    "stop a mentor link": True,
    "remove a contact": True,
    "remove an agreement": True,
    "remove an activity": True,
    "remove a planned activity": True,
    "remove a goal": True,
    "delete the plan": True,
    "delete a partner": True,
}


def _write(name: str, scope, w: World):
    ids, room, day = w.ids, w.room, dt.date(2026, 10, 13)
    return {
        "add a partner": lambda: partners.add_partner(scope, "Hill Bakery", "business"),
        "change a partner": lambda: partners.update_partner(
            scope, ids["partner"], PARTNER, "nonprofit", ["mentors", "funding"], "Thursdays"
        ),
        "add a contact": lambda: partners.add_contact(scope, ids["partner"], "Lu", "Head", "x"),
        "add an agreement": lambda: partners.add_agreement(
            scope, ids["partner"], "Next year", dt.date(2026, 11, 2), dt.date(2027, 6, 30)
        ),
        "change an agreement": lambda: partners.update_agreement(
            scope, ids["agreement"], "Visits", dt.date(2026, 9, 1), dt.date(2026, 11, 1)
        ),
        "record an activity": lambda: partners.add_activity(
            scope, "Career fair", day, COMMUNITY, 30, ids["partner"]
        ),
        "change an activity": lambda: partners.update_activity(
            scope, ids["activity"], "Science fair", day, COMMUNITY, 14, ids["partner"]
        ),
        "start a programme": lambda: mentoring.add_programme(
            scope, "Math mentors", day, dt.date(2027, 6, 1), 30, None, ids["partner"]
        ),
        "add a mentor": lambda: mentoring.add_mentor(
            scope, ids["programme"], "Jo Mentor", ["art"], ["mon-pm"], ["en"], *CLEARED
        ),
        "record a clearance": lambda: mentoring.set_clearance(
            scope, ids["mentor"], dt.date(2026, 9, 1), dt.date(2027, 8, 31), "Sam Office"
        ),
        "add a mentee": lambda: mentoring.add_mentee(
            scope, ids["programme"], room.roster[3].id, ["art"], ["tue-pm"], ["en"]
        ),
        "confirm a match": lambda: mentoring.confirm_match(
            scope, ids["programme"], ids["second mentor"], ids["second mentee"], "robotics"
        ),
        "make a mentor link": lambda: mentoring.issue_mentor_link(scope, ids["second mentor"]),
        "close a match": lambda: mentoring.close_match(scope, ids["match"], "A good year"),
        "add a project": lambda: projects.add_project(
            scope, room.class_id, "Food drive", None, "", day, dt.date(2026, 12, 1)
        ),
        "teams from groups": lambda: projects.add_teams_from_grouping(
            scope, ids["garden"], room.grouping_id
        ),
        "log hours": lambda: projects.log_hours(scope, ids["teams"][1], day, 1.5, "Sorting"),
        "add a milestone": lambda: projects.add_milestone(
            scope, ids["project"], "Report", dt.date(2026, 11, 20)
        ),
        "mark a milestone": lambda: projects.mark_milestone(scope, ids["milestone"], True),
        "add a reflection": lambda: projects.add_reflection(
            scope, ids["teams"][1], "What", "So what", "Now what"
        ),
        "rate the quality": lambda: projects.rate_quality(scope, ids["project"], {"reflection": 3}),
        "write the outcomes": lambda: projects.set_outcomes(scope, ids["project"], "Clean banks"),
        "add a career event": lambda: projects.add_event(
            scope, "speaker", "An engineer", day, ids["partner"]
        ),
        "place a student": lambda: projects.place_student(
            scope, ids["event"], room.class_id, room.roster[4].id, 3
        ),
        "change a placement": lambda: projects.set_placement(
            scope, ids["placement"], 8, "Liked it"
        ),
        "start a plan": lambda: plan.create_plan(
            scope, "Plan 2027–28", dt.date(2027, 8, 1), dt.date(2028, 7, 31)
        ),
        "change the plan": lambda: plan.update_plan(
            scope, ids["plan"], "Plan 2026–27", dt.date(2026, 8, 1), dt.date(2027, 7, 31)
        ),
        "add a goal": lambda: plan.add_goal(scope, ids["plan"], "academic", "Reading grows"),
        "plan an activity": lambda: plan.add_activity(
            scope, ids["goal"], "Open day", "volunteering", day, "Dana", 20
        ),
        "say it happened": lambda: plan.set_outcome(scope, ids["plan activity"], True, 35),
        "write the evaluation": lambda: plan.set_evaluation(scope, ids["plan"], "A good year"),
        "rename the school": lambda: schools.rename(scope, "Riverside Elementary"),
        "stop a mentor link": lambda: mentoring.revoke_mentor_link(scope, ids["mentor"]),
        "remove a contact": lambda: partners.remove_contact(scope, ids["contact"]),
        "remove an agreement": lambda: partners.remove_agreement(scope, ids["agreement"]),
        "remove an activity": lambda: partners.delete_activity(scope, ids["activity"]),
        "remove a planned activity": lambda: plan.remove_activity(scope, ids["plan activity"]),
        "remove a goal": lambda: plan.remove_goal(scope, ids["goal"]),
        "delete the plan": lambda: plan.delete_plan(scope, ids["plan"]),
        "delete a partner": lambda: partners.delete_partner(scope, ids["partner"]),
    }[name]


# --- every read, with whether it names one of the school's rows by its id --------------------

READS = {
    "partners": False,
    "a partner": True,
    "partner names": False,
    "agreements": False,
    "reminders": False,
    "activities": False,
    "programmes": False,
    "a programme": True,
    "mentors": True,
    "mentees": True,
    "students": False,
    "suggestions": True,
    "matches": True,
    "projects": False,
    "a project": True,
    "classes": False,
    "a class's students": True,
    "a class's groups": True,
    "hours entries": True,
    "career events": False,
    "placements": True,
    "hours summary": False,
    "plans": False,
    "a plan": True,
    "the current plan": False,
    "PLC goals": False,
    "coverage": True,
    "family feedback": True,
    "school view": False,
    "school view of a plan": True,
    "the report": True,
    "the record": False,
    "teams": False,
}


def _read(name: str, scope, w: World):
    ids = w.ids
    return {
        "partners": lambda: partners.partners(scope),
        "a partner": lambda: partners.partner(scope, ids["partner"]),
        "partner names": lambda: partners.partner_names(scope),
        "agreements": lambda: partners.agreements(scope),
        "reminders": lambda: partners.reminders(scope),
        "activities": lambda: partners.activities(scope),
        "programmes": lambda: mentoring.programmes(scope),
        "a programme": lambda: mentoring.programme(scope, ids["programme"]),
        "mentors": lambda: mentoring.mentors(scope, ids["programme"]),
        "mentees": lambda: mentoring.mentees(scope, ids["programme"]),
        "students": lambda: mentoring.students(scope),
        "suggestions": lambda: mentoring.suggestions(scope, ids["programme"]),
        "matches": lambda: mentoring.matches(scope, ids["programme"]),
        "projects": lambda: projects.projects(scope),
        "a project": lambda: projects.project(scope, ids["project"]),
        "classes": lambda: projects.school_classes(scope),
        "a class's students": lambda: projects.class_students(scope, w.room.class_id),
        "a class's groups": lambda: projects.class_groupings(scope, w.room.class_id),
        "hours entries": lambda: projects.hours_entries(scope, ids["teams"][0]),
        "career events": lambda: projects.events(scope),
        "placements": lambda: projects.placements(scope, ids["event"]),
        "hours summary": lambda: projects.hours_summary(scope),
        "plans": lambda: plan.plans(scope),
        "a plan": lambda: plan.plan(scope, ids["plan"]),
        "the current plan": lambda: plan.current_plan(scope),
        "PLC goals": lambda: plan.team_goals(scope),
        "coverage": lambda: plan.coverage(scope, ids["plan"]),
        "family feedback": lambda: plan.year_end_feedback(scope, ids["plan"]),
        "school view": lambda: plan.school_view(scope),
        "school view of a plan": lambda: plan.school_view(scope, ids["plan"]),
        "the report": lambda: report.plan_report(scope, ids["plan"]),
        "the record": lambda: schools.entries(scope),
        "teams": lambda: schools.teams(scope),
    }[name]


def _names(w: World) -> list[str]:
    """Every way the class names its students."""
    roster = classes.roster(w.room.teacher, w.room.class_id)
    return [student.name for student in roster] + [student.display_name for student in roster]


def _our_reads(w: World) -> dict[str, str]:
    return {name: repr(_read(name, w.coordinator, w)()) for name in READS}


# --- the coordinator ---------------------------------------------------------------------------


def test_the_coordinator_may_change_everything(world):
    """Every change goes through, in the order of :data:`WRITES` (removals last), and each
    is in the school's activity record."""
    before = len(schools.entries(world.coordinator, limit=1000))
    for name in WRITES:
        _write(name, world.coordinator, world)()
    assert len(schools.entries(world.coordinator, limit=1000)) == before + len(WRITES)


def test_the_coordinator_reads_everything_and_no_student_by_name(world):
    names = _names(world)
    for name in READS:
        shown = repr(_read(name, world.coordinator, world)())
        assert not [n for n in names if n in shown], name
        assert (REACH in shown) == (name in ("partners", "a partner")), name


# --- the principal -----------------------------------------------------------------------------


def test_the_principal_changes_nothing(world):
    """Every change is refused with the same plain message, and no row anywhere moves."""
    before = all_rows(world.coordinator.store)
    for action in WRITES:
        with pytest.raises(AccessDenied, match="only the coordinator's link changes them"):
            _write(action, world.principal, world)()
    assert all_rows(world.coordinator.store) == before


def test_the_principal_reads_all_the_coordinator_reads_but_a_contacts_reach(world):
    """The same answer for every read, except how to reach a partner's contact, which is
    the coordinator's alone."""
    ours = _our_reads(world)
    for name in READS:
        shown = repr(_read(name, world.principal, world)())
        assert REACH not in shown, name
        assert shown == ours[name].replace(repr(REACH), "''"), name


# --- another school's coordinator --------------------------------------------------------------


def test_another_schools_coordinator_reaches_none_of_this_schools_rows_by_id(world):
    """Every change naming one of this school's rows is refused, and nothing is written;
    what it adds of its own stays in its own school."""
    before = all_rows(world.coordinator.store)
    ours = _our_reads(world)
    for action, by_id in WRITES.items():
        if by_id:
            with pytest.raises(NotFound):
                _write(action, world.other, world)()
    assert all_rows(world.coordinator.store) == before
    for action, by_id in WRITES.items():
        if not by_id:
            _write(action, world.other, world)()
    assert _our_reads(world) == ours
    assert world.coordinator.school_name() == "Our school"


def test_another_schools_coordinator_cannot_bring_this_schools_students_into_its_records(world):
    other, ids, room = world.other, world.ids, world.room
    before = all_rows(other.store)
    with pytest.raises(NotFound):
        mentoring.add_mentee(other, ids["their programme"], room.roster[5].id, [], ["tue-pm"])
    with pytest.raises(NotFound):
        projects.place_student(other, ids["their event"], room.class_id, room.roster[5].id, 2)
    assert all_rows(other.store) == before


def test_another_schools_coordinator_reads_none_of_this_school(world):
    """A read by one of this school's ids is refused; every list holds nothing of this
    school, and the numbers count none of it."""
    for name, by_id in READS.items():
        read = _read(name, world.other, world)
        if by_id:
            with pytest.raises(NotFound):
                read()
            continue
        shown = repr(read())
        assert not [mark for mark in OURS if mark in shown], name
    view = plan.school_view(world.other)
    assert (view.partners_active, view.matches_active, view.service_hours, view.career_hours) == (
        0,
        None,  # no match: under the minimum, as any count of students
        0.0,
        0.0,
    )
    assert projects.hours_summary(world.other) == projects.HoursSummary(0.0, 0.0, 0, 0)
    assert mentoring.students(world.other) == [] and projects.school_classes(world.other) == []


# --- every other code --------------------------------------------------------------------------


def test_each_other_code_opens_what_it_is_for(world):
    """The codes below are real: each opens its own page (so their refusal next is the
    school's, not a typo's)."""
    store, codes = world.coordinator.store, world.codes
    assert store.open_team(codes["team code"]).team_id
    assert store.open_team(codes["team code"], codes["member token"]).team_id
    assert store.open_coach(codes["coach code"])
    assert mentoring.sign_in(store, codes["mentor code"], "10.0.0.2", MENTOR_LIMIT).mentor_id


def test_no_other_code_opens_a_school(world):
    """A team code, a member's token, a coach code, a mentor code and a made-up code:
    :meth:`Store.open_school` refuses each, so no community call can even be made."""
    before = all_rows(world.coordinator.store)
    for kind in NO_SCHOOL:
        with pytest.raises(AccessDenied, match="school link is not known"):
            world.coordinator.store.open_school(world.codes[kind])
    assert all_rows(world.coordinator.store) == before


def test_a_school_link_opens_no_team_no_coach_page_and_no_mentor_page(world, sqlite_team):
    store = world.coordinator.store
    code = make_school(sqlite_team).coordinator_code
    for open_other in (store.open_team, store.open_coach, store.identify):
        with pytest.raises(AccessDenied):
            open_other(code)
    with pytest.raises(MentorRefused):
        mentoring.sign_in(store, code, "10.0.0.3", MENTOR_LIMIT)
