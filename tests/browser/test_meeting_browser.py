"""Reflection, surveys, actions and today's meeting in real Voilà pages: two members
answer a pulse survey on their own pages and its results stay hidden until a third
answers; an action added at one meeting shows on the next meeting's agenda; the
facilitator walks today's meeting end to end and the record it makes opens with its
charts. Markup shows as text, and nothing leaves the server."""

from __future__ import annotations

import base64

from playwright.sync_api import expect

from collab_widgets.core.db import Store
from collab_widgets.instruments import store as surveys
from collab_widgets.meetings import store as meetings
from collab_widgets.team.store import members

TEAM = "Grade 7 Science"
EVIL_ACTION = "<img src=x onerror=alert(7)> Share the lab rubric"
SLOW_MS = 30_000


def _team(demo_server):
    server, demo = demo_server
    store = Store(server.db_url)
    scope = store.open_coach(demo.coach_code).open_team(demo.team_codes[TEAM])  # acts for members
    roster = members.roster(scope)
    leader = members.current_roles(scope)["facilitator"]
    every = meetings.all_meetings(scope)  # the latest date first
    return server, demo, store, scope, roster, leader, every


def _label(meeting) -> str:
    """How the meeting chooser names a meeting."""
    return f"{meeting.date:%a %d %b %Y} — {meeting.title}"


def _link(server, demo, notebook, name):
    return server.url(notebook, team=demo.team_codes[TEAM], member=demo.member_tokens[TEAM][name])


def test_a_pulse_stays_hidden_until_the_third_member_answers(open_page, demo_server):
    server, demo, store, scope, roster, leader, every = _team(demo_server)
    surveys.open_round(
        scope.as_member(leader.id), "fist-to-five", "Fist to five on the rubric", 3, every[0].id
    )
    store.close()
    pages = []
    for member in roster[:3]:
        page = open_page(_link(server, demo, "05_reflection_and_actions.ipynb", member.name))
        page.get_by_role("tab", name="Pulse survey").click()
        expect(page.locator(".collab-survey-round select")).to_contain_text(
            "Fist to five on the rubric", timeout=SLOW_MS
        )
        pages.append(page)
    for page, mark in zip(pages[:2], ("4 I support it", "5 full support"), strict=True):
        page.locator(".collab-survey-item-support").get_by_text(mark).click()
        page.get_by_role("button", name="Send my answer").click()
        expect(page.locator(".collab-survey-form")).to_contain_text("you have answered")
    for page in pages:
        expect(page.locator(".collab-survey-results")).to_contain_text(
            "Results show once 3 members have answered (2 so far)", timeout=SLOW_MS
        )
        expect(page.locator(".collab-survey-results table")).to_have_count(0)
    pages[2].locator(".collab-survey-item-support").get_by_text("3 I can live with it").click()
    pages[2].get_by_role("button", name="Send my answer").click()
    # every page follows through the change counter, without a reload
    for page in pages:
        results = page.locator(".collab-survey-results table")
        expect(results).to_contain_text("4.00", timeout=SLOW_MS)  # (4 + 5 + 3) / 3
        expect(page.locator(".collab-survey-count")).to_contain_text("3 answered")


def test_an_action_from_one_meeting_is_on_the_next_meetings_agenda(open_page, demo_server):
    server, demo, store, scope, roster, leader, every = _team(demo_server)
    past, upcoming = every[-1], meetings.next_meeting(scope)
    store.close()
    page = open_page(_link(server, demo, "05_reflection_and_actions.ipynb", leader.name))
    page.locator(".collab-meeting-choice select").select_option(label=_label(past))
    page.get_by_role("tab", name="Actions").click()
    page.locator(".collab-action-text input").fill(EVIL_ACTION)
    page.locator(".collab-action-owner select").select_option(label=roster[1].name)
    page.get_by_role("button", name="Add the action").click()
    # on the plan, its wording is a box the team can edit: a value, never markup
    page.wait_for_function(
        "typed => [...document.querySelectorAll('.collab-actions .collab-action-wording input')]"
        ".some(box => box.value === typed)",
        arg=EVIL_ACTION,
        timeout=SLOW_MS,
    )
    assert page.locator("img[src='x']").count() == 0

    start = open_page(_link(server, demo, "00_start_here.ipynb", roster[1].name))
    start.get_by_role("tab", name="Next meeting").click()
    expect(start.locator(".collab-meeting select").first).to_contain_text(
        f"{upcoming.date:%d %b %Y}", timeout=SLOW_MS
    )
    expect(start.locator(".collab-carried")).to_contain_text(EVIL_ACTION, timeout=SLOW_MS)
    expect(start.locator(".collab-carried")).to_contain_text("overdue")  # the demo's own
    assert start.locator("img[src='x']").count() == 0


def test_the_facilitator_walks_todays_meeting_and_the_record_opens(open_page, demo_server, browser):
    server, demo, store, scope, roster, leader, every = _team(demo_server)
    past = every[-1]
    store.close()
    page = open_page(_link(server, demo, "04_todays_meeting.ipynb", leader.name))
    page.locator(".collab-meeting-choice select").select_option(label=_label(past))
    body = page.locator(".collab-step-body")
    expected = (
        "Our norms",
        "Wall of wins",
        "Progress",
        "Protocol",
        "Reflection",
        "Decisions",
        "Meeting record",
    )
    for number, words in enumerate(expected):
        expect(body).to_contain_text(words, timeout=SLOW_MS)
        if number < len(expected) - 1:
            page.get_by_role("button", name="Next →").click()
    expect(page.get_by_role("button", name="Next →")).to_be_disabled()
    page.get_by_role("button", name="Make the meeting record").click()
    link = page.locator("a.collab-record-html")
    expect(link).to_be_visible(timeout=SLOW_MS)
    href = link.get_attribute("href")
    assert href.startswith("data:text/html;base64,")
    record = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
    for section in ("Attendance", "Norms check", "Wins", "Goal", "Protocol", "Decisions"):
        assert section in record
    assert "http://" not in record and "https://" not in record
    # the record opens on its own, its charts drawn from inside it
    viewer = browser.new_context()
    viewer.route("**/*", lambda route: route.abort())  # anything it fetched would fail
    shown = viewer.new_page()
    shown.set_content(record)
    images = shown.locator("img")
    assert images.count() >= 2
    widths = shown.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    assert all(w > 0 for w in widths), widths
    viewer.close()
