"""The start page driven without a browser: set values, click, read what it shows."""

import asyncio
import datetime as dt

import ipywidgets as widgets
import pytest
from ipywidgets.widgets import widget as widget_module

from collab_widgets.core.model import ROLES
from collab_widgets.core.ui import autosave as autosave_module
from collab_widgets.core.ui import debounce
from collab_widgets.core.ui.feedback import UNEXPECTED
from collab_widgets.evidence.app import EvidenceApp
from collab_widgets.goals.app import GoalsApp
from collab_widgets.history.ui import HistoryPanel
from collab_widgets.meetings import store as meetings
from collab_widgets.meetings.app import TodaysMeetingApp
from collab_widgets.meetings.ui.meeting import MeetingPanel
from collab_widgets.team.app import StartHereApp
from collab_widgets.team.store import members, norms, teams
from collab_widgets.team.ui.join import DeviceCard, JoinScreen, PickNameScreen
from collab_widgets.team.ui.norms_panel import NormsPanel
from collab_widgets.team.ui.roster import RosterPanel
from tests.unit.widget_helpers import BUTTONS, SentToBrowser, answer_yes, find, opened, texts

REGISTRY = widget_module._instances  # every open widget (ipywidgets 8.1)


def app_for(fixture, **params):
    return StartHereApp(fixture.store, params)


def _status():
    from collab_widgets.core.ui.feedback import StatusLine

    return StatusLine()


def _indicator():
    from collab_widgets.core.ui.feedback import SavedIndicator

    return SavedIndicator()


def pick_on_the_team_link(fixture, index: int, app_class=StartHereApp):
    """A visitor holding only the team link picks someone's name, as the attacker did;
    returns the page and whether the name was offered at all."""
    app = app_class(fixture.store, {"team": fixture.code})
    pick = app.body.children[0]
    wanted = fixture.people[index].id
    offered = wanted in [value for _, value in pick.choice.options]
    if offered:
        pick.choice.value = wanted
        pick.pick_button.click()
    return app, offered


def test_without_a_link_the_page_asks_for_a_code(sqlite_team):
    app = app_for(sqlite_team)
    assert app.ready and isinstance(app.body.children[0], JoinScreen)
    assert "collab-ready" in app.widget._dom_classes


def test_a_wrong_code_shows_a_message_and_no_data(sqlite_team):
    app = app_for(sqlite_team, team="WRONG-CODE-1234")
    shown = texts(app.widget)
    assert "not known" in shown
    assert "Ana" not in shown and "Grade 4 Math" not in shown
    join = app.body.children[0]
    join.code.value = sqlite_team.code
    join.open_button.click()
    assert isinstance(app.body.children[0], PickNameScreen)


def test_a_rotated_code_no_longer_opens_the_team(sqlite_team):
    old = sqlite_team.code
    teams.rotate_team_code(sqlite_team.as_coach)
    app = app_for(sqlite_team, team=old)
    assert "not known" in texts(app.widget) and "Chen" not in texts(app.widget)


def test_a_name_is_taken_once_on_the_team_link_and_the_device_remembers_it(sqlite_team):
    dee = members.add(sqlite_team.as_coach, "Dee")  # added by the coach: not taken yet
    app = app_for(sqlite_team, team=sqlite_team.code)
    assert app.device.team == sqlite_team.code  # the browser is asked what it remembers
    pick = app.body.children[0]
    assert [name for name, _ in pick.choice.options] == ["Dee"]
    assert "Already taken: Ana, Ben, Chen" in texts(pick)
    pick.choice.value = dee.id
    pick.pick_button.click()
    assert app.scope.member_id == dee.id and "You are: Dee" in app.title.value
    token = app.device.token  # what the browser now keeps for this team link
    assert token and token != dee.token
    card = app.body.children[0]
    assert isinstance(card, DeviceCard) and token in texts(card)
    # the same device, the team link again: the browser reports what it remembers
    again = app_for(sqlite_team, team=sqlite_team.code)
    again.device.token = token
    assert again.scope.member_id == dee.id and "remembered you" in texts(again.body)
    # another device: the name is not offered any more
    elsewhere = app_for(sqlite_team, team=sqlite_team.code)
    assert not elsewhere.body.children[0].choice.options


def test_a_newcomer_on_the_team_link_adds_themself(sqlite_team):
    app = app_for(sqlite_team, team=sqlite_team.code)
    pick = app.body.children[0]
    pick.new_name.value = "Dee 🙂"
    pick.add_button.click()
    assert "You are: Dee 🙂" in app.title.value
    assert sqlite_team.store.open_team("", app.device.token).member_id == app.scope.member_id


def test_a_device_whose_link_was_renewed_is_forgotten_and_the_name_stays_taken(sqlite_team):
    remembered = sqlite_team.people[1].token
    teams.rotate_member_token(sqlite_team.as_coach, sqlite_team.people[1].id)
    app = app_for(sqlite_team, team=sqlite_team.code)
    app.device.token = remembered
    assert app.scope is None and app.device.token == ""  # forgotten on the device
    assert "no longer works" in app.status.value
    assert "Ben" not in [name for name, _ in app.body.children[0].choice.options]


def test_a_device_cannot_bring_a_member_of_another_team_onto_this_team_link(sqlite_team):
    other = teams.create_team(sqlite_team.coach, "Grade 5 Science")
    zoe = members.add(other, "Zoe")
    app = app_for(sqlite_team, team=sqlite_team.code)
    app.device.token = zoe.token  # a crafted message from the browser
    assert app.scope is None and app.device.token == ""
    assert "Zoe" not in texts(app.widget)


def test_forget_me_on_this_device_goes_back_to_the_team_link(sqlite_team):
    app = app_for(sqlite_team, team=sqlite_team.code)
    app.device.token = sqlite_team.people[2].token
    assert "You are: Chen" in app.title.value
    find(app.body, BUTTONS, lambda b: b.description == "Forget me on this device")[0].click()
    assert app.scope is None and app.device.token == ""
    assert isinstance(app.body.children[0], PickNameScreen)
    assert "no longer opens the team as you" in app.status.value


def test_forget_me_after_this_page_changed_the_team_code_shows_the_new_team_link(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[2].id)
    app = app_for(sqlite_team, team=sqlite_team.code)
    app.device.token = sqlite_team.people[2].token  # Chen, the facilitator, on this device
    roster = app.tabs.children[0]
    find(roster, BUTTONS, lambda b: b.description == "Change the team code")[0].click()
    answer_yes(roster)
    find(app.body, BUTTONS, lambda b: b.description == "Forget me on this device")[0].click()
    assert app.scope is None and app.device.token == ""
    assert isinstance(app.body.children[0], PickNameScreen), app.status.value
    assert "no longer opens the team as you" in app.status.value


def test_renewing_from_a_remembered_page_keeps_the_device_and_the_links_current(sqlite_team):
    app = app_for(sqlite_team, team=sqlite_team.code)
    app.device.token = sqlite_team.people[2].token
    roster = app.tabs.children[0]
    find(roster, BUTTONS, lambda b: b.description == "Renew my personal link")[0].click()
    answer_yes(roster)
    new = members.roster(app.scope)[2].token
    assert new != sqlite_team.people[2].token
    assert app.device.token == new and new in app.nav.value


def test_personal_link_opens_the_team_as_that_member(sqlite_team):
    app = app_for(sqlite_team, team=sqlite_team.code, member=sqlite_team.people[2].token)
    assert app.tabs is not None and "You are: Chen" in app.title.value


def test_coach_creates_a_team_and_opens_it(sqlite_team):
    app = app_for(sqlite_team, coach=sqlite_team.coach_code)
    panel = app.body.children[0]
    panel.team_name.value = ""
    find(panel, BUTTONS, lambda b: b.description == "Create team")[0].click()
    assert "empty" in app.status.value
    panel.team_name.value = "Grade 5 <i>Science</i>"
    find(panel, BUTTONS, lambda b: b.description == "Create team")[0].click()
    assert "Grade 5 &lt;i&gt;Science&lt;/i&gt;" in texts(panel.list)
    find(panel.list, BUTTONS)[1].click()  # teams are sorted: Grade 4, Grade 5
    assert "Grade 5 &lt;i&gt;Science&lt;/i&gt;" in app.title.value
    assert "You are: Coach, coach" in app.title.value


@pytest.mark.parametrize("app_class", [StartHereApp, EvidenceApp, GoalsApp, TodaysMeetingApp])
def test_a_team_opened_from_the_coach_page_reaches_the_browser_once_as_built(
    sqlite_team, monkeypatch, app_class
):
    """The team's whole view is sent as it is once built: each new widget once, none of
    them updated on the same click, every message naming only widgets the browser has;
    and back on the coach page, the same."""
    browser = SentToBrowser().install(monkeypatch)
    app = app_class(sqlite_team.store, {"coach": sqlite_team.coach_code})
    for click in ("Open", "← Your teams"):
        known = set(REGISTRY)
        browser.messages.clear()
        find(app.body, BUTTONS, lambda b, words=click: b.description == words)[0].click()
        opened = set(browser.opened())
        assert len(opened) > 10, f"{click}: no view sent"
        assert browser.unknown_to_the_browser(known) == [], click
        assert [model for model, _ in browser.updates() if model in opened] == [], click
    assert "Something went wrong" not in app.status.value


def test_the_coach_page_opens_a_team_whose_code_changed_since_it_was_drawn(sqlite_team):
    app = app_for(sqlite_team, coach=sqlite_team.coach_code)
    panel = app.body.children[0]
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    teams.rotate_team_code(sqlite_team.member(0))  # the facilitator changes it meanwhile
    find(panel.list, BUTTONS, lambda b: b.description == "Open")[0].click()
    assert app.scope is not None and app.scope.team_name == "Grade 4 Math"
    assert "not known" not in app.status.value


def test_a_coach_changes_their_code_from_the_coach_page(sqlite_team):
    app = app_for(sqlite_team, coach=sqlite_team.coach_code)
    panel = app.body.children[0]
    assert sqlite_team.coach_code in texts(panel.own_link)
    find(panel, BUTTONS, lambda b: b.description == "Change my coach code")[0].click()
    answer_yes(panel)
    assert "New coach code" in app.status.value
    assert sqlite_team.coach_code not in texts(panel.own_link)
    again = app_for(sqlite_team, coach=sqlite_team.coach_code)
    assert "not known" in texts(again.widget)


@pytest.mark.parametrize(
    "name,shown",
    [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("王小明", "王小明"),
        ("Zoë 🙂", "Zoë 🙂"),
    ],
)
def test_roster_shows_names_as_text(sqlite_team, name, shown):
    panel = RosterPanel(sqlite_team.member(0), _status(), _indicator())
    panel.new_member.value = name
    panel.add_button.click()
    assert shown in texts(panel.rows)
    assert "<img" not in texts(panel.rows)


@pytest.mark.parametrize(
    "name,message", [("", "empty"), ("x" * 10_000, "10,000 characters"), ("ana", "already")]
)
def test_bad_names_give_a_message_in_the_page(sqlite_team, name, message):
    status = _status()
    panel = RosterPanel(sqlite_team.member(0), status, _indicator())
    panel.new_member.value = name
    panel.add_button.click()
    assert message in status.value and "Traceback" not in status.value
    assert len(members.roster(sqlite_team.member(0))) == 3


def test_a_button_pressed_without_the_right_is_refused_in_the_kernel(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    ben = RosterPanel(sqlite_team.member(1), _status(), _indicator())
    assert not find(ben, BUTTONS, lambda b: b.description == "Remove")
    status = _status()
    ana = RosterPanel(sqlite_team.member(0), status, _indicator())
    remove = find(ana, BUTTONS, lambda b: b.description == "Remove")
    rotate = find(ana, BUTTONS, lambda b: b.description == "Rotate roles")
    assert remove and rotate
    # The facilitator role moves on while Ana's page still shows the buttons; a widget
    # message can press them just the same. The kernel refuses at the action.
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[2].id)
    remove[1].click()
    answer_yes(ana)
    assert "only the facilitator or the coach" in status.value
    rotate[0].click()
    assert len(members.roster(sqlite_team.member(0))) == 3
    assert members.current_roles(sqlite_team.as_coach)["facilitator"].name == "Chen"


def test_the_facilitator_rotates_roles_from_the_page(sqlite_team):
    panel = RosterPanel(sqlite_team.as_coach, _status(), _indicator())
    find(panel, BUTTONS, lambda b: b.description == "Rotate roles")[0].click()
    assert "facilitator:" in texts(panel.roles)
    assert members.current_roles(sqlite_team.as_coach)


def test_personal_links_show_to_their_owner_and_the_coach_only(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    ben = RosterPanel(sqlite_team.member(1), _status(), _indicator())
    assert sqlite_team.people[1].token in texts(ben.links)
    assert sqlite_team.people[0].token not in texts(ben.links)
    ana = RosterPanel(sqlite_team.member(0), _status(), _indicator())  # the facilitator
    assert [p.token in texts(ana.links) for p in sqlite_team.people] == [True, False, False]
    coach = RosterPanel(sqlite_team.as_coach, _status(), _indicator())
    assert all(p.token in texts(coach.links) for p in sqlite_team.people)


def test_the_coach_gives_a_member_a_new_link_from_the_roster(sqlite_team):
    status = _status()
    coach = RosterPanel(sqlite_team.as_coach, status, _indicator())
    renewals = find(coach.links, BUTTONS, lambda b: b.description == "New link")
    assert len(renewals) == 3
    renewals[1].click()
    answer_yes(coach.links)
    assert "Ben has a new personal link" in status.value
    assert sqlite_team.people[1].token not in texts(coach.links)
    visitor = app_for(sqlite_team, team=sqlite_team.code)
    assert "Ben" not in [name for name, _ in visitor.body.children[0].choice.options]
    ana = RosterPanel(sqlite_team.member(0), _status(), _indicator())
    assert not find(ana, BUTTONS, lambda b: b.description == "New link")


def test_a_norm_is_saved_as_typed_and_the_indicator_says_so(sqlite_team):
    indicator = _indicator()
    panel = opened(lambda: NormsPanel(sqlite_team.member(0), _status(), indicator))
    find(panel, BUTTONS, lambda b: b.description == "Write our own norm")[0].click()
    box = find(panel.active, widgets.Textarea)[0]
    box.value = "We start on time  <b>and</b> 🙂"
    assert norms.norms(sqlite_team.member(1))[0].text == "We start on time  <b>and</b> 🙂"
    assert "All changes saved" in indicator.value


def test_a_norm_too_long_says_so_and_keeps_what_was_saved(sqlite_team):
    indicator = _indicator()
    panel = opened(lambda: NormsPanel(sqlite_team.member(0), _status(), indicator))
    panel._use_suggestion()
    box = find(panel.active, widgets.Textarea)[0]
    saved = box.value
    box.value = "x" * 10_000
    assert "Not saved" in indicator.value and "10,000" in indicator.value
    assert norms.norms(sqlite_team.member(0))[0].text == saved


def test_norms_can_be_reordered_retired_and_deleted_from_the_page(sqlite_team):
    scope = sqlite_team.as_coach
    for text in ("A", "B"):
        norms.add(scope, "time", text)
    panel = opened(lambda: NormsPanel(scope, _status(), _indicator()))
    find(panel.active, BUTTONS, lambda b: b.description == "↓")[0].click()
    assert [n.text for n in norms.norms(scope)] == ["B", "A"]
    find(panel.active, BUTTONS, lambda b: b.description == "Retire")[0].click()
    assert "B" in texts(panel.retired)
    find(panel.retired, BUTTONS, lambda b: b.description == "Bring back")[0].click()
    find(panel.active, BUTTONS, lambda b: b.description == "Delete")[0].click()
    answer_yes(panel.active)
    assert [n.text for n in norms.norms(scope)] == ["A"]


def test_meeting_panel_plans_times_and_checks_norms(sqlite_team):
    scope = sqlite_team.member(0)
    norms.add(scope, "time", "We start on time.")
    panel = MeetingPanel(scope, _status(), _indicator())
    panel.refresh()
    find(panel, BUTTONS, lambda b: b.description == "Plan the next meeting")[0].click()
    assert "Total: 60 minutes" in panel.total.value
    minutes = find(panel.agenda, widgets.BoundedIntText)[0]
    minutes.value = 10
    assert "Total: 67 minutes" in panel.total.value
    attend = find(panel, widgets.Checkbox, lambda c: c.description == "Ana")[0]
    attend.value = True
    meeting = meetings.next_meeting(scope)
    assert sqlite_team.people[0].id in meeting.present
    start = find(panel.checks, widgets.ToggleButtons, lambda t: t.description == "Start")[0]
    start.value = 3
    assert bytes(panel.chart.image.value).startswith(b"\x89PNG")
    assert "start 3.0" in panel.chart.caption.value


def test_history_panel_restores_from_the_trash(sqlite_team):
    scope = sqlite_team.as_coach
    norm = norms.add(scope, "time", "Deleted norm")
    norms.delete(scope, norm.id)
    panel = HistoryPanel(scope, _status())
    panel.refresh()
    assert "Deleted norm" in texts(panel.trash)
    find(panel.trash, BUTTONS, lambda b: b.description == "Restore")[0].click()
    assert [n.text for n in norms.norms(scope)] == ["Deleted norm"]
    assert "restored" in panel.record.value


def test_an_unexpected_failure_shows_a_calm_message_not_a_traceback(sqlite_team, monkeypatch):
    status = _status()
    panel = RosterPanel(sqlite_team.member(0), status, _indicator())

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(members, "add", broken)
    panel.new_member.value = "Dee"
    panel.add_button.click()
    assert status.value.count(UNEXPECTED.split(".")[0]) == 1
    assert "disk on fire" not in status.value and "Traceback" not in status.value


def test_a_broken_database_shows_a_message_at_build(tmp_path, monkeypatch):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"junk" * 1000)
    monkeypatch.setenv("COLLAB_DB_URL", f"sqlite:///{path}")
    app = StartHereApp(params={})
    assert app.ready and "not a database" in app.status.value


def test_tabs_refresh_so_teammates_changes_show(sqlite_team):
    app = app_for(sqlite_team, team=sqlite_team.code, member=sqlite_team.people[0].token)
    members.add(sqlite_team.member(1), "Added elsewhere")
    app.tabs.selected_index = 1
    app.tabs.selected_index = 0
    assert "Added elsewhere" in texts(app.tabs.children[0].rows)


def test_typing_is_saved_after_a_pause_not_every_keystroke(sqlite_team, monkeypatch):
    monkeypatch.setattr(debounce, "DELAY", 0.05)
    scope = sqlite_team.member(0)
    norm = norms.add(scope, "time", "")
    saves = []

    def save(value):
        saves.append(value)
        norms.set_text(scope, norm.id, value)

    async def type_then_wait():
        box = widgets.Textarea(description="Norm")
        autosave_module.autosave(box, save, _indicator())
        for i in range(1, 6):
            box.value = "We start"[:i]
        await asyncio.sleep(0.3)

    asyncio.run(type_then_wait())
    assert saves == ["We st"]
    assert norms.norms(scope)[0].text == "We st"


def test_pending_saves_are_written_at_shutdown(sqlite_team):
    scope = sqlite_team.member(0)
    norm = norms.add(scope, "time", "")

    async def type_and_leave():
        box = widgets.Textarea(description="Norm")
        autosave_module.autosave(box, lambda v: norms.set_text(scope, norm.id, v), _indicator())
        box.value = "typed just before closing"

    asyncio.run(type_and_leave())
    debounce.flush_all()  # what the kernel's exit does
    assert norms.norms(scope)[0].text == "typed just before closing"


def test_a_redraw_right_after_typing_keeps_what_was_typed(sqlite_team):
    """Typing, then a button that redraws the list before the pause in typing is over."""
    scope = sqlite_team.member(0)
    indicator = _indicator()

    async def type_then_click():
        panel = opened(lambda: NormsPanel(scope, _status(), indicator))
        add_own = find(panel, BUTTONS, lambda b: b.description == "Write our own norm")[0]
        add_own.click()
        first = find(panel.active, widgets.Textarea)[0]
        for end in range(1, 33):
            first.value = "We start on time and end on time"[:end]
        add_own.click()  # well within the pause: the waiting save goes first
        return [box.value for box in find(panel.active, widgets.Textarea)]

    shown = asyncio.run(type_then_click())
    assert shown == ["We start on time and end on time", ""]
    assert [n.text for n in norms.norms(scope)] == ["We start on time and end on time", ""]


def test_meeting_date_can_be_changed(sqlite_team):
    scope = sqlite_team.member(0)
    meetings.create(scope, dt.date(2026, 10, 20))
    panel = MeetingPanel(scope, _status(), _indicator())
    panel.refresh()
    find(panel, widgets.DatePicker)[0].value = dt.date(2026, 10, 27)
    assert meetings.next_meeting(scope).date == dt.date(2026, 10, 27)


def test_a_member_renews_their_own_personal_link(sqlite_team):
    panel = RosterPanel(sqlite_team.member(1), _status(), _indicator())
    old = sqlite_team.people[1].token
    find(panel, BUTTONS, lambda b: b.description == "Renew my personal link")[0].click()
    answer_yes(panel)
    new = members.roster(sqlite_team.member(1))[1].token
    assert new != old and new in texts(panel.links) and old not in texts(panel.links)


def test_the_facilitator_moves_a_meeting_to_the_trash_and_back(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    meetings.create(sqlite_team.member(0), dt.date(2026, 10, 20), "Unit 4 planning")
    ben = MeetingPanel(sqlite_team.member(1), _status(), _indicator())
    ben.refresh()
    assert not find(ben, BUTTONS, lambda b: b.description == "Delete this meeting")
    status = _status()
    ana = MeetingPanel(sqlite_team.member(0), status, _indicator())
    ana.refresh()
    find(ana, BUTTONS, lambda b: b.description == "Delete this meeting")[0].click()
    answer_yes(ana)
    assert "trash" in status.value and meetings.next_meeting(sqlite_team.member(0)) is None
    assert "No meeting planned yet" in texts(ana)
    history = HistoryPanel(sqlite_team.member(0), _status())
    history.refresh()
    assert "Unit 4 planning" in texts(history.trash)
    find(history.trash, BUTTONS, lambda b: b.description == "Restore")[0].click()
    ana.refresh()
    assert "Unit 4 planning" in texts(ana)


def test_planning_another_meeting_goes_a_week_past_the_latest_and_shows_it(sqlite_team):
    scope = sqlite_team.member(0)
    meetings.create(scope, dt.date(2026, 10, 20), "First")
    panel = MeetingPanel(scope, _status(), _indicator())
    panel.refresh()
    for _ in range(3):
        find(panel, BUTTONS, lambda b: b.description == "Plan another meeting")[0].click()
    dates = sorted(m.date for m in meetings.all_meetings(scope))
    assert dates == [dt.date(2026, 10, d) for d in (20, 27)] + [
        dt.date(2026, 11, d) for d in (3, 10)
    ]
    picker = find(panel, widgets.Dropdown, lambda d: d.description == "Meeting")[0]
    assert picker.label.startswith("Tue 10 Nov 2026")  # the one just planned
    picker.value = [m.id for m in meetings.all_meetings(scope) if m.title == "First"][0]
    assert find(panel, widgets.Text, lambda t: t.description == "Title")[0].value == "First"


def test_a_member_renames_themself_as_they_type_and_only_themself(sqlite_team):
    indicator = _indicator()
    panel = RosterPanel(sqlite_team.member(1), _status(), indicator)
    own = find(panel.rows, widgets.Text, lambda t: t.description == "Your name")
    assert len(own) == 1 and own[0].value == "Ben"
    own[0].value = "Benedikt 🙂"
    assert members.roster(sqlite_team.as_coach)[1].name == "Benedikt 🙂"
    assert "All changes saved" in indicator.value
    own[0].value = "ana"
    assert "already on the roster" in indicator.value
    assert members.roster(sqlite_team.as_coach)[1].name == "Benedikt 🙂"


def test_the_roster_shows_how_often_each_person_held_each_role(sqlite_team):
    for _ in range(4):
        members.rotate_roles(sqlite_team.as_coach)
    panel = RosterPanel(sqlite_team.as_coach, _status(), _indicator())
    held = members.role_history(sqlite_team.as_coach)
    ana = sqlite_team.people[0].id
    expected = ", ".join(f"{role} {held[ana][role]}×" for role in ROLES if role in held[ana])
    assert sum(held[ana].values()) == 4 and f"held so far: {expected}" in texts(panel.rows)


def test_the_team_link_does_not_show_other_members_personal_links(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    app, offered = pick_on_the_team_link(sqlite_team, 0)  # the facilitator's name
    assert not offered and app.scope is None
    shown = texts(app.widget)
    assert not any(p.token in shown for p in sqlite_team.people)


def test_the_team_link_cannot_renew_someone_elses_personal_link(sqlite_team):
    app, offered = pick_on_the_team_link(sqlite_team, 1)
    for renew in find(app.widget, BUTTONS, lambda b: "Renew" in b.description):
        renew.click()
    assert not offered
    ben = sqlite_team.store.open_team(sqlite_team.code, sqlite_team.people[1].token)
    assert ben.member_id == sqlite_team.people[1].id  # Ben's link still works


def test_the_team_link_cannot_act_as_facilitator(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    app, offered = pick_on_the_team_link(sqlite_team, 0)
    assert not offered
    assert not find(app.widget, BUTTONS, lambda b: b.description == "Rotate roles")
    assert members.current_roles(sqlite_team.as_coach)["facilitator"].name == "Ana"


def test_a_preheated_page_freezes_what_it_loaded_before_its_visitor_arrives(
    sqlite_team, monkeypatch
):
    """A kernel waiting for its visitor loads the page's libraries, collects once and
    freezes them, so the collector does not walk them again while the visitor waits."""
    import gc

    from collab_widgets.team.ui import page

    seen = {}

    def visitor_arrives():
        seen["frozen while waiting"] = gc.get_freeze_count()
        return {"team": sqlite_team.code}

    monkeypatch.setenv("VOILA_PREHEAT", "True")  # Voilà's pooled kernel
    monkeypatch.setattr(page, "request_params", visitor_arrives)
    monkeypatch.setattr(StartHereApp, "preheat", lambda self: seen.setdefault("preheated", True))
    try:
        app = StartHereApp(sqlite_team.store)
    finally:
        gc.unfreeze()  # the rest of the test run collects as usual
    assert seen["preheated"] and seen["frozen while waiting"] > 0
    assert app.scope is not None or app.visitor is not None
