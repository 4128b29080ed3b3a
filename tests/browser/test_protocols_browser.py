"""A protocol run live on two members' own pages, against a real server: nothing mocked.

The facilitator and another member of the demo's Grade 4 Math team each open their
personal link in a separate browser context. Every change reaches the other page only
through the server, the store and the other kernel's polling.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from .conftest import protocol_links

TEAM = "Grade 4 Math"
LIVE_MS = 15_000  # one-second polling, plus a busy two-core machine
EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)> 40% on item 4"


@pytest.fixture(scope="module")
def meeting(tmp_path_factory):
    """The personal links of the team's facilitator and of another member, on a server
    of its own."""
    with protocol_links(tmp_path_factory.mktemp("protocols"), TEAM, others=1) as links:
        yield links


def header(page):
    return page.locator(".collab-run .collab-step-title")


def next_step(page, title):
    page.get_by_role("button", name="Next step ▶").click()
    expect(header(page)).to_contain_text(title, timeout=LIVE_MS)


def add_note(page, text, key_by_key=False):
    """ "New note", then type into the new box (the newest of the page's own): it is
    saved as typed, with no button to press."""
    boxes = page.locator(".collab-board-own textarea")
    before = boxes.count()
    page.get_by_role("button", name="New note").click()
    expect(boxes).to_have_count(before + 1, timeout=LIVE_MS)
    if key_by_key:
        boxes.last.press_sequentially(text, delay=10)
    else:
        boxes.last.fill(text)


def note_row(page, text):
    return page.locator(".collab-board-card", has_text=text)


def test_a_protocol_runs_live_on_two_members_pages(open_page, meeting):
    leader_link, member_link = meeting
    leader = open_page(leader_link)
    member = open_page(member_link)
    expect(member.locator(".collab-live")).to_contain_text("No protocol is running")
    expect(member.locator(".collab-setup")).to_have_count(0)

    # The facilitator starts; the member's page follows by polling.
    leader.locator(".collab-protocol-choice select").select_option(label="Looking at data (58 min)")
    leader.get_by_role("button", name="Start the protocol").click()
    expect(header(leader)).to_contain_text("Step 1 of 9", timeout=LIVE_MS)
    expect(header(member)).to_contain_text("Step 1 of 9", timeout=LIVE_MS)
    expect(member.locator(".collab-countdown")).to_contain_text("left")

    # The member has no way to move the protocol on.
    expect(member.get_by_role("button", name="Next step ▶")).to_have_count(0)
    expect(member.locator(".collab-run-controls")).to_contain_text("leads the steps")

    next_step(leader, "Look in silence")
    expect(member.locator(".collab-silent")).to_contain_text("Everyone works in silence")
    next_step(leader, "Describe")
    expect(header(member)).to_contain_text("Describe", timeout=LIVE_MS)

    # A note typed on one page appears on the other, as text. Typing is saved as typed:
    # the member's page is reloaded one second after the last key, still in the field.
    add_note(leader, "Items 1-3 above 85%")
    add_note(member, EVIL, key_by_key=True)
    time.sleep(1)
    member.reload()
    member.wait_for_selector(".collab-ready")
    # A reload keeps the notes and the current step.
    expect(header(member)).to_contain_text("Step 3 of 9: Describe", timeout=LIVE_MS)
    expect(member.locator(".collab-board-own textarea")).to_have_value(EVIL)
    expect(member.locator(".collab-board")).to_contain_text("Items 1-3 above 85%")
    expect(leader.locator(".collab-board")).to_contain_text(EVIL, timeout=LIVE_MS)
    for page in (leader, member):
        assert page.locator(".collab-board img").count() == 0
        assert page.locator(".collab-board script").count() == 0

    # A dot vote: three dots each on the proposed next steps.
    for title in ("Interpret", "Implications for teaching", "Propose next steps"):
        next_step(leader, title)
    expect(header(member)).to_contain_text("Propose next steps", timeout=LIVE_MS)
    add_note(member, "Reteach item 4 in small groups")
    add_note(leader, "Exit ticket on Friday")
    expect(leader.locator(".collab-board")).to_contain_text("Reteach item 4", timeout=LIVE_MS)
    next_step(leader, "Choose what to try")
    expect(member.locator(".collab-board")).to_contain_text(
        "Exit ticket on Friday", timeout=LIVE_MS
    )
    for _ in range(3):
        note_row(leader, "Reteach item 4").get_by_role("button", name="+ dot on").click()
        expect(leader.locator(".collab-board")).to_be_visible()
    expect(leader.locator(".collab-step-input")).to_contain_text("0 of 3 dots left")
    for target in ("Reteach item 4", "Exit ticket", "Exit ticket"):
        note_row(member, target).get_by_role("button", name="+ dot on").click()
        expect(member.locator(".collab-board")).to_be_visible()
    expect(member.locator(".collab-step-input")).to_contain_text("0 of 3 dots left")
    expect(leader.locator(".collab-step-input")).to_contain_text(
        "2 members have voted", timeout=LIVE_MS
    )
    dots = ".collab-board-card .collab-board-dots"
    expect(member.locator(dots, has_text="Rank")).to_have_count(0)  # no totals while open
    leader.get_by_role("button", name="Close voting and show results").click()
    for page in (leader, member):
        ranked = page.locator(".collab-board-card")
        expect(ranked.first).to_contain_text("Reteach item 4", timeout=LIVE_MS)  # most first
        expect(ranked.first.locator(".collab-board-dots")).to_have_text("Rank 1 · 4 dots")
        expect(note_row(page, "Exit ticket on Friday").locator(".collab-board-dots")).to_have_text(
            "Rank 2 · 2 dots"
        )
    # the open_page fixture fails the test on any dialog or request leaving the server
