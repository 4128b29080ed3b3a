"""Leaks, in the style of solara's test: each app is opened (every tab or step shown, so
what is built late is built), then closed as its page goes away, and the widget registry
and the event loop's pending tasks are back where they started."""

from __future__ import annotations

import asyncio

import pytest
from ipywidgets.widgets import widget as ipywidgets_widget

from collab_widgets.classroom.app import ClassroomApp
from collab_widgets.community.app import CommunityApp
from collab_widgets.core.ui import debounce
from collab_widgets.evidence.app import EvidenceApp
from collab_widgets.families.app import FamiliesApp
from collab_widgets.goals.app import GoalsApp
from collab_widgets.meetings.app import TodaysMeetingApp
from collab_widgets.protocols.app import ProtocolsApp
from collab_widgets.reflection.app import ReflectionApp
from collab_widgets.students.app import StudentsApp
from collab_widgets.team.app import StartHereApp
from collab_widgets.workshops.app import WorkshopPresenterApp
from tests.unit.community.conftest import make_school

# ipywidgets 8.1 keeps every open widget here (``Widget.widgets`` is a deprecated alias)
REGISTRY = ipywidgets_widget._instances


def as_member(app_class):
    return lambda team: app_class(team.store, {"team": team.code, "member": team.people[0].token})


def as_coach(app_class):
    return lambda team: app_class(team.store, {"coach": team.coach_code})


def as_coordinator(app_class):
    return lambda team: app_class(team.store, {"school": make_school(team).coordinator_code})


def every_tab(app) -> None:
    if app.tabs is not None:
        for index in range(len(app.tabs.children)):
            app.tabs.selected_index = index


def every_step(app) -> None:
    for index in range(len(app.step.options)):
        app.step.value = index


# (name, how the page opens, what a visitor goes through, whether it polls while open)
APPS = [
    ("classroom", as_member(ClassroomApp), every_tab, True),
    ("community", as_coordinator(CommunityApp), every_tab, False),
    ("evidence", as_member(EvidenceApp), every_tab, True),
    ("families", as_member(FamiliesApp), every_tab, False),  # polls only near a meeting
    ("goals", as_member(GoalsApp), every_tab, False),
    ("protocols", as_member(ProtocolsApp), every_tab, True),
    ("reflection", as_member(ReflectionApp), every_tab, True),
    ("start here", as_member(StartHereApp), every_tab, False),
    ("students together", as_member(StudentsApp), every_tab, False),
    ("start here, coach page", as_coach(StartHereApp), every_tab, False),
    ("today's meeting", as_member(TodaysMeetingApp), every_step, True),
    ("workshop presenter", as_coach(WorkshopPresenterApp), lambda app: None, False),
]
IDS = [name for name, *_ in APPS]


def pending_tasks() -> set[asyncio.Task]:
    return {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}


async def settle() -> None:
    """Let cancelled tasks finish (the registry holds its widgets until they are closed)."""
    for _ in range(3):
        await asyncio.sleep(0)


async def open_and_close(team, open_page, visit):
    """The widgets and tasks the page made while open and those left once it is closed."""
    await settle()
    widgets_before, tasks_before = set(REGISTRY), pending_tasks()
    app = open_page(team)
    assert app.ready and not app.status.value, app.status.value
    visit(app)
    await asyncio.sleep(0)
    made = (set(REGISTRY) - widgets_before, pending_tasks() - tasks_before)
    app.close()  # the page goes away
    debounce.flush_all()  # as when the kernel stops: typing still waiting is saved
    await settle()
    left = (set(REGISTRY) - widgets_before, pending_tasks() - tasks_before)
    return made, left


@pytest.mark.parametrize(("name", "open_page", "visit", "polls"), APPS, ids=IDS)
def test_a_closed_page_leaves_no_task_running(sqlite_team, name, open_page, visit, polls):
    (made_widgets, made_tasks), (_, left_tasks) = asyncio.run(
        open_and_close(sqlite_team, open_page, visit)
    )
    assert made_widgets  # the page was built
    assert bool(made_tasks) == polls, made_tasks
    assert left_tasks == set(), left_tasks


@pytest.mark.parametrize(("name", "open_page", "visit", "polls"), APPS, ids=IDS)
def test_a_closed_page_leaves_no_widget_open(sqlite_team, name, open_page, visit, polls):
    _, (left_widgets, _) = asyncio.run(open_and_close(sqlite_team, open_page, visit))
    left = sorted(type(REGISTRY[key]).__name__ for key in left_widgets)
    assert left == [], f"{name}: {len(left)} widgets left open"
