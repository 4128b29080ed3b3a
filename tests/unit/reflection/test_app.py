"""The reflection-and-actions page and today's meeting, driven without a browser: own
reflections and the synthesis saved as typed, a pulse survey answered on three members'
pages with results hidden until enough answered, decisions, actions carried into the next
meeting (here and on the Start page), their history and exports, the meeting record, the
meeting's steps, and bad input everywhere. The fixed clock stands at 2026-10-15."""

from __future__ import annotations

import asyncio
import base64
import csv
import datetime as dt
import io
import re

import icalendar
import ipywidgets as widgets
import pytest

from collab_widgets.actions import store as actions
from collab_widgets.core.db import activity
from collab_widgets.core.ui import debounce
from collab_widgets.core.ui.debounce import flush_all
from collab_widgets.core.ui.feedback import UNEXPECTED
from collab_widgets.goals import store as goal_store
from collab_widgets.instruments import store as surveys
from collab_widgets.meetings import store as meetings
from collab_widgets.meetings.app import STEPS, TodaysMeetingApp
from collab_widgets.reflection import store as reflections
from collab_widgets.reflection.app import ReflectionApp
from collab_widgets.reflection.model import Reflection
from collab_widgets.team.app import StartHereApp
from collab_widgets.team.store import members
from tests.unit.widget_helpers import BUTTONS, find, texts

EVIL = "<img src=x onerror=alert(1)> & <script>alert(2)</script>"


FIRST_DAY, NEXT_DAY = dt.date(2026, 10, 8), dt.date(2026, 10, 22)


REFLECTION, SURVEY, DECISIONS, ACTIONS, RECORD = range(5)


@pytest.fixture
def team(sqlite_team, fixed_clock):
    """Ana facilitates; an earlier meeting (8 October) and the next one (22 October)."""
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    ana = sqlite_team.member(0)
    sqlite_team.first = meetings.create(ana, FIRST_DAY, "Early October").id
    sqlite_team.next = meetings.create(ana, NEXT_DAY, "Late October").id
    return sqlite_team


def page(fixture, index=0, app=ReflectionApp, tab=None):
    made = app(fixture.store, {"team": fixture.code, "member": fixture.people[index].token})
    assert made.scope is not None, made.status.value
    if tab is not None:
        made.tabs.selected_index = tab
    return made


def coach_page(fixture, app=ReflectionApp):
    return app(fixture.store, {"coach": fixture.coach_code, "team": fixture.code})


def button(widget, words):
    found = find(widget, BUTTONS, lambda b: words in b.description)
    assert found, f"no button with {words!r}"
    return found[0]


def no_error(app):
    assert "collab-error" not in app.status.value, app.status.value


def data_uri(value: str, css: str) -> bytes:
    found = re.search(rf"class='{css}'[^>]*href='data:[^;]+;base64,([^']*)'", value)
    assert found, value
    return base64.b64decode(found.group(1))


def reflection_rows(store) -> int:
    import sqlalchemy as sa

    with store.engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM reflections")).scalar_one()


def _entries_but_coach_views(team) -> int:
    """Activity entries, leaving out the note that the coach opened the page."""
    return len([e for e in activity.entries(team.as_coach) if e.kind != "coach"])


def survey_page(fixture, index):
    return page(fixture, index, tab=SURVEY)


def answer(app, point):
    [choice] = find(app.survey.form, widgets.RadioButtons)
    choice.value = point
    button(app.survey.form, "Send my answer").click()


def add_action(app, text, owner=None, due=None):
    panel = app.actions
    panel.text.value = text
    panel.owner.value = owner
    panel.due.value = due
    button(panel, "Add the action").click()


def test_the_team_link_cannot_open_another_members_private_reflection(team):
    for meeting_id in (team.first, team.next):
        reflections.save_own(team.member(0), meeting_id, "so_what", "Only Ana reads this.")
    app = ReflectionApp(team.store, {"team": team.code})
    pick = app.body.children[0]
    offered = team.people[0].id in [value for _, value in pick.choice.options]
    if offered:  # as the attacker did: pick Ana's name
        pick.choice.value = team.people[0].id
        pick.pick_button.click()
    assert not offered and app.scope is None
    assert "Only Ana reads this." not in texts(app.widget)


def test_own_reflection_and_synthesis_are_saved_as_typed_and_private_stays_private(team):
    app = page(team)
    assert app.meeting.meeting_id == team.next
    own, shared = app.reflection.own, app.reflection.shared
    typed = {"what": f"  {EVIL}\nline two  ", "so_what": "½ — 😀", "now_what": "x" * 2000}
    for part, text in typed.items():
        own[part].value = text
    shared["what"].value = "We saw item 4 " + EVIL
    flush_all()
    no_error(app)
    assert reflections.own(team.member(0), team.next) == Reflection(team.next, **typed)
    assert reflections.synthesis(team.as_coach, team.next).what == "We saw item 4 " + EVIL
    other = page(team, 1)
    assert other.reflection.shared["what"].value == "We saw item 4 " + EVIL
    assert [other.reflection.own[p].value for p in typed] == ["", "", ""]
    coach = coach_page(team)
    assert coach.reflection.shared["what"].value == "We saw item 4 " + EVIL
    assert coach.reflection.private.layout.display == "none"
    assert all(box.value == "" for box in coach.reflection.own.values())
    # what was typed is in the text boxes only, never in the page's HTML
    shown_html = "".join(w.value for w in find(other.widget, widgets.HTML))
    assert "We saw item 4" not in shown_html and "<img src=x" not in shown_html


def test_opening_the_page_writes_no_reflection(team):
    reflections.save_synthesis(team.member(1), team.next, "what", "already written")
    before = _entries_but_coach_views(team)
    for index in range(3):
        app = page(team, index)
        app.meeting.choice.value = team.first
        app.meeting.choice.value = team.next
        app.tabs.selected_index = ACTIONS
        app.tabs.selected_index = REFLECTION
        flush_all()
        no_error(app)
    coach_page(team)
    flush_all()
    assert _entries_but_coach_views(team) == before
    assert reflection_rows(team.store) == 0
    assert reflections.synthesis(team.member(0), team.next).what == "already written"


def test_a_blank_reflection_is_kept_and_a_huge_one_is_refused_with_nothing_lost(team):
    app = page(team)
    box = app.reflection.own["what"]
    box.value = "first thoughts"
    box.value = "   "
    flush_all()
    assert reflections.own(team.member(0), team.next).what == "   "
    box.value = "kept"
    huge = "y" * 50_000
    box.value = huge
    flush_all()
    assert "Not saved" in app.indicator.value and "2,000" in app.indicator.value
    assert box.value == huge  # what was typed stays in the box to shorten
    assert reflections.own(team.member(0), team.next).what == "kept"
    app.reflection.shared["so_what"].value = huge
    flush_all()
    assert "Not saved" in app.indicator.value
    assert reflections.synthesis(team.member(0), team.next).so_what == ""
    no_error(app)


def test_typing_then_choosing_another_meeting_saves_to_the_meeting_typed_for(team, monkeypatch):
    """The save waiting for a pause in typing belongs to the meeting shown while typing.
    (Failed while ReflectionPanel._save used chooser.meeting_id, already the new choice
    when guarded() flushed the waiting save: the text went into the other meeting.)"""
    monkeypatch.setattr(debounce, "DELAY", 5)

    async def type_then_switch():
        app = page(team)
        app.reflection.own["what"].value = "about the late October meeting"
        app.reflection.shared["now_what"].value = "the team, late October"
        app.meeting.choice.value = team.first  # before the pause is over
        return app

    app = asyncio.run(type_then_switch())
    flush_all()
    no_error(app)
    ana = team.member(0)
    assert reflections.own(ana, team.next).what == "about the late October meeting"
    assert reflections.synthesis(ana, team.next).now_what == "the team, late October"
    assert reflections.own(ana, team.first) == Reflection(team.first)
    assert reflections.synthesis(ana, team.first) == Reflection(team.first)
    assert app.reflection.own["what"].value == ""
    assert app.reflection.shared["now_what"].value == ""
    app.meeting.choice.value = team.next
    assert app.reflection.own["what"].value == "about the late October meeting"


def test_a_fist_to_five_round_shows_results_once_three_have_answered(team):
    ana = survey_page(team, 0)
    ana.survey.instrument.value = "fist-to-five"
    ana.survey.minimum.value = 3
    button(ana.survey, "Open the survey").click()
    assert "The survey is open" in ana.status.value
    [survey] = surveys.rounds(team.member(0))
    assert (survey.instrument, survey.min_respondents, survey.meeting_id) == (
        "fist-to-five",
        3,
        team.next,
    )
    ben, chen = survey_page(team, 1), survey_page(team, 2)
    assert ben.survey.opener.layout.display == "none"  # only the facilitator opens one
    answer(ana, 4)
    answer(ben, 1)
    no_error(ana)
    no_error(ben)
    for app in (ana, ben, chen):
        app.survey.refresh()
        assert "Results show once 3" in app.survey.results.value
        assert "<table" not in app.survey.results.value
        assert "2 answered so far" in app.survey.count.value
    # a member who answered sees thanks, and no form
    assert "Thank you" in texts(ben.survey.form)
    assert find(ben.survey.form, widgets.RadioButtons) == []
    assert "Thank you" in ben.status.value and "without your name" in ben.status.value
    answer(chen, 5)
    ana.survey.refresh()
    shown = ana.survey.results.value
    assert "<table" in shown and "3.33" in shown and "Views differ widely" in shown
    assert "Results show once" not in shown
    assert "Thank you" in texts(chen.survey.form)
    # the coach sees results, no form
    coach = coach_page(team)
    coach.tabs.selected_index = SURVEY
    assert "3.33" in coach.survey.results.value
    assert find(coach.survey.form, widgets.RadioButtons) == []


def test_sending_with_nothing_chosen_gives_a_plain_message(team):
    surveys.open_round(team.member(0), "fist-to-five", "Proposal", 3, team.next)
    app = survey_page(team, 1)
    button(app.survey.form, "Send my answer").click()
    assert "Answer at least one item" in app.status.value
    assert "Traceback" not in app.status.value and UNEXPECTED not in app.status.value
    assert not surveys.has_answered(team.member(1), surveys.rounds(team.member(1))[0].id)
    assert find(app.survey.form, widgets.RadioButtons)  # the form is still there


def test_a_partial_answer_is_accepted(team):
    round_id = surveys.open_round(team.member(0), "team-health", "Health", 3, team.next)
    app = survey_page(team, 1)
    choices = find(app.survey.form, widgets.RadioButtons)
    assert len(choices) == 8
    choices[0].value, choices[3].value = 2, 5
    button(app.survey.form, "Send my answer").click()
    no_error(app)
    assert surveys.has_answered(team.member(1), round_id)
    assert surveys.get_round(team.member(0), round_id).answered == 1
    for other in (0, 2):
        surveys.answer(team.member(other), round_id, {"norms-kept": 4})
    assert {"norms-kept": 2, "said-elsewhere": 5} in surveys.results(team.member(0), round_id)


def test_a_decision_is_recorded_with_who_was_present(team):
    meetings.set_attendance(team.member(0), team.next, team.people[2].id, True)
    app = page(team, tab=DECISIONS)
    panel = app.decisions
    panel.text.value = EVIL
    panel.method.value = "vote"
    panel.result.value = "4-1"
    button(panel, "Record the decision").click()
    assert "The decision is recorded" in app.status.value
    [decision] = actions.decisions(team.member(1), team.next)
    assert (decision.text, decision.method, decision.result) == (EVIL, "vote", "4-1")
    assert decision.present == ("Chen",)
    [wording] = find(panel.decided, widgets.Textarea)  # its wording: text, never markup
    assert wording.value == EVIL
    assert "<img" not in "".join(w.value for w in find(panel.decided, widgets.HTML))
    assert "present: Chen" in texts(panel.decided)
    assert panel.text.value == ""
    button(panel, "Record the decision").click()  # blank: refused, by name
    assert "Write what was decided" in app.status.value
    assert len(actions.decisions(team.member(1))) == 1


def test_an_action_carries_into_the_next_meeting_here_and_on_the_start_page(team):
    app = page(team, tab=ACTIONS)
    app.meeting.choice.value = team.first
    add_action(app, "Reteach item 4 " + EVIL, team.people[1].id, dt.date(2026, 10, 10))
    assert "The action is on the plan" in app.status.value
    [action] = actions.actions(team.member(0))
    assert (action.meeting_id, action.owner) == (team.first, "Ben")
    assert "Nothing open from earlier meetings" in app.actions.carried.value
    app.meeting.choice.value = team.next
    carried = app.actions.carried.value
    assert "Reteach item 4 &lt;img" in carried and "<img" not in carried
    assert "(Ben, due 10 Oct)" in carried and "overdue" in carried
    # the Start page's meeting panel, which opens on the next meeting
    start = page(team, 2, app=StartHereApp, tab=2)
    shown = find(start.widget, widgets.HTML, lambda w: "collab-carried" in w._dom_classes)
    assert len(shown) == 1 and "Reteach item 4 &lt;img" in shown[0].value
    assert "<img src=x" not in texts(start.widget)
    # done: no longer carried
    actions.update_action(team.member(0), action.id, status="done")
    start.tabs.selected_index = 0
    start.tabs.selected_index = 2
    shown = find(start.widget, widgets.HTML, lambda w: "collab-carried" in w._dom_classes)
    assert "No open action from earlier meetings" in shown[0].value


def test_a_status_change_shows_in_the_history_and_overdue_is_marked(team):
    app = page(team, 1, tab=ACTIONS)
    add_action(app, "Late one", team.people[0].id, dt.date(2026, 10, 12))
    add_action(app, "On time", None, dt.date(2026, 10, 30))
    rows = app.actions.plan.children
    late, on_time = rows
    assert "Late one" in texts(late) and "overdue" in texts(late)
    assert "collab-action-overdue" in late.children[1]._dom_classes
    assert "overdue" not in texts(on_time) and "nobody yet" in texts(on_time)
    [status] = find(late, widgets.Dropdown, lambda d: d.description == "Status")
    status.value = "in progress"
    no_error(app)
    late = app.actions.plan.children[0]
    assert "overdue" in texts(late)  # still open
    button(late, "History").click()
    history = app.actions.history.value
    assert "created — Ben" in history and "status: open → in progress — Ben" in history
    [status] = find(late, widgets.Dropdown, lambda d: d.description == "Status")
    status.value = "done"
    rows = app.actions.plan.children
    assert "On time" in texts(rows[0])  # open ones first
    assert "overdue" not in texts(rows[1])


def test_the_plan_downloads_as_a_safe_csv_and_a_calendar(team):
    app = page(team, tab=ACTIONS)
    assert app.actions.exports.value == ""
    add_action(app, '=HYPERLINK("http://x","y")', team.people[2].id, dt.date(2026, 10, 30))
    add_action(app, "-5", None, dt.date(2026, 10, 1))
    add_action(app, "undated " + EVIL)
    exports = app.actions.exports.value
    text = data_uri(exports, "collab-export-csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["Action", "Owner", "Due", "Status", "Overdue"]
    by_text = {row[0]: row for row in rows[1:]}
    assert set(by_text) == {"-5", '\'=HYPERLINK("http://x","y")', "undated " + EVIL}
    assert by_text["-5"][2:5] == ["2026-10-01", "open", "yes"]
    assert by_text['\'=HYPERLINK("http://x","y")'][1] == "Chen"
    calendar = icalendar.Calendar.from_ical(data_uri(exports, "collab-export-ics"))
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"-5", '=HYPERLINK("http://x","y")'}  # dated and open only
    assert events["-5"].decoded("dtstart") == dt.date(2026, 10, 1)
    assert "download='actions.csv'" in exports and "download='actions.ics'" in exports


def test_the_record_panel_makes_a_page_of_the_meeting(team):
    meetings.set_details(team.member(0), team.next, title="Late October " + EVIL)
    reflections.save_own(team.member(0), team.next, "what", "PRIVATE-MARKER-9")
    reflections.save_synthesis(team.member(0), team.next, "what", "SHARED-MARKER-9")
    app = page(team, tab=RECORD)
    assert app.record.links.value == ""
    button(app.record, "Make the meeting record").click()
    assert "The record is ready" in app.status.value
    record = data_uri(app.record.links.value, "collab-record-html").decode("utf-8")
    assert "<h1>Late October &lt;img src=x" in record and "<img src=x" not in record
    assert "SHARED-MARKER-9" in record and "PRIVATE-MARKER-9" not in record
    markdown = data_uri(app.record.links.value, "collab-record-md").decode("utf-8")
    assert "SHARED-MARKER-9" in markdown and "PRIVATE-MARKER-9" not in markdown
    assert "download='grade-4-math-meeting-2026-10-22.html'" in app.record.links.value
    assert "<img src=x" not in texts(app.widget)


def test_without_a_meeting_the_record_and_actions_say_so_plainly(sqlite_team):
    app = page(sqlite_team, tab=RECORD)
    assert app.meeting.meeting_id is None
    button(app.record, "Make the meeting record").click()
    assert "Plan a meeting first" in app.status.value and UNEXPECTED not in app.status.value
    assert app.record.links.value == ""
    app.tabs.selected_index = ACTIONS
    add_action(app, "Something")
    assert "Plan a meeting first" in app.status.value
    assert actions.actions(sqlite_team.member(0)) == []
    app.tabs.selected_index = REFLECTION
    assert all(box.disabled for box in app.reflection.own.values())


def test_todays_meeting_walks_every_step_without_an_error(team):
    app = page(team, app=TodaysMeetingApp)
    assert app.step.value == 0 and app.back.disabled and not app.next.disabled
    assert app.meeting.meeting_id == team.next
    seen = [app.step.value]
    for _ in STEPS[1:]:
        app.next.click()
        no_error(app)
        assert app.shown_step.children, app.step.value
        seen.append(app.step.value)
        assert app.back.disabled is False
    assert seen == list(range(len(STEPS))) == list(range(7))
    assert app.next.disabled
    app.next.click()  # at the end: stays
    assert app.step.value == 6
    for expected in range(5, -1, -1):
        app.back.click()
        assert app.step.value == expected
        no_error(app)
    assert app.back.disabled and not app.next.disabled


def test_todays_meeting_opens_with_its_first_step_only_and_builds_each_step_once(team):
    """The page sends the browser the first step's widgets only (all seven were five
    hundred), and polls no live board until the protocol step is shown."""
    app = page(team, app=TodaysMeetingApp)
    assert set(app.built_steps) == {0} and app.live is None and app.survey is None
    app.step.value = 3
    live = app.live
    assert live is not None and live in app.shown_step.children
    app.step.value = 0
    app.step.value = 3
    assert app.live is live and set(app.built_steps) == {0, 3}  # kept, not built again


def test_todays_meeting_shows_what_was_typed_as_text(team):
    app = page(team, app=TodaysMeetingApp)
    app.step.value = 1
    [wins] = [p for p in app.shown_step.children if hasattr(p, "wall")]
    wins.text.value = "Win " + EVIL
    button(wins, "Post the win").click()
    no_error(app)
    assert goal_store.wins(team.member(0))[0].text == "Win " + EVIL
    assert "Win &lt;img src=x" in texts(app.widget)
    assert "<img src=x" not in texts(app.widget)
    app.step.value = 5
    app.decisions.text.value = "Decision " + EVIL
    button(app.decisions, "Record the decision").click()
    add_action(app, "Action " + EVIL, team.people[1].id, dt.date(2026, 10, 29))
    no_error(app)
    # recorded, they stay editable: in text boxes (never read as markup), and no HTML
    # part of the page carries them unescaped
    boxes = [w.value for w in find(app.widget, (widgets.Text, widgets.Textarea))]
    assert "Decision " + EVIL in boxes and "Action " + EVIL in boxes
    markup = "".join(w.value for w in find(app.widget, widgets.HTML))
    assert "<img src=x" not in markup and "<script>" not in markup
    app.step.value = 4
    app.reflection.shared["what"].value = "Synthesis " + EVIL
    flush_all()
    app.step.value = 6
    button(app.record, "Make the meeting record").click()
    no_error(app)
    record = data_uri(app.record.links.value, "collab-record-html").decode("utf-8")
    assert "Synthesis &lt;img src=x" in record and "<img src=x" not in record
    assert "Decision &lt;img src=x" in record and "Action &lt;img src=x" in record
