"""The partnership plan: goals, activities, their evaluation, coverage from every source,
the year's family feedback and the school's view."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from collab_widgets.community import tables as c
from collab_widgets.community.store import partners, plan, schools
from collab_widgets.core.db import tables as t
from collab_widgets.core.errors import AccessDenied, InvalidInput
from collab_widgets.families.library import load_feedback_survey
from collab_widgets.families.store import class_meetings, family_workshops, guardians
from collab_widgets.families.store import family as family_page
from collab_widgets.goals import store as goals
from collab_widgets.goals.model import GoalDraft
from tests.unit.conftest import TeamFixture
from tests.unit.families.conftest import LIMIT

from .conftest import BOTH_DATABASES, make_classroom

TODAY = dt.date(2026, 10, 15)  # the fixed clock's
DAY = dt.timedelta(days=1)
STARTS, ENDS = dt.date(2026, 9, 1), dt.date(2027, 6, 30)


def rows(store, table: sa.Table) -> int:
    with store.reading() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def other_school_team(store) -> tuple[TeamFixture, object]:
    """Another team, moved to another school, and that school's coordinator."""
    other = TeamFixture(store)
    school_id = schools.create_school(store, "Hillside Middle")
    with store.writing() as conn:
        conn.execute(
            t.teams.update()
            .where(t.teams.c.id == other.as_coach.team_id)
            .values(school_id=school_id)
        )
    return other, store.open_school(schools.add_person(store, school_id, "coordinator", "Olu"))


def plc_goal(team, statement: str) -> int:
    member = team.member(0)
    cycle_id = goals.create_cycle(member, "Fractions cycle", STARTS, dt.date(2026, 12, 18))
    goal_id = goals.new_goal(member, cycle_id)
    goals.save_version(member, goal_id, GoalDraft(), statement)
    return goal_id


def family_meeting(classroom, day: dt.date, involvement=("learning-at-home", "communicating")):
    return class_meetings.prepare_meeting(
        classroom.teacher,
        classroom.class_id,
        title="Fractions night",
        held_on=day,
        starts_at="18:00",
        skill="Fractions on a number line",
        assessment_id=None,
        assessment_name="Unit 3 check",
        results={},
        agenda=[{"title": {"en": "Welcome"}, "minutes": 10}],
        activities=[],
        involvement=involvement,
    )


def workshop(classroom, day: dt.date, involvement="parenting") -> int:
    return family_workshops.add_workshop(
        classroom.teacher,
        classroom.class_id,
        {"en": "Reading at home"},
        day,
        "17:30",
        "Library",
        involvement,
    )


@pytest.fixture
def year(school) -> int:
    return plan.create_plan(school, "2026–27", STARTS, ENDS)


@BOTH_DATABASES
def test_a_plan_has_a_unique_title_and_ends_after_it_starts(school, year):
    with pytest.raises(InvalidInput, match="already a plan called “2026–27”"):
        plan.create_plan(school, " 2026–27 ", dt.date(2027, 9, 1), dt.date(2028, 6, 30))
    with pytest.raises(InvalidInput, match="before it starts"):
        plan.create_plan(school, "2027–28", dt.date(2028, 6, 30), dt.date(2027, 9, 1))
    with pytest.raises(InvalidInput, match="before it starts"):
        plan.create_plan(school, "2027–28", STARTS, STARTS)
    later = plan.create_plan(school, "2027–28", dt.date(2027, 9, 1), dt.date(2028, 6, 30))
    assert [p.title for p in plan.plans(school)] == ["2027–28", "2026–27"]
    assert plan.current_plan(school).id == year
    plan.delete_plan(school, later)
    assert [p.id for p in plan.plans(school)] == [year]


@BOTH_DATABASES
def test_goals_of_each_kind_and_an_academic_goal_links_a_plc_goal(team, school, principal, year):
    linked = plc_goal(team, "80% of students place fractions on a number line by December")
    assert plan.team_goals(principal) == [
        (linked, "Grade 4 Math — 80% of students place fractions on a number line by December")
    ]
    academic = plan.add_goal(school, year, "academic", "Raise fractions scores", linked)
    plan.add_goal(school, year, "climate", "Every family feels welcome")
    with pytest.raises(InvalidInput, match="kind of goal"):
        plan.add_goal(school, year, "happiness", "Smile")
    with pytest.raises(InvalidInput, match="Only an academic goal"):
        plan.add_goal(school, year, "behaviour", "Fewer referrals", linked)
    found = plan.plan(principal, year)
    assert [(g.kind, g.text, g.team_goal) for g in found.goals] == [
        (
            "academic",
            "Raise fractions scores",
            "Grade 4 Math — 80% of students place fractions on a number line by December",
        ),
        ("climate", "Every family feels welcome", ""),
    ]
    plan.update_goal(school, academic, "academic", "Raise fractions scores", None)
    assert plan.plan(school, year).goals[0].team_goal == ""


def test_another_schools_plc_goal_cannot_be_linked(store, school, year):
    other, _ = other_school_team(store)
    theirs = plc_goal(other, "Their goal")
    assert plan.team_goals(school) == []
    with pytest.raises(InvalidInput, match="not one of this school's teams' goals"):
        plan.add_goal(school, year, "academic", "Raise scores", theirs)
    assert rows(store, c.plan_goals) == 0


def test_activities_fall_within_the_plan_and_are_evaluated(school, principal, year):
    goal = plan.add_goal(school, year, "climate", "Every family feels welcome")
    with pytest.raises(InvalidInput, match="outside the plan “2026–27”"):
        plan.add_activity(school, goal, "Picnic", "volunteering", dt.date(2027, 7, 4), "Dana", 50)
    with pytest.raises(InvalidInput, match="participants"):
        plan.add_activity(school, goal, "Picnic", "volunteering", TODAY, "Dana", -5)
    with pytest.raises(InvalidInput, match="type of involvement"):
        plan.add_activity(school, goal, "Picnic", "picnics", TODAY, "Dana", 5)
    picnic = plan.add_activity(school, goal, "Picnic", "volunteering", TODAY, "Dana", 50)
    with pytest.raises(InvalidInput, match="outside these dates"):
        plan.update_plan(school, year, "2026–27", dt.date(2026, 11, 1), ENDS)
    plan.set_outcome(school, picnic, True, 62)
    plan.set_evaluation(school, year, "A good year.\nMore fathers came.")
    (activity,) = plan.plan(principal, year).goals[0].activities
    assert (activity.happened, activity.participants, activity.expected) == (True, 62, 50)
    assert plan.plan(principal, year).evaluation == "A good year.\nMore fathers came."
    plan.set_outcome(school, picnic, False, 62)  # did not happen: nobody came
    (activity,) = plan.plan(principal, year).goals[0].activities
    assert (activity.happened, activity.participants) == (False, None)
    plan.update_activity(school, picnic, "Fall picnic", "parenting", STARTS, "Pat", 30)
    (activity,) = plan.plan(school, year).goals[0].activities
    assert (activity.title, activity.involvement, activity.planned_on) == (
        "Fall picnic",
        "parenting",
        STARTS,
    )
    plan.remove_activity(school, picnic)
    plan.remove_goal(school, goal)
    assert plan.plan(school, year).goals == ()
    assert [summary for _, _, summary, _ in schools.entries(school)][:4] == [
        "removed a climate goal of “2026–27”",
        "removed the planned activity “Fall picnic”",
        "changed the planned activity “Fall picnic”",
        "“Picnic”: did not happen",
    ]


def test_the_principal_is_refused_every_write_and_nothing_is_written(team, school, principal, year):
    goal = plan.add_goal(school, year, "climate", "Welcome")
    activity = plan.add_activity(school, goal, "Picnic", "volunteering", TODAY, "Dana", 50)
    tables = (c.partnership_plans, c.plan_goals, c.plan_activities, t.school_activity)
    before = [rows(school.store, table) for table in tables]
    writes = [
        lambda: plan.create_plan(principal, "Mine", STARTS, ENDS),
        lambda: plan.update_plan(principal, year, "Mine", STARTS, ENDS),
        lambda: plan.delete_plan(principal, year),
        lambda: plan.set_evaluation(principal, year, "Mine"),
        lambda: plan.add_goal(principal, year, "climate", "Mine"),
        lambda: plan.update_goal(principal, goal, "climate", "Mine"),
        lambda: plan.remove_goal(principal, goal),
        lambda: plan.add_activity(principal, goal, "X", "volunteering", TODAY, "Pat", 1),
        lambda: plan.update_activity(principal, activity, "X", "volunteering", TODAY, "Pat", 1),
        lambda: plan.remove_activity(principal, activity),
        lambda: plan.set_outcome(principal, activity, True, 3),
    ]
    for write in writes:
        with pytest.raises(AccessDenied, match="only the coordinator"):
            write()
    assert [rows(school.store, table) for table in tables] == before


@BOTH_DATABASES
def test_coverage_counts_every_source_of_the_school_in_the_plans_dates(
    store, school, principal, classroom, year
):
    goal = plan.add_goal(school, year, "academic", "Raise fractions scores")
    newsletter = plan.add_activity(school, goal, "Newsletter", "communicating", TODAY, "Dana", 100)
    plan.add_activity(school, goal, "Reading buddies", "volunteering", ENDS, "Pat", 10)
    picnic = plan.add_activity(school, goal, "Picnic", "parenting", TODAY, "Dana", 30)
    plan.set_outcome(school, newsletter, True, 90)
    plan.set_outcome(school, picnic, False, None)
    food_bank = partners.add_partner(school, "Riverside Food Bank", "nonprofit")
    partners.add_activity(school, "Food drive", dt.date(2026, 10, 1), "volunteering", 40, food_bank)
    partners.add_activity(school, "Summer fair", dt.date(2026, 8, 1), "volunteering", 40)  # before
    partners.add_activity(school, "Winter fair", dt.date(2026, 12, 1), "volunteering", 40)  # ahead
    family_meeting(classroom, dt.date(2026, 10, 6))  # learning at home and communicating
    family_meeting(classroom, dt.date(2026, 10, 20))  # not held yet: not done
    workshop(classroom, dt.date(2026, 10, 8))  # parenting
    with store.writing() as conn:
        conn.execute(
            c.career_events.insert().values(
                school_id=school.school_id,
                partner_id=food_bank,
                kind="speaker",
                title="A baker's day",
                held_on=dt.date(2026, 10, 9),
                created_at=store.now(),
            )
        )
    # another school's class and activities are never counted
    other, other_coordinator = other_school_team(store)
    theirs = make_classroom(other, "Room 9")
    family_meeting(theirs, dt.date(2026, 10, 6), ("parenting", "volunteering"))
    workshop(theirs, dt.date(2026, 10, 7), "decision-making")
    partners.add_activity(other_coordinator, "Their fair", dt.date(2026, 10, 2), "volunteering", 9)

    found = {line.involvement: line for line in plan.coverage(principal, year)}
    assert list(found) == [
        "parenting",
        "communicating",
        "volunteering",
        "learning-at-home",
        "decision-making",
        "collaborating-with-community",
    ]
    assert {k: (v.planned, v.happened, v.done) for k, v in found.items()} == {
        "parenting": (1, 0, 1),
        "communicating": (1, 1, 2),
        "volunteering": (1, 0, 1),
        "learning-at-home": (0, 0, 1),
        "decision-making": (0, 0, 0),
        "collaborating-with-community": (0, 0, 1),
    }
    assert found["communicating"].sources == {"Partnership plan": 1, "Family meetings": 1}
    assert found["parenting"].sources == {"Family workshops": 1}
    assert found["volunteering"].sources == {"Community activities": 1}
    assert found["collaborating-with-community"].sources == {"Career events": 1}
    assert plan.school_view(principal).coverage == plan.coverage(principal, year)


def _answer(store, classroom, round_id: int, levels: list[int]) -> None:
    """Families of the class answer the round, each giving one level to every question."""
    teacher = classroom.teacher
    guardians.open_families(teacher, classroom.class_id)
    survey = load_feedback_survey()
    for family, level in zip(guardians.families(teacher, classroom.class_id), levels, strict=False):
        code = guardians.issue_link(teacher, guardians.add_guardian(teacher, family.id, "Parent"))
        session = family_page.sign_in(store, code, "10.0.0.1", LIMIT)
        family_page.answer_feedback(
            store, session, round_id, {q.id: level for q in survey.questions}, survey
        )


@BOTH_DATABASES
def test_the_years_family_feedback_shows_means_only_from_the_minimum(
    store, school, principal, classroom, year
):
    survey = load_feedback_survey()
    assert survey.min_respondents == 3
    round_id = family_workshops.open_round(classroom.teacher, classroom.class_id, "After October")
    _answer(store, classroom, round_id, [4, 2])
    found = plan.year_end_feedback(principal, year)
    assert (found.rounds, found.answered, found.minimum, found.means) == (1, 2, 3, ())
    other, _ = other_school_team(store)
    theirs = make_classroom(other, "Room 9")
    their_round = family_workshops.open_round(theirs.teacher, theirs.class_id, "Theirs")
    _answer(store, theirs, their_round, [1, 1, 1])
    assert plan.year_end_feedback(principal, year).answered == 2
    second = family_workshops.open_round(classroom.teacher, classroom.class_id, "After November")
    _answer(store, classroom, second, [3])
    found = plan.year_end_feedback(principal, year)
    assert (found.rounds, found.answered) == (2, 3)
    assert found.means[0] == (survey.questions[0].text["en"], pytest.approx(3.0))
    assert len(found.means) == len(survey.questions)


@BOTH_DATABASES
def test_the_school_view_counts_partners_and_hides_small_counts(school, principal, year):
    food_bank = partners.add_partner(school, "Riverside Food Bank", "nonprofit")
    library = partners.add_partner(school, "Hill Library", "civic")
    partners.add_partner(school, "Old Mill", "business")
    partners.add_agreement(school, food_bank, "Drive", dt.date(2026, 1, 1), dt.date(2026, 10, 30))
    partners.add_activity(
        school, "Story time", dt.date(2026, 2, 1), "learning-at-home", 20, library
    )
    view = plan.school_view(principal)
    assert (view.partners_active, view.agreements_lapsing) == (2, 1)
    # open matches are students mentored: under five, neither they nor their health show
    assert (view.matches_active, view.matches_flagged, view.matches_healthy) == (None, None, None)
    assert (view.students_mentored, view.students_in_service, view.students_placed) == (
        None,
        None,
        None,
    )
    assert (view.service_hours, view.career_hours) == (0.0, 0.0)
    assert sum(line.done for line in view.coverage) == 0  # the story time was before the plan
    plan.delete_plan(school, year)
    view = plan.school_view(principal)  # no plan: the last 365 days
    assert {line.involvement: line.done for line in view.coverage}["learning-at-home"] == 1


def test_a_questions_mean_shows_only_from_the_minimum_of_its_own_answers(team, school, year):
    """Rounds may ask different questions: a question one family answered stays hidden
    however many answered the others."""
    import json

    from collab_widgets.families import tables as f

    classroom = make_classroom(team)
    survey = load_feedback_survey()
    questions = [question.id for question in survey.questions]
    now, team_id = team.store.now(), team.as_coach.team_id
    with team.store.writing() as conn:
        families = [
            conn.execute(
                f.families.insert().values(
                    team_id=team_id,
                    class_id=classroom.class_id,
                    student_id=student.id,
                    language="en",
                    contact="",
                    created_at=now,
                )
            ).inserted_primary_key[0]
            for student in classroom.roster
        ]
        for asked, answering, level in (
            (questions[:-1], families[:5], 3),
            (questions, families[5:6], 1),
        ):
            round_id = conn.execute(
                f.feedback_rounds.insert().values(
                    team_id=team_id,
                    class_id=classroom.class_id,
                    title="Feedback",
                    questions=json.dumps(asked),
                    opened_on=TODAY,
                    closed_at=now,
                )
            ).inserted_primary_key[0]
            for family_id in answering:
                conn.execute(
                    f.feedback_receipts.insert().values(
                        team_id=team_id, round_id=round_id, family_id=family_id
                    )
                )
            for question in asked:
                conn.execute(
                    f.feedback_counts.insert().values(
                        team_id=team_id,
                        round_id=round_id,
                        question=question,
                        level=level,
                        families=len(answering),
                    )
                )
    shown = dict(plan.year_end_feedback(school, year).means)
    assert survey.questions[-1].text["en"] not in shown  # one family's answer
    assert shown[survey.questions[0].text["en"]] == pytest.approx((5 * 3 + 1) / 6)


def test_an_outcome_is_yes_no_or_not_yet_and_never_ahead_of_its_day(school, year):
    goal = plan.add_goal(school, year, "climate", "Every family feels welcome")
    fair = plan.add_activity(school, goal, "Fair", "volunteering", TODAY + DAY, "Dana", 50)
    for said in ("yes", 2, "True"):  # from code, not the page's choice: refused
        with pytest.raises(InvalidInput, match="whether the activity happened"):
            plan.set_outcome(school, fair, said, 5)
    with pytest.raises(InvalidInput, match="once the day has come"):
        plan.set_outcome(school, fair, True, 40)
    plan.set_outcome(school, fair, False, None)  # called off ahead: that can be said
    (activity,) = plan.plan(school, year).goals[0].activities
    assert (activity.happened, activity.participants) == (False, None)
