"""The demo school's community partnerships: a coordinator's and a principal's link, four
invented partners (one agreement ending next month), a mentoring programme with three
mentors (one whose clearance lapsed last week) and two mentees from the demo class
matched with the cleared mentors (one meeting logged on the mentor's own page), a service
project whose two student teams come from the class's project teams (hours, a milestone,
a reflection), a career speaker, and this year's partnership plan with a goal per kind.
Deterministic but for the link codes, which are keys stored only as fingerprints: they are
returned for whoever needs to open the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from collab_widgets.community.api import MENTOR_LIMIT
from collab_widgets.community.store import mentoring, partners, plan, projects, schools
from collab_widgets.core.db import Store

ADDRESS = "127.0.0.1"  # the demo signs the mentor in as if from this machine


@dataclass
class CommunityCodes:
    coordinator: str = ""
    principal: str = ""
    mentors: dict[str, str] = field(default_factory=dict)  # mentor's name -> page code


def seed_community(store: Store, school_id: int, class_id: int) -> CommunityCodes:
    """The demo partnerships of the school, with the demo class (``class_id``) for mentees,
    the service project's teams and a career placement."""
    codes = CommunityCodes(
        coordinator=schools.add_person(store, school_id, "coordinator", "Dana Whitfield"),
        principal=schools.add_person(store, school_id, "principal", "Dr. Ruth Okonkwo"),
    )
    scope = store.open_school(codes.coordinator)
    schools.rename(scope, "Maple Grove Elementary")
    today = store.clock.today()
    day = dt.timedelta(days=1)
    library_id = partners.add_partner(
        scope, "Maple Grove Public Library", "government", ("workshops", "materials")
    )
    robotics = partners.add_partner(
        scope, "Riverbend Robotics Club", "nonprofit", ("mentors", "stem-projects")
    )
    garden = partners.add_partner(
        scope, "Eastside Community Garden", "civic", ("service", "materials")
    )
    credit_union = partners.add_partner(
        scope, "Harbor Credit Union", "business", ("guest-speakers", "funding")
    )
    partners.add_contact(scope, robotics, "Sam Ortega", "Volunteer lead", "sam@example.org")
    partners.add_agreement(
        scope, robotics, "Mentoring agreement", today - 300 * day, today + 25 * day
    )
    partners.add_agreement(scope, garden, "Garden use", today - 60 * day, today + 300 * day)
    partners.add_activity(
        scope, "Family reading night", today - 20 * day, "learning-at-home", 48, library_id
    )
    partners.add_activity(
        scope,
        "Money basics assembly",
        today - 9 * day,
        "collaborating-with-community",
        120,
        credit_union,
    )

    programme = mentoring.add_programme(
        scope, "Lunch buddies", today - 40 * day, today + 200 * day, 60, partner_id=robotics
    )
    cleared = {"cleared_on": today - 100 * day, "expires_on": today + 600 * day}
    mentors = {
        "Priya Shah": mentoring.add_mentor(
            scope,
            programme,
            "Priya Shah",
            ("robotics", "drawing"),
            ("tue-pm",),
            ("en",),
            verified_by="Front office",
            **cleared,
        ),
        "Marco Díaz": mentoring.add_mentor(
            scope,
            programme,
            "Marco Díaz",
            ("soccer", "reading"),
            ("thu-pm",),
            ("en", "es"),
            verified_by="Front office",
            **cleared,
        ),
        "Leo Brandt": mentoring.add_mentor(
            scope,
            programme,
            "Leo Brandt",
            ("chess",),
            ("tue-pm",),
            ("en",),
            cleared_on=today - 740 * day,
            expires_on=today - 7 * day,
            verified_by="District HR",
        ),
    }
    students = projects.class_students(scope, class_id)
    mentee_a = mentoring.add_mentee(
        scope, programme, students[0][0], ("robotics",), ("tue-pm",), ("en",)
    )
    mentee_b = mentoring.add_mentee(
        scope, programme, students[1][0], ("reading",), ("thu-pm",), ("es",)
    )
    for mentor_name, mentee in (("Priya Shah", mentee_a), ("Marco Díaz", mentee_b)):
        mentoring.confirm_match(
            scope, programme, mentors[mentor_name], mentee, "Suggested by the matching"
        )
    for name, mentor_id in mentors.items():
        if name != "Leo Brandt":
            codes.mentors[name] = mentoring.issue_mentor_link(scope, mentor_id)
    priya = mentoring.sign_in(store, codes.mentors["Priya Shah"], ADDRESS, MENTOR_LIMIT)
    mentoring.log_meeting(store, priya, today, 45, "Built a line-following robot", "Great focus", 4)

    project = projects.add_project(
        scope,
        class_id,
        "Pollinator garden beds",
        garden,
        "4-LS1-1: structures that help plants survive",
        today - 30 * day,
        today + 60 * day,
    )
    grouping_id = next(
        found
        for found, name, _ in projects.class_groupings(scope, class_id)
        if name == "Project teams"
    )
    teams = projects.add_teams_from_grouping(scope, project, grouping_id)
    projects.log_hours(scope, teams[0], today - 6 * day, 1.5, "Planted seedlings")
    projects.log_hours(scope, teams[1], today - 6 * day, 1.5, "Built bed frames")
    projects.add_milestone(scope, project, "Beds planted", today + 14 * day)
    projects.add_reflection(
        scope,
        teams[0],
        "We planted milkweed and bee balm.",
        "Bees need flowers that bloom at different times.",
        "We will make signs so visitors know why.",
    )
    speaker = projects.add_event(
        scope, "speaker", "A day as a bank teller", today - 9 * day, credit_union
    )
    projects.place_student(scope, speaker, class_id, students[2][0], 1, "I liked counting coins.")

    year = plan.create_plan(
        scope, f"{today.year}–{today.year + 1 - 2000:02d}", today - 60 * day, today + 240 * day
    )
    reading = plan.add_goal(scope, year, "academic", "More students meet the fractions standard")
    climate = plan.add_goal(scope, year, "climate", "Every family feels welcome at school")
    plan.add_activity(
        scope,
        reading,
        "Fractions family night",
        "learning-at-home",
        today + 30 * day,
        "Grade 4 team",
        40,
    )
    plan.add_activity(
        scope,
        climate,
        "Welcome breakfast",
        "communicating",
        today - 20 * day,
        "Principal",
        80,
    )
    plan.add_activity(
        scope,
        climate,
        "Garden workday with families",
        "volunteering",
        today + 45 * day,
        "Dana Whitfield",
        25,
    )
    return codes
