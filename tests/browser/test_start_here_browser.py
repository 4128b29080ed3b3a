"""The start page in a real browser against a real server: nothing mocked on this path."""

from __future__ import annotations

import json
import re
import time

import psutil
from playwright.sync_api import expect

from collab_widgets.core.codes import display
from collab_widgets.core.db import Store
from collab_widgets.team.store import members, teams

from .conftest import ServerProcess, make_demo_db

TEAM = "Grade 4 Math"


def personal(server, demo, name):
    return server.url(team=demo.team_codes[TEAM], member=demo.member_tokens[TEAM][name])


def open_tab(page, name):
    page.get_by_role("tab", name=name).click()


def test_a_norm_typed_without_leaving_the_field_survives_closing_and_a_restart(open_page, tmp_path):
    url_db, demo = make_demo_db(tmp_path)
    server = ServerProcess(url_db, tmp_path / "serve.log", pool_size=1).start()
    try:
        link = personal(server, demo, "Avery M.")
        page = open_page(link)
        open_tab(page, "Norms")
        boxes = page.locator(".collab-norm-text textarea")
        expect(boxes).to_have_count(4)
        page.get_by_role("button", name="Write our own norm").click()
        expect(boxes).to_have_count(5)
        boxes.last.click()
        typed = "We name one student win <b>each</b> week 🙂"
        boxes.last.press_sequentially(typed, delay=15)
        time.sleep(1)  # no blur, no Enter: the page is closed one second later
        page.close()

        def norm_is_there():
            again = open_page(link)
            open_tab(again, "Norms")
            expect(again.locator(".collab-norm-text textarea").last).to_have_value(typed)
            again.close()

        norm_is_there()
        server.stop()
        server = ServerProcess(
            url_db, tmp_path / "serve2.log", port=server.port, pool_size=1
        ).start()
        norm_is_there()
    finally:
        server.stop()


def test_two_pages_add_two_members_at_the_same_moment_and_both_stay(open_page, demo_server):
    server, demo = demo_server
    first = open_page(personal(server, demo, "Jordan K."))
    second = open_page(personal(server, demo, "Priya S."))
    first.locator(".collab-new-member input").fill("Kim from page one")
    second.locator(".collab-new-member input").fill("Lee from page two")
    first.get_by_role("button", name="Add to roster").click(no_wait_after=True)
    second.get_by_role("button", name="Add to roster").click(no_wait_after=True)
    expect(first.locator(".collab-roster")).to_contain_text("Kim from page one")
    expect(second.locator(".collab-roster")).to_contain_text("Lee from page two")
    third = open_page(personal(server, demo, "Mateo R."))
    roster = third.locator(".collab-roster")
    expect(roster).to_contain_text("Kim from page one")
    expect(roster).to_contain_text("Lee from page two")


def test_a_wrong_code_shows_a_message_and_no_team_data(open_page, demo_server):
    server, demo = demo_server
    page = open_page(server.url(team="ABCD-EFGH-JKMN"))
    expect(page).to_have_title("Start here — Collaboration Workbook")
    expect(page.locator(".collab-error")).to_contain_text("not known")
    body = page.locator("body").inner_text()
    for team in demo.team_codes:
        assert team not in body
    for name in demo.member_tokens[TEAM]:
        assert name not in body
    page.locator(".collab-code input").fill("WXYZ WXYZ WXYZ")
    page.get_by_role("button", name="Open").click()
    expect(page.locator(".collab-error")).to_contain_text("not known")
    page.locator(".collab-code input").fill(display(demo.team_codes[TEAM]).lower())
    page.get_by_role("button", name="Open").click()
    expect(page.locator(".collab-pick")).to_contain_text(f"Welcome to {TEAM}")


def test_a_member_named_like_html_shows_as_text_and_runs_nothing(open_page, demo_server):
    server, demo = demo_server
    evil = "<img src=x onerror=alert(1)>"
    page = open_page(personal(server, demo, "Lin W."))
    page.locator(".collab-new-member input").fill(evil)
    page.get_by_role("button", name="Add to roster").click()
    roster = page.locator(".collab-roster")
    expect(roster).to_contain_text(evil)
    assert page.locator(".collab-roster img").count() == 0
    page.reload()
    page.wait_for_selector(".collab-ready")
    expect(page.locator(".collab-roster")).to_contain_text(evil)
    assert page.locator("img[src='x']").count() == 0
    # the open_page fixture fails the test if alert() ran


def test_a_rotated_team_code_stops_the_old_link(open_page, demo_server):
    server, demo = demo_server
    # a team of its own: the shared server's demo teams keep their links for other tests
    store = Store(server.db_url)
    scope = teams.create_team(store.open_coach(demo.coach_code), "A team whose code leaked")
    code, token = teams.team_code(scope), members.add(scope, "Chris B.").token
    store.close()
    facilitator_page = open_page(server.url(coach=demo.coach_code))
    facilitator_page.get_by_title("Open A team whose code leaked as coach").click()
    facilitator_page.get_by_role("button", name="Change the team code").click()
    facilitator_page.get_by_role("button", name="Yes, change it").click()
    expect(facilitator_page.locator(".collab-ok")).to_contain_text("New team code")
    old = open_page(server.url(team=code))
    expect(old.locator(".collab-error")).to_contain_text("not known")
    assert "Chris B." not in old.locator("body").inner_text()
    collected = open_page(server.url(team=code, member=token))
    expect(collected.locator(".collab-error")).to_contain_text("not valid any more")


def test_a_name_taken_on_the_team_link_is_remembered_on_that_device(open_page, demo_server):
    server, demo = demo_server
    store = Store(server.db_url)
    coach = store.open_coach(demo.coach_code)
    members.add(coach.open_team(demo.team_codes[TEAM]), "Quinn Z.")  # not taken yet
    store.close()
    team_link = server.url(team=demo.team_codes[TEAM])
    page = open_page(team_link)
    page.locator(".collab-pick select").select_option(label="Quinn Z.")
    page.get_by_role("button", name="That's me").click()
    card = page.locator(".collab-device-card")
    expect(card).to_contain_text("The name is yours now")
    expect(card.locator(".collab-link-text")).to_contain_text("member=")
    card.get_by_role("button", name="Copy your personal link").click()
    expect(card.locator(".collab-copied")).to_have_text(re.compile("Copied|Selected"))
    # the same device opens the team link as Quinn again, on any workbook
    again = page.context.new_page()
    again.set_default_timeout(60_000)
    again.goto(team_link)
    expect(again.locator(".collab-who")).to_contain_text("You are: Quinn Z.")
    expect(again.locator(".collab-device-card")).to_contain_text("remembered you")
    # another device (a fresh browser profile) is not offered the name
    elsewhere = open_page(team_link)
    expect(elsewhere.locator(".collab-pick")).to_contain_text("Already taken")
    assert "Quinn Z." not in elsewhere.locator(".collab-pick select").inner_text()
    # a shared computer: forget the name, and the team link asks again
    again.get_by_role("button", name="Forget me on this device").click()
    expect(again.locator(".collab-pick")).to_be_visible()
    again.wait_for_function(
        "() => !Object.keys(localStorage).some(k => k.startsWith('collab-workbook:member:'))"
    )


def test_a_coach_creates_a_team_from_the_coach_link(open_page, demo_server):
    server, demo = demo_server
    page = open_page(server.url(coach=demo.coach_code))
    page.locator(".collab-new-team input").fill("Grade 6 Art ✏️")
    page.get_by_role("button", name="Create team").click()
    expect(page.locator(".collab-teams")).to_contain_text("Grade 6 Art ✏️")


def test_losing_the_server_is_said_plainly(open_page, tmp_path):
    url_db, demo = make_demo_db(tmp_path)
    server = ServerProcess(url_db, tmp_path / "serve.log", pool_size=1).start()
    try:
        page = open_page(personal(server, demo, "Avery M."))
        server.stop()
        expect(page.locator("#collab-offline")).to_contain_text("connection to the workbook")
    finally:
        server.stop()


def test_a_crashed_kernel_is_said_plainly_and_a_reload_restores_the_page(open_page, demo_server):
    server, demo = demo_server
    link = personal(server, demo, "Jordan K.")
    page = open_page(link)
    kernel_id = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    kernels = [
        p
        for p in psutil.Process(server.process.pid).children(recursive=True)
        if kernel_id in " ".join(p.cmdline())
    ]
    assert len(kernels) == 1
    kernels[0].kill()
    expect(page.locator("#collab-offline")).to_contain_text("Reload the page")
    page.get_by_role("button", name="Reload").click()
    page.wait_for_selector(".collab-ready")
    expect(page.locator(".collab-own-name input")).to_have_value("Jordan K.")
    expect(page.locator(".collab-roster")).to_contain_text("Avery M.")
    assert page.locator("#collab-offline").count() == 0


def test_the_code_goes_with_the_click_that_opens_it(browser, demo_server):
    """ipywidgets may hold a text box's newest value back while a click goes at once
    (jupyter-widgets/ipywidgets#1382), so the kernel could see the click before the code
    typed just before it: the Open button's click carries the code itself."""
    server, demo = demo_server
    context = browser.new_context()
    page = context.new_page()
    sent: list[str] = []
    page.on(
        "websocket",
        lambda socket: socket.on(
            "framesent",
            lambda payload: sent.append(
                payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
            ),
        ),
    )
    page.goto(server.url())
    page.wait_for_selector(".collab-ready")
    typed = display(demo.team_codes[TEAM]).lower()
    page.locator(".collab-code input").fill(typed)
    page.get_by_role("button", name="Open").click()
    expect(page.locator(".collab-pick")).to_contain_text(f"Welcome to {TEAM}")
    clicks = [frame for frame in sent if '"event":"click"' in frame.replace(" ", "")]
    assert any('"values"' in frame and json.dumps(typed) in frame for frame in clicks), clicks
    context.close()
