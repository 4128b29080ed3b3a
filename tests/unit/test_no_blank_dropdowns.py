"""No drop-down a page shows is blank: on every workbook page, with a team that has a
facilitator, norms, a meeting with a finished fist-to-five check, a saved assessment, a
cycle with a saved goal, a running protocol and a workshop, every tab opened in turn shows
each visible drop-down that has options on one of them. (ipywidgets leaves a drop-down
that had no options without a selection when options come, and cannot select an option
whose value is None by setting the value None: both show a blank box.)"""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pytest

from collab_widgets.classroom.app import ClassroomApp
from collab_widgets.community.app import CommunityApp
from collab_widgets.demo.sample_community import seed_community
from collab_widgets.evidence.app import EvidenceApp
from collab_widgets.families.app import FamiliesApp
from collab_widgets.families.store import guardians
from collab_widgets.goals import store as goals
from collab_widgets.goals.app import GoalsApp
from collab_widgets.goals.model import GoalDraft
from collab_widgets.live import store as live
from collab_widgets.meetings import store as meetings
from collab_widgets.meetings.app import TodaysMeetingApp
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.app import ProtocolsApp
from collab_widgets.protocols.library import load_library
from collab_widgets.reflection.app import ReflectionApp
from collab_widgets.students import evidence_links
from collab_widgets.students.app import StudentsApp
from collab_widgets.students.store import classes
from collab_widgets.team.app import StartHereApp
from collab_widgets.team.store import members, norms
from collab_widgets.workshops.app import WorkshopPresenterApp
from collab_widgets.workshops.store import trainer as workshops
from tests.unit.community.conftest import make_classroom, make_school
from tests.unit.evidence.test_app import add
from tests.unit.test_confirmations import as_member, protocol_running
from tests.unit.widget_helpers import find

LIBRARY = load_library(folder="")
MEETING_DAY = dt.date(2026, 10, 22)


def fist_to_five_checked(team) -> None:
    """A finished fist to five in the meeting: a proposal, three hands shown."""
    ids = [p.id for p in team.people]
    protocol = LIBRARY.get("fist-to-five")
    wanted = {"facilitator": ids[0], "presenter": ids[1], "recorder": ids[2]}
    roles = {role: who for role, who in wanted.items() if role in protocol.roles}
    run_id = runs.start_run(team.member(0), protocol, team.meeting, roles)
    runs.set_step_notes(team.member(2), run_id, 0, "Use the same lab-report rubric.")
    while runs.get_run(team.member(0), run_id).current.key != "first-check":
        runs.control(team.member(0), run_id, runner.advance)
    check = runs.get_run(team.member(0), run_id).current_prompt_id
    for index, mark in enumerate((5, 4, 3)):
        live.mark(team.member(index), check, mark)
    runs.control(team.member(0), run_id, runner.finish)


@pytest.fixture
def team(sqlite_team, fixed_clock):
    """Ana facilitates; norms; a meeting on 22 October with everyone present and a finished
    fist-to-five check; the Grade 4 post-assessment; a cycle with one goal saved once."""
    scope = sqlite_team.member(0)
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    norms.add(scope, "time", "We start on time.")
    sqlite_team.meeting = meetings.create(scope, MEETING_DAY, "Late October").id
    for person in sqlite_team.people:
        meetings.set_attendance(scope, sqlite_team.meeting, person.id, True)
    fist_to_five_checked(sqlite_team)
    assessment = add(as_member(EvidenceApp, sqlite_team)).id
    cycle = goals.create_cycle(scope, "Fractions", dt.date(2026, 10, 1), dt.date(2026, 12, 18))
    draft = GoalDraft(
        group="Grade 4",
        learning_target="Compare fractions",
        baseline="40",
        baseline_assessment_id=assessment,
        target="70",
        by_date="2026-12-18",
    )
    goal = goals.new_goal(scope, cycle, draft)
    goals.save_version(scope, goal, draft, "Grade 4 will compare fractions: 40% to 70%.")
    goals.post_win(scope, "Item 4 went from 40% to 75%.")
    return sqlite_team


def workshop_open(team):
    made = WorkshopPresenterApp(team.store, {"coach": team.coach_code})
    workshop_id = workshops.create(team.coach, "Kickoff")
    workshops.add_prompt(team.coach, workshop_id, "choice", "Ready?", ("Yes", "No"))
    workshops.add_prompt(team.coach, workshop_id, "word", "One word")
    made.presenter.refresh(keep=workshop_id)
    return made


def a_new_goal(team):
    """A goal just made, nothing saved yet: the builder shows it with empty fields."""
    made = as_member(GoalsApp, team)
    cycle = goals.cycles(team.member(0))[0].id
    goals.new_goal(team.member(0), cycle)
    return made


def a_class_of_the_assessment(team):
    """Ana's class, its students those of the team's saved assessment."""
    scope = team.member(0)
    class_id = classes.create_class(scope, "Room 12")
    (_, assessment_id), *_ = evidence_links.assessments(scope)
    classes.add_students(scope, class_id, evidence_links.students_of(scope, assessment_id))
    return as_member(StudentsApp, team)


def families_of_a_class(team):
    """Ana's class of the assessment's students, with its families listed."""
    a_class_of_the_assessment(team)
    scope = team.member(0)
    guardians.open_families(scope, classes.classes(scope)[0].id)
    return as_member(FamiliesApp, team)


def community_demo(team, role: str):
    """The community page of a school with the demo's partners, programme and plan."""
    classroom = make_classroom(team)
    school = make_school(team)
    seed_community(team.store, school.school_id, classroom.class_id)
    return CommunityApp(team.store, {"school": getattr(school, f"{role}_code")})


PAGES = {
    "start page, facilitator": lambda team: as_member(StartHereApp, team),
    "start page, member": lambda team: as_member(StartHereApp, team, 1),
    "start page, coach on a team": lambda team: StartHereApp(
        team.store, {"coach": team.coach_code, "team": team.code}
    ),
    "coach page": lambda team: StartHereApp(team.store, {"coach": team.coach_code}),
    "protocols, set up": lambda team: as_member(ProtocolsApp, team),
    "protocols, running": protocol_running,
    "evidence": lambda team: as_member(EvidenceApp, team),
    "goals": lambda team: as_member(GoalsApp, team),
    "goals, a new goal": a_new_goal,
    "reflection": lambda team: as_member(ReflectionApp, team),
    "today's meeting": lambda team: as_member(TodaysMeetingApp, team),
    "workshop presenter": workshop_open,
    "in the classroom": lambda team: as_member(ClassroomApp, team),
    "students together": lambda team: as_member(StudentsApp, team),
    "students together, a class": a_class_of_the_assessment,
    "families": lambda team: as_member(FamiliesApp, team),
    "families, a class": families_of_a_class,
    "community, coordinator": lambda team: community_demo(team, "coordinator"),
    "community, principal": lambda team: community_demo(team, "principal"),
}


def _shown(widget) -> bool:
    return getattr(getattr(widget, "layout", None), "display", None) != "none"


def blank_dropdowns(widget, path=()) -> list[str]:
    """Drop-downs on show (they and every box around them displayed; only the open tab
    of a Tab) that have options and show none of them."""
    if not _shown(widget):
        return []
    here = (*path, getattr(widget, "description", "") or type(widget).__name__)
    found = []
    if isinstance(widget, widgets.Dropdown) and widget.options and widget.index is None:
        found.append(" / ".join(p for p in here if p))
    children = getattr(widget, "children", ())
    if isinstance(widget, widgets.Tab):
        index = widget.selected_index
        children = () if index is None else (children[index],)
        here = (*here[:-1], widget.titles[index] if index is not None else "")
    for child in children:
        found += blank_dropdowns(child, here)
    return found


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_every_dropdown_on_show_shows_one_of_its_options(team, page):
    app = PAGES[page](team)
    blank = blank_dropdowns(app.widget)
    for tabs in find(app.widget, widgets.Tab):
        for index in range(len(tabs.children)):
            tabs.selected_index = index
            blank += blank_dropdowns(app.widget)
    assert not blank, f"blank: {sorted(set(blank))}"
