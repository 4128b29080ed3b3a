"""A page sends the browser the widgets of the view it opens on only: the other tabs (and
Today's meeting's agenda editor) are built when first opened, and then show what they
would have shown built at once."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pytest
from ipywidgets.widgets import widget as widget_module

from collab_widgets.core.ui.layout import LazyPanel
from collab_widgets.demo.sample import seed_demo
from collab_widgets.evidence.app import EvidenceApp
from collab_widgets.goals.app import GoalsApp
from collab_widgets.meetings import store as meetings
from collab_widgets.meetings.app import TodaysMeetingApp
from collab_widgets.meetings.model import AgendaItem, Meeting
from collab_widgets.meetings.ui.agenda_view import STOP_EDITING, agenda_html
from collab_widgets.meetings.ui.meeting import MeetingPanel
from collab_widgets.reflection.app import ReflectionApp
from collab_widgets.team.app import StartHereApp
from collab_widgets.team.store import norms
from tests.unit.widget_helpers import SentToBrowser, find, texts

# ipywidgets 8.1 keeps every open widget here (see tests/unit/test_leaks.py)
REGISTRY = widget_module._instances

EVIL = "<img src=x onerror=alert(1)>"


def open_as_member(app_class, team):
    return app_class(team.store, {"team": team.code, "member": team.people[0].token})


@pytest.mark.parametrize("app_class", [StartHereApp, EvidenceApp, GoalsApp, ReflectionApp])
def test_only_the_first_tab_is_built_until_another_is_opened(sqlite_team, app_class):
    app = open_as_member(app_class, sqlite_team)
    lazy = [panel for panel in app.tabs.children if isinstance(panel, LazyPanel)]
    assert len(lazy) == len(app.tabs.children) - 1  # every tab but the first
    assert not isinstance(app.tabs.children[0], LazyPanel)
    assert not any(panel.built or panel.children for panel in lazy)
    for index in range(1, len(app.tabs.children)):
        app.tabs.selected_index = index
        opened = app.tabs.children[index]
        assert opened.built and opened.children == (opened.panel,)
    assert "Something went wrong" not in app.status.value


def test_a_panel_asked_for_is_built_and_drawn_once_then_refreshed_when_opened_again():
    built = []

    class Panel(LazyPanel):  # any widget with refresh() will do as the panel
        refreshed = 0

        def refresh(self) -> None:
            Panel.refreshed += 1

    lazy = LazyPanel(lambda: built.append(Panel(lambda: None)) or built[-1])
    assert built == [] and not lazy.built and lazy.children == ()
    assert lazy.panel is lazy.panel and len(built) == 1 and Panel.refreshed == 1
    assert lazy.children == (built[0],)
    lazy.refresh()  # its tab opened again: read afresh
    assert Panel.refreshed == 2
    opened_by_its_tab = LazyPanel(lambda: built.append(Panel(lambda: None)) or built[-1])
    opened_by_its_tab.refresh()  # what opening the tab does: built, and drawn once
    assert len(built) == 2 and Panel.refreshed == 3


@pytest.fixture
def closed_widgets(monkeypatch) -> set[str]:
    """The model ids of the widgets closed from now on."""
    closed: set[str] = set()
    close = widgets.Widget.close

    def recorded(widget):
        if widget.comm is not None:
            closed.add(widget.model_id)
        close(widget)

    monkeypatch.setattr(widgets.Widget, "close", recorded)
    return closed


@pytest.mark.parametrize("app_class", [StartHereApp, EvidenceApp, GoalsApp, ReflectionApp])
def test_a_tab_opened_for_the_first_time_is_drawn_once(sqlite_team, app_class, closed_widgets):
    """Drawn twice, the boxes the browser has just shown are replaced at once, and what a
    visitor types into them straight away goes nowhere (a norm typed the moment its tab
    opened was lost so)."""
    scope = sqlite_team.member(0)
    norms.add(scope, "time", "We start on time.")  # a box to type in on the Norms tab
    app = open_as_member(app_class, sqlite_team)
    for index in range(1, len(app.tabs.children)):
        before = set(REGISTRY)
        closed_widgets.clear()
        app.tabs.selected_index = index
        assert set(REGISTRY) - before, f"tab {index} sent no widget"
        replaced = closed_widgets - before  # made while opening, and closed again
        assert not replaced, f"tab {index}: {len(replaced)} widgets made and closed on opening"
    assert "Something went wrong" not in app.status.value


def test_todays_meeting_opens_on_the_agenda_for_the_room_not_its_editor(sqlite_team):
    scope = sqlite_team.member(0)
    norms.add(scope, "time", EVIL)
    meeting = meetings.create(scope, scope.store.clock.today(), EVIL)
    first = meeting.agenda[0]
    meetings.set_agenda_item(scope, first.id, title=EVIL)
    app = open_as_member(TodaysMeetingApp, sqlite_team)
    assert find(app.widget, MeetingPanel) == []
    shown = app.agenda.shown.value
    assert "<img" not in shown and shown.count("&lt;img") == 3  # title, item, norm
    assert f"{meeting.total_minutes} minutes" in shown
    app.agenda.edit.click()  # the editor opens below, on the same meeting
    editor = find(app.widget, MeetingPanel)
    assert len(editor) == 1 and editor[0].meeting_id == meeting.id
    assert "Norms check" in texts(editor[0]) and app.agenda.edit.description == STOP_EDITING
    assert app.agenda.shown.layout.display == "none"  # the editor takes the agenda's place
    app.agenda.edit.click()
    assert app.agenda.editor.layout.display == "none"
    assert app.agenda.shown.layout.display is None and "minutes" in app.agenda.shown.value


def test_the_agenda_editor_keeps_its_own_meeting_until_the_page_chooses_another(sqlite_team):
    scope = sqlite_team.member(0)
    today = scope.store.clock.today()
    a, b, c = (
        meetings.create(scope, today + dt.timedelta(days=d), name).id
        for d, name in ((0, "A"), (7, "B"), (14, "C"))
    )
    app = open_as_member(TodaysMeetingApp, sqlite_team)
    agenda = app.agenda
    agenda.meeting_id = a
    agenda.edit.click()
    editor = agenda.editor.panel
    editor.meeting_id = b  # chosen in the editor's own list
    agenda.refresh()  # the page's poll
    assert editor.meeting_id == b
    agenda.edit.click()  # closed; meanwhile the page goes to C and back to A
    agenda.meeting_id = c
    agenda.meeting_id = a
    agenda.edit.click()
    assert editor.meeting_id == a


def test_the_agenda_says_when_each_item_starts():
    items = (AgendaItem(1, "Norms", 5, 1), AgendaItem(2, "Data", 20, 2))
    meeting = Meeting(1, dt.date(2026, 10, 15), "October", items)
    shown = agenda_html(meeting, [], "", [])
    assert "5 min · from minute 0" in shown and "20 min · from minute 5" in shown
    assert "Total: 25 minutes" in shown and "no norm yet" in shown


@pytest.mark.parametrize("app_class", [StartHereApp, EvidenceApp, GoalsApp, ReflectionApp])
def test_a_tab_opened_for_the_first_time_reaches_the_browser_once_as_built(
    sqlite_store, monkeypatch, app_class
):
    """Each widget of the tab is sent once, as it is when the tab is built and drawn (no
    update of a widget opened on the same click: each would be one more message the
    browser handles before the tab is ready), and every message names only widgets the
    browser has. On the demo team, whose tabs have something to show."""
    demo = seed_demo(sqlite_store)
    team = "Grade 4 Math"
    member = next(iter(demo.member_tokens[team].values()))
    browser = SentToBrowser().install(monkeypatch)
    app = app_class(sqlite_store, {"team": demo.team_codes[team], "member": member})
    for index in range(1, len(app.tabs.children)):
        known = set(REGISTRY)
        browser.messages.clear()
        app.tabs.selected_index = index
        opened = set(browser.opened())
        assert len(opened) >= 3, f"tab {index} sent no screen"
        assert browser.unknown_to_the_browser(known) == [], f"tab {index}"
        updated_twice = [model for model, _ in browser.updates() if model in opened]
        assert updated_twice == [], f"tab {index}: {len(updated_twice)} updates of new widgets"
    assert "Something went wrong" not in app.status.value


# The models each tab a benchmark's first click opens may send (``benchmarks/bench_start``):
# the browser makes each before it answers the click. Measured 2026-12-05: the SMART goal
# tab 51 (105 before its look-alike widgets shared their layouts and styles), Add scores 21
# (47).
FIRST_CLICK_BUDGET = [(GoalsApp, "SMART goal", 55), (EvidenceApp, "Add scores", 25)]


@pytest.mark.parametrize(("app_class", "tab", "budget"), FIRST_CLICK_BUDGET)
def test_a_first_click_tab_sends_few_models(sqlite_store, monkeypatch, app_class, tab, budget):
    """Widgets that look alike share a layout and a style (``core/ui/looks.py``): a tab of
    fifty widgets is not a hundred and fifty models."""
    demo = seed_demo(sqlite_store)
    team = "Grade 4 Math"
    member = next(iter(demo.member_tokens[team].values()))
    browser = SentToBrowser().install(monkeypatch)
    app = app_class(sqlite_store, {"team": demo.team_codes[team], "member": member})
    browser.messages.clear()
    app.tabs.selected_index = app.tabs.titles.index(tab)
    sent = browser.opened()
    assert len(sent) > 15, "the tab sent no screen"
    assert len(sent) <= budget, f"{tab}: {len(sent)} models"
