import datetime as dt

import pytest
import sqlalchemy as sa

from collab_widgets.community import library
from collab_widgets.community import tables as c
from collab_widgets.community.store import projects, schools
from collab_widgets.core.db import tables as t
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.students.store import classes, groupings

from .conftest import BOTH_DATABASES, EIGHT, make_classroom

TODAY = dt.date(2026, 10, 15)  # the fixed clock's
SEPT_1, DEC_18 = dt.date(2026, 9, 1), dt.date(2026, 12, 18)
STUDENT_TABLES = (
    c.service_projects,
    c.project_teams,
    c.service_hours,
    c.project_milestones,
    c.service_reflections,
    c.career_placements,
)


def add_partner(store, school_id: int, name: str = "Riverside Food Bank") -> int:
    with store.writing() as conn:
        return conn.execute(
            c.partners.insert().values(
                school_id=school_id,
                name=name,
                name_key=name.casefold(),
                kind="nonprofit",
                offers="[]",
                notes="",
                created_at=store.now(),
            )
        ).inserted_primary_key[0]


def count(store, table: sa.Table) -> int:
    with store.reading() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def activity_summaries(store, school_id: int) -> list[str]:
    with store.reading() as conn:
        return list(
            conn.execute(
                sa.select(t.school_activity.c.summary).where(
                    t.school_activity.c.school_id == school_id
                )
            ).scalars()
        )


@pytest.fixture
def food_drive(school, school_place, classroom):
    """A project of the class, with the food bank, from 1 September to 18 December, and a
    team for each of the class's two groups of four."""
    partner_id = add_partner(school_place.store, school_place.school_id)
    project_id = projects.add_project(
        school, classroom.class_id, "Food drive", partner_id, "Math: data", SEPT_1, DEC_18
    )
    team_ids = projects.add_teams_from_grouping(school, project_id, classroom.grouping_id)
    return project_id, team_ids


# --- service projects and hours ---------------------------------------------------------


@BOTH_DATABASES
def test_a_project_records_hours_from_a_student_team(school, food_drive):
    project_id, (first, second) = food_drive
    projects.log_hours(school, first, dt.date(2026, 10, 1), 2.5, "Sorted tins")
    projects.log_hours(school, first, dt.date(2026, 10, 2), 3, "Packed boxes")
    projects.log_hours(school, second, dt.date(2026, 10, 2), 1, "Made posters")

    found = projects.project(school, project_id)
    assert (found.title, found.partner, found.class_name) == (
        "Food drive",
        "Riverside Food Bank",
        "Room 12",
    )
    assert [(x.name, x.students) for x in found.teams] == [("Team 1", 4), ("Team 2", 4)]
    # 2.5 + 3 hours a student, four students; 1 hour a student, four students
    assert [x.hours for x in found.teams] == [22.0, 4.0]
    summary = projects.hours_summary(school)
    assert (summary.service_hours, summary.students_in_service) == (26.0, 8)
    assert projects.hours_summary(school, dt.date(2026, 10, 2), TODAY).service_hours == 16.0
    assert [x.id for x in projects.projects(school)] == [project_id]


@BOTH_DATABASES
def test_a_days_hours_add_up_to_at_most_a_day(school_place, school, food_drive):
    _, (first, second) = food_drive
    day = dt.date(2026, 10, 5)
    projects.log_hours(school, first, day, 20, "Market stall")
    projects.log_hours(school, first, day, 4, "Clean-up")  # 24: a full day
    with pytest.raises(InvalidInput, match="at most 0 more"):
        projects.log_hours(school, first, day, 0.5, "More")
    projects.log_hours(school, second, day, 24, "Another team")  # each team its own day
    projects.log_hours(school, first, day + dt.timedelta(days=1), 24, "Next day")
    assert [x.hours for x in projects.project(school, food_drive[0]).teams] == [192.0, 96.0]


@pytest.mark.parametrize(
    "hours, says",
    [
        (-2, "more than 0"),
        (0, "more than 0"),
        (25, "more than the most allowed, 24"),
        (1e9, "more than the most allowed"),
        ("3", "must be a number"),
        ("three", "must be a number"),
        (None, "must be a number"),
        (True, "must be a number"),
        (float("nan"), "must be a number"),
        (float("inf"), "must be a number"),
    ],
)
def test_hours_that_make_no_sense_are_refused_and_nothing_is_written(
    school_place, school, food_drive, hours, says
):
    before = activity_summaries(school_place.store, school_place.school_id)
    with pytest.raises(InvalidInput, match=says):
        projects.log_hours(school, food_drive[1][0], dt.date(2026, 10, 1), hours, "Sorting")
    assert count(school_place.store, c.service_hours) == 0
    assert activity_summaries(school_place.store, school_place.school_id) == before


@pytest.mark.parametrize(
    "day, says",
    [
        (dt.date(2026, 8, 31), "runs from 01 September 2026 to 18 December 2026"),
        (dt.date(2026, 10, 16), "has not come yet"),
        ("2026-10-01", "Choose the day"),
    ],
)
def test_hours_on_a_day_outside_the_project_or_to_come_are_refused(
    school_place, school, food_drive, day, says
):
    with pytest.raises(InvalidInput, match=says):
        projects.log_hours(school, food_drive[1][0], day, 2, "Sorting")
    assert count(school_place.store, c.service_hours) == 0


def test_what_the_team_did_is_said(school, food_drive):
    with pytest.raises(InvalidInput, match="what the team did"):
        projects.log_hours(school, food_drive[1][0], dt.date(2026, 10, 1), 2, "  ")


def test_a_project_is_checked_when_made(school_place, school, classroom):
    with pytest.raises(InvalidInput, match="ends before it starts"):
        projects.add_project(school, classroom.class_id, "Garden", None, "", DEC_18, SEPT_1)
    with pytest.raises(InvalidInput, match="project's title"):
        projects.add_project(school, classroom.class_id, " ", None, "", SEPT_1, DEC_18)
    with pytest.raises(NotFound, match="not one of the school's classes"):
        projects.add_project(school, 9999, "Garden", None, "", SEPT_1, DEC_18)
    with pytest.raises(NotFound, match="not one of the school's partners"):
        projects.add_project(school, classroom.class_id, "Garden", 9999, "", SEPT_1, DEC_18)
    assert count(school_place.store, c.service_projects) == 0
    made = projects.add_project(school, classroom.class_id, "Garden", None, "", SEPT_1, SEPT_1)
    assert projects.project(school, made).partner == ""


def test_teams_come_from_a_grouping_of_the_projects_class_once(school, classroom, food_drive):
    project_id, _ = food_drive
    with pytest.raises(InvalidInput, match="already has teams from these groups"):
        projects.add_teams_from_grouping(school, project_id, classroom.grouping_id)
    other = projects.add_project(school, classroom.class_id, "Garden", None, "", SEPT_1, DEC_18)
    with pytest.raises(NotFound, match="not groups of the project's class"):
        projects.add_teams_from_grouping(school, other, 9999)
    assert projects.class_groupings(school, classroom.class_id) == [
        (classroom.grouping_id, "Project teams", 2)
    ]


def test_outcomes_milestones_and_the_quality_self_assessment(school, food_drive):
    project_id, _ = food_drive
    projects.set_outcomes(school, project_id, "  412 kg of food collected  ")
    milestone = projects.add_milestone(school, project_id, "Posters up", dt.date(2026, 10, 20))
    projects.mark_milestone(school, milestone, True)
    standards = [standard.id for standard in library.load_quality()]
    projects.rate_quality(school, project_id, {standards[0]: 4, standards[1]: 1})

    found = projects.project(school, project_id)
    assert found.outcomes == "412 kg of food collected"
    assert [(m.title, m.done_on) for m in found.milestones] == [("Posters up", TODAY)]
    assert found.quality == {standards[0]: 4, standards[1]: 1}

    projects.mark_milestone(school, milestone, False)
    assert projects.project(school, project_id).milestones[0].done_on is None


@pytest.mark.parametrize("rating", [0, 5, 2.5, "3", True])
def test_a_quality_rating_is_from_1_to_4(school, food_drive, rating):
    standard = library.load_quality()[0].id
    with pytest.raises(InvalidInput, match="from 1 to 4"):
        projects.rate_quality(school, food_drive[0], {standard: rating})
    assert projects.project(school, food_drive[0]).quality == {}


def test_a_quality_rating_is_for_a_standard_of_the_library(school, food_drive):
    with pytest.raises(InvalidInput, match="not one of the quality standards"):
        projects.rate_quality(school, food_drive[0], {"made-up": 3})


# --- reflections ------------------------------------------------------------------------


def test_a_team_reflects_what_so_what_now_what(school, food_drive):
    project_id, (first, _) = food_drive
    projects.add_reflection(
        school, first, "We sorted tins.", "Hunger is close to home.", "Run it in spring."
    )
    [reflection] = projects.project(school, project_id).reflections
    assert (reflection.team, reflection.what, reflection.so_what, reflection.now_what) == (
        "Team 1",
        "We sorted tins.",
        "Hunger is close to home.",
        "Run it in spring.",
    )


@pytest.mark.parametrize(
    "what, so_what, now_what, says",
    [
        ("", "b", "c", "What\\?"),
        ("a", "  ", "c", "So what\\?"),
        ("a", "b", "", "Now what\\?"),
        ("a" * 2001, "b", "c", "under 2000 characters"),
    ],
)
def test_a_reflection_answers_each_question_briefly(
    school_place, school, food_drive, what, so_what, now_what, says
):
    with pytest.raises(InvalidInput, match=says):
        projects.add_reflection(school, food_drive[1][0], what, so_what, now_what)
    assert count(school_place.store, c.service_reflections) == 0


# --- careers ----------------------------------------------------------------------------


@BOTH_DATABASES
def test_career_events_have_their_stage_and_count_placements(school_place, school, classroom):
    partner_id = add_partner(school_place.store, school_place.school_id, "City Hospital")
    talk = projects.add_event(school, "speaker", "A nurse's day", dt.date(2026, 10, 1))
    shadow = projects.add_event(
        school, "job_shadow", "Shadow a nurse", dt.date(2026, 11, 3), partner_id
    )
    first, second = classroom.roster[0].id, classroom.roster[1].id
    projects.place_student(school, shadow, classroom.class_id, first, 6)
    placement = projects.place_student(school, shadow, classroom.class_id, second, 0)
    projects.set_placement(school, placement, 4.5, "I liked the ward.")

    found = {event.id: event for event in projects.events(school)}
    assert (found[shadow].stage, found[shadow].partner) == ("exploration", "City Hospital")
    assert (found[shadow].placements, found[shadow].hours) == (2, 10.5)
    assert (found[talk].stage, found[talk].placements, found[talk].hours) == ("awareness", 0, 0.0)
    assert [event.id for event in projects.events(school)] == [shadow, talk]
    summary = projects.hours_summary(school)
    assert (summary.career_hours, summary.students_placed) == (10.5, 2)

    shown = projects.placements(school, shadow)
    assert [(p.class_name, p.hours, p.reflection) for p in shown] == [
        ("Room 12", 6.0, ""),
        ("Room 12", 4.5, "I liked the ward."),
    ]
    assert [p.pseudonym for p in shown] == [
        classroom.roster[0].pseudonym,
        classroom.roster[1].pseudonym,
    ]
    pseudonyms = dict(projects.class_students(school, classroom.class_id))
    assert pseudonyms[first] == classroom.roster[0].pseudonym


def test_the_kinds_of_career_event_follow_the_continuum(school):
    stages = {
        kind: projects.add_event(school, kind, f"A {kind}", TODAY)
        for kind in ("speaker", "job_shadow", "internship", "apprenticeship")
    }
    assert {e.kind: e.stage for e in projects.events(school) if e.id in stages.values()} == {
        "speaker": "awareness",
        "job_shadow": "exploration",
        "internship": "preparation",
        "apprenticeship": "training",
    }
    with pytest.raises(InvalidInput, match="kind of career event"):
        projects.add_event(school, "field_trip", "Zoo", TODAY)


@pytest.mark.parametrize(
    "hours, says",
    [(-1, "more than 0"), (2001, "more than the most allowed, 2000"), ("6", "a number")],
)
def test_placement_hours_are_from_0_to_2000(school_place, school, classroom, hours, says):
    event = projects.add_event(school, "internship", "Summer at the bank", TODAY)
    with pytest.raises(InvalidInput, match=says):
        projects.place_student(school, event, classroom.class_id, classroom.roster[0].id, hours)
    assert count(school_place.store, c.career_placements) == 0
    placed = projects.place_student(school, event, classroom.class_id, classroom.roster[0].id, 2000)
    with pytest.raises(InvalidInput, match=says):
        projects.set_placement(school, placed, hours, "")
    assert projects.placements(school, event)[0].hours == 2000.0


def test_a_student_is_placed_once_and_only_from_their_class(team, school, classroom):
    event = projects.add_event(school, "job_shadow", "Shadow a chef", TODAY)
    student = classroom.roster[0].id
    projects.place_student(school, event, classroom.class_id, student, 3)
    with pytest.raises(InvalidInput, match="already placed"):
        projects.place_student(school, event, classroom.class_id, student, 3)
    other = make_classroom(team, "Room 14")
    with pytest.raises(NotFound, match="not in this class"):
        projects.place_student(school, event, other.class_id, student, 3)
    assert projects.events(school)[0].placements == 1


# --- the activity record ----------------------------------------------------------------


def test_every_change_is_recorded_with_no_student_named(school_place, school, classroom):
    store, school_id = school_place.store, school_place.school_id
    before = len(activity_summaries(store, school_id))
    project_id = projects.add_project(
        school, classroom.class_id, "Food drive", None, "", SEPT_1, DEC_18
    )
    first, _ = projects.add_teams_from_grouping(school, project_id, classroom.grouping_id)
    projects.log_hours(school, first, TODAY, 2, "Sorting")
    projects.add_reflection(school, first, "a", "b", "c")
    milestone = projects.add_milestone(school, project_id, "Posters", TODAY)
    projects.mark_milestone(school, milestone, True)
    projects.set_outcomes(school, project_id, "Done")
    projects.rate_quality(school, project_id, {})
    event = projects.add_event(school, "speaker", "A chef", TODAY)
    placement = projects.place_student(school, event, classroom.class_id, classroom.roster[0].id, 1)
    projects.set_placement(school, placement, 2, "Good")

    summaries = activity_summaries(store, school_id)[before:]
    assert len(summaries) == 11
    for summary in summaries:
        for student in EIGHT:
            assert student.name.split()[0] not in summary and student.key not in summary
    assert "placed a student of Room 12 at “A chef”" in summaries
    assert "made 2 teams for “Food drive”" in summaries


# --- kept no longer than the class --------------------------------------------------------


def fill(school, classroom) -> int:
    """A project with teams, hours, a milestone and a reflection, and a placement."""
    project_id = projects.add_project(
        school, classroom.class_id, "Food drive", None, "", SEPT_1, DEC_18
    )
    first, _ = projects.add_teams_from_grouping(school, project_id, classroom.grouping_id)
    projects.log_hours(school, first, TODAY, 2, "Sorting")
    projects.add_reflection(school, first, "a", "b", "c")
    projects.add_milestone(school, project_id, "Posters", TODAY)
    event = projects.add_event(school, "speaker", "A chef", TODAY)
    projects.place_student(school, event, classroom.class_id, classroom.roster[0].id, 1)
    return event


@BOTH_DATABASES
def test_deleting_the_class_deletes_its_projects_and_placements(team, school, classroom):
    event = fill(school, classroom)
    assert all(
        count(team.store, table) == 1 for table in STUDENT_TABLES if table is not c.project_teams
    )

    classes.delete_class(classroom.teacher, classroom.class_id)

    assert {table.name: count(team.store, table) for table in STUDENT_TABLES} == {
        table.name: 0 for table in STUDENT_TABLES
    }
    assert projects.projects(school) == []
    [kept] = projects.events(school)  # the event was the school's, not the class's
    assert (kept.id, kept.placements, kept.hours) == (event, 0, 0.0)


@BOTH_DATABASES
def test_taking_a_student_off_the_class_removes_their_placement(team, school, classroom):
    event = fill(school, classroom)
    leaving = classroom.roster[0].id  # in the first group, placed at the event

    classes.remove_student(classroom.teacher, classroom.class_id, leaving)

    assert count(team.store, c.career_placements) == 0
    assert projects.events(school)[0].placements == 0
    [project] = projects.projects(school)
    # the service the team did as four stands, and no student is kept by it
    assert [(x.students, x.hours) for x in project.teams] == [(4, 8.0), (4, 0.0)]
    assert projects.placements(school, event) == []


@BOTH_DATABASES
def test_changing_or_deleting_the_class_groups_rewrites_no_service_done(team, school, classroom):
    fill(school, classroom)
    groupings.delete(classroom.teacher, classroom.grouping_id)
    [project] = projects.projects(school)
    assert [(x.name, x.students, x.hours) for x in project.teams] == [
        ("Team 1", 4, 8.0),
        ("Team 2", 4, 0.0),
    ]
    assert projects.hours_summary(school).service_hours == 8.0


# --- who reaches what -------------------------------------------------------------------


def test_another_schools_coordinator_reaches_none_of_it(team, school, classroom):
    event = fill(school, classroom)
    [project] = projects.projects(school)
    team_id = project.teams[0].id
    [placement] = projects.placements(school, event)
    other_id = schools.create_school(team.store, "Hillside Middle")
    other = team.store.open_school(schools.add_person(team.store, other_id, "coordinator", "Lee"))

    assert projects.projects(other) == []
    assert projects.events(other) == []
    assert projects.school_classes(other) == []
    assert projects.hours_summary(other) == projects.HoursSummary(0.0, 0.0, 0, 0)
    refused = [
        lambda: projects.project(other, project.id),
        lambda: projects.add_project(other, classroom.class_id, "X", None, "", SEPT_1, DEC_18),
        lambda: projects.set_outcomes(other, project.id, "X"),
        lambda: projects.rate_quality(other, project.id, {}),
        lambda: projects.add_teams_from_grouping(other, project.id, classroom.grouping_id),
        lambda: projects.log_hours(other, team_id, TODAY, 1, "X"),
        lambda: projects.hours_entries(other, team_id),
        lambda: projects.add_milestone(other, project.id, "X", TODAY),
        lambda: projects.mark_milestone(other, project.milestones[0].id, True),
        lambda: projects.add_reflection(other, team_id, "a", "b", "c"),
        lambda: projects.placements(other, event),
        lambda: projects.set_placement(other, placement.id, 1, ""),
        lambda: projects.class_students(other, classroom.class_id),
        lambda: projects.class_groupings(other, classroom.class_id),
    ]
    for call in refused:
        with pytest.raises(NotFound):
            call()
    # the other school's event cannot take our class's student
    theirs = projects.add_event(other, "speaker", "A pilot", TODAY)
    with pytest.raises(NotFound):
        projects.place_student(other, theirs, classroom.class_id, classroom.roster[1].id, 1)
    assert count(team.store, c.career_placements) == 1


def test_the_principal_reads_but_changes_nothing(school_place, school, principal, classroom):
    event = fill(school, classroom)
    [project] = projects.projects(principal)
    team_id = project.teams[0].id
    [placement] = projects.placements(principal, event)
    assert projects.events(principal)[0].placements == 1
    before = activity_summaries(school_place.store, school_place.school_id)
    refused = [
        lambda: projects.add_project(principal, classroom.class_id, "X", None, "", SEPT_1, DEC_18),
        lambda: projects.set_outcomes(principal, project.id, "X"),
        lambda: projects.rate_quality(principal, project.id, {}),
        lambda: projects.add_teams_from_grouping(principal, project.id, classroom.grouping_id),
        lambda: projects.log_hours(principal, team_id, TODAY, 1, "X"),
        lambda: projects.add_milestone(principal, project.id, "X", TODAY),
        lambda: projects.mark_milestone(principal, project.milestones[0].id, True),
        lambda: projects.add_reflection(principal, team_id, "a", "b", "c"),
        lambda: projects.add_event(principal, "speaker", "X", TODAY),
        lambda: projects.place_student(
            principal, event, classroom.class_id, classroom.roster[1].id, 1
        ),
        lambda: projects.set_placement(principal, placement.id, 1, ""),
    ]
    for call in refused:
        with pytest.raises(AccessDenied, match="only the coordinator's link changes them"):
            call()
    assert activity_summaries(school_place.store, school_place.school_id) == before
