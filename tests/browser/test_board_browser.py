"""The live board as a board, on two members' own pages against a real server.

Ben and Chen of the demo's Grade 4 Math team each open their personal link; the team's
facilitator runs "Looking at data" from theirs. A card dragged onto another on
Ben's page is grouped on Chen's; a card moved from the keyboard, a renamed group, and a
dot vote done with the keyboard alone, all through the server and the other kernel's
polling. axe checks the board in each of its modes.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import protocol_links
from .test_every_view_browser import Findings

TEAM = "Grade 4 Math"
LIVE_MS = 15_000  # one-second polling, plus a busy two-core machine
EVIL = "<img src=x onerror=alert(1)> fractions"


@pytest.fixture(scope="module")
def team_links(tmp_path_factory):
    """The facilitator's link and two other members' links, on a server of its own."""
    with protocol_links(tmp_path_factory.mktemp("board"), TEAM, others=2) as links:
        yield links


def step_title(page: Page):
    return page.locator(".collab-run .collab-step-title")


def next_step(page: Page, title: str) -> None:
    page.get_by_role("button", name="Next step ▶").click()
    expect(step_title(page)).to_contain_text(title, timeout=LIVE_MS)


def write(page: Page, text: str) -> None:
    """ "New note", then type into the new card: saved as typed."""
    own = page.locator(".collab-board-own textarea")
    before = own.count()
    page.get_by_role("button", name="New note").click()
    expect(own).to_have_count(before + 1, timeout=LIVE_MS)
    expect(own.last).to_be_focused()  # the new card takes the keys at once
    page.keyboard.type(text, delay=5)


def card(page: Page, text: str):
    return page.locator(".collab-board-card", has_text=text)


def column(page: Page, title: str):
    return page.locator(".collab-board-column", has=page.locator("h4", has_text=title))


def test_two_members_sort_a_board_by_dragging_and_vote_by_keyboard(open_page, team_links):
    leader_link, ben_link, chen_link = team_links
    leader, ben, chen = open_page(leader_link), open_page(ben_link), open_page(chen_link)
    findings, axe = Findings(), Axe()

    leader.locator(".collab-protocol-choice select").select_option(label="Looking at data (58 min)")
    leader.get_by_role("button", name="Start the protocol").click()
    for title in ("Look in silence", "Describe"):
        next_step(leader, title)
    for page in (ben, chen):
        expect(step_title(page)).to_contain_text("Describe", timeout=LIVE_MS)

    # cards written in place on each page; a teammate's card arrives while one is typed
    write(ben, "Item 4: many chose 3/4")
    write(chen, EVIL)
    own = ben.locator(".collab-board-own textarea")
    own.first.click()
    own.first.press("End")
    own.first.press_sequentially(" and 2/3", delay=5)
    expect(card(ben, "fractions")).to_have_count(1, timeout=LIVE_MS)  # Chen's, arrived
    write(chen, "Word problems were skipped")
    expect(card(ben, "Word problems")).to_have_count(1, timeout=LIVE_MS)
    # the card being typed in kept its text and the focus through the redraws
    expect(own.first).to_have_value("Item 4: many chose 3/4 and 2/3")
    assert ben.evaluate("document.activeElement.classList.contains('collab-board-text')")
    expect(card(chen, "and 2/3")).to_have_count(1, timeout=LIVE_MS)
    findings.check(chen, axe, "the board, writing")
    assert ben.locator("img[src='x']").count() == 0 and chen.locator("img[src='x']").count() == 0

    # Ben types a new card while Chen moves a card above it into a new group, from the
    # keyboard: Ben's card keeps the focus and every key
    write(ben, "Half left item 9")
    chens = chen.locator(".collab-board-own", has=chen.locator("textarea")).nth(1)
    chens.locator("select.collab-board-move").select_option(label="A new group")
    chens.get_by_role("button", name="Move to the chosen group").press("Enter")
    expect(column(ben, "Group 1 (1)")).to_have_count(1, timeout=LIVE_MS)
    # the moved card's Move button keeps the focus in its new column
    moved = column(chen, "Group 1 (1)").get_by_role("button", name="Move to the chosen group")
    expect(moved).to_be_focused(timeout=LIVE_MS)
    ben.keyboard.type(" blank", delay=5)
    expect(own.last).to_have_value("Half left item 9 blank")
    expect(own.last).to_be_focused()

    # Ben drags Chen's card onto his first: both are in a new group on Chen's page too
    card(ben, "fractions").locator(".collab-board-handle").drag_to(own.first)
    group = column(chen, "Group 2")
    expect(group.locator(".collab-board-card")).to_have_count(2, timeout=LIVE_MS)
    expect(group).to_contain_text("and 2/3")
    expect(group.locator(".collab-board-own textarea")).to_have_value(EVIL)  # Chen's own

    # Chen names the group; Ben sees the name
    group.locator(".collab-board-rename").fill("Fractions")
    group.locator(".collab-board-rename").press("Enter")
    expect(column(ben, "Fractions (2)")).to_have_count(1, timeout=LIVE_MS)
    renamed = column(chen, "Fractions (2)").locator(".collab-board-rename")
    expect(renamed).to_be_focused()  # the column stayed where it was, with the focus

    # from the keyboard: the card's group list and its Move button
    words = card(ben, "Word problems")
    words.locator("select.collab-board-move").select_option(label="Fractions")
    words.get_by_role("button", name="Move to the chosen group").focus()
    ben.keyboard.press("Enter")
    expect(column(chen, "Fractions (3)")).to_have_count(1, timeout=LIVE_MS)
    # dragged into a column: back to the ungrouped pile
    handle = card(chen, "and 2/3").locator(".collab-board-handle")
    handle.drag_to(column(chen, "Not grouped yet").locator("h4"))  # the column, not a card
    expect(column(ben, "Fractions (2)")).to_have_count(1, timeout=LIVE_MS)
    pile = column(ben, "Not grouped yet")
    expect(pile.locator("h4")).to_have_text("Not grouped yet (2)")
    expect(pile.locator(".collab-board-own")).to_have_count(2)
    expect(column(ben, "Group 1")).to_have_count(0)  # emptied: gone
    findings.check(ben, axe, "the board, grouped")

    # a dot vote on the next steps, with the keyboard alone
    for title in ("Interpret", "Implications for teaching", "Propose next steps"):
        next_step(leader, title)
    expect(step_title(ben)).to_contain_text("Propose next steps", timeout=LIVE_MS)
    write(ben, "Reteach item 4 in small groups")
    # Chen writes once her page shows this step's board (Ben's card on it): a note begun
    # on the board of the step before goes to that step
    expect(card(chen, "Reteach item 4")).to_have_count(1, timeout=LIVE_MS)
    write(chen, "Exit ticket on Friday")
    expect(card(leader, "Exit ticket")).to_have_count(1, timeout=LIVE_MS)
    next_step(leader, "Choose what to try")
    expect(card(ben, "Exit ticket")).to_have_count(1, timeout=LIVE_MS)
    expect(ben.get_by_role("button", name="New note")).to_be_hidden()  # choices are set
    plus = ben.get_by_role("button", name="+ dot on: Reteach item 4")
    plus.focus()
    for _ in range(2):
        ben.keyboard.press("Enter")
        ben.wait_for_timeout(300)
    dots = card(ben, "Reteach").locator(".collab-board-dots")
    expect(dots.locator("[aria-hidden=true]")).to_have_text("●●", timeout=LIVE_MS)
    expect(dots).to_contain_text("Your dots: 2")  # what a screen reader says
    ben.keyboard.press("Tab")  # on to "− dot" of the same card, then the next card's "+ dot"
    ben.keyboard.press("Tab")
    expect(ben.get_by_role("button", name="+ dot on: Exit ticket")).to_be_focused()
    ben.keyboard.press("Space")
    expect(ben.locator(".collab-board-status")).to_contain_text("0 of 3 dots left", timeout=LIVE_MS)
    spent = ben.get_by_role("button", name="+ dot on: Exit ticket")
    expect(spent).to_have_attribute("aria-disabled", "true")  # refused, and keeps the focus
    expect(spent).to_be_focused()
    spent.press("Enter")  # no dot is left to put
    expect(ben.locator(".collab-board-status")).to_contain_text("0 of 3 dots left")
    findings.check(ben, axe, "the dot vote, voting")

    leader.get_by_role("button", name="Close voting and show results").click()
    ranked = chen.locator(".collab-board-card")
    expect(ranked.first).to_contain_text("Reteach item 4", timeout=LIVE_MS)
    expect(ranked.first.locator(".collab-board-dots")).to_have_text("Rank 1 · 2 dots")
    expect(ranked.nth(1).locator(".collab-board-dots")).to_have_text("Rank 2 · 1 dot")
    findings.check(chen, axe, "the dot vote, ranked")
    assert findings.problems == [], "\n".join(findings.problems)
