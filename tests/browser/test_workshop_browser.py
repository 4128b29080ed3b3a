"""Workshop mode in a real server: the presenter's Voilà page and three participants on
the light workshop page. Participants join with the code (one anonymously), answer a
multiple choice and a word prompt, and the answers appear in the presenter's live
aggregate without a reload; revealing the results shows them on participants' pages.
Markup typed by the trainer or a participant shows as text, nothing leaves the server,
and a page stops asking the server once its participant left or the workshop ended."""

from __future__ import annotations

from playwright.sync_api import expect

from collab_widgets.core.db import Store
from collab_widgets.workshops.store import trainer as workshops

SLOW_MS = 30_000
EVIL_PROMPT = "<img src=x onerror=alert(1)> Which protocol next?"
EVIL_NAME = "<script>alert(2)</script>Kim"


def _workshop(server, demo) -> tuple[int, str]:
    store = Store(server.db_url)
    coach = store.open_coach(demo.coach_code)
    workshop_id = workshops.create(coach, "Browser workshop")
    workshops.add_prompt(coach, workshop_id, "choice", EVIL_PROMPT, ("Chalk talk", "Tuning"))
    workshops.add_prompt(coach, workshop_id, "word", "One word for today")
    code = workshops.get(coach, workshop_id).code
    store.close()
    return workshop_id, code


def test_three_participants_answers_appear_on_the_presenter_page(open_page, demo_server):
    server, demo = demo_server
    workshop_id, code = _workshop(server, demo)
    presenter = open_page(server.url("07_workshop_presenter.ipynb", coach=demo.coach_code))
    expect(presenter.locator(".collab-ws-choice select")).to_contain_text("Browser workshop")
    presenter.get_by_role("tab", name="Present").click()
    presenter.get_by_role("button", name="Next →").click()
    expect(presenter.locator(".collab-ws-prompt")).to_have_text(EVIL_PROMPT)  # as text
    participants = []
    for name in ("Ana", EVIL_NAME, ""):
        if name:  # the link on the big screen, with the code in it
            page = open_page(f"{server.base}/workshop?code={code}")
            expect(page.get_by_label("Code")).to_have_value(code)
        else:  # the short address, the code typed
            page = open_page(f"{server.base}/workshop")
            page.get_by_label("Code").fill(code.lower())
        page.get_by_label("Your name").fill(name)
        page.get_by_role("button", name="Join").click()
        expect(page.locator(".collab-ws-prompt")).to_have_text(EVIL_PROMPT, timeout=SLOW_MS)
        participants.append(page)
    expect(participants[1].locator(".collab-who")).to_have_text(f"You are: {EVIL_NAME}")
    expect(participants[2].locator(".collab-who")).to_have_text("You are: anonymous")
    for page, pick in zip(participants, ("Tuning", "Tuning", "Chalk talk"), strict=True):
        page.locator(".collab-ws-answer").get_by_text(pick).click()
        expect(page.locator(".collab-saved")).to_contain_text("saved")
    # the presenter's page follows through the change counter, without a reload
    expect(presenter.locator(".collab-ws-answered")).to_contain_text(
        "3 of 3 have answered", timeout=SLOW_MS
    )
    counts = presenter.locator(".collab-ws-live .collab-bar-count")
    expect(counts).to_have_text(["1", "2"])
    expect(participants[0].locator(".collab-ws-results")).to_have_count(0)  # not revealed
    presenter.get_by_role("button", name="Show results to the room").click()
    for page in participants:
        expect(page.locator(".collab-ws-results .collab-bar-count")).to_have_text(
            ["1", "2"], timeout=SLOW_MS
        )
    presenter.get_by_role("button", name="Next →").click()
    for page, word in zip(participants, ("Curious", "curious!", "Tired"), strict=True):
        expect(page.locator(".collab-ws-prompt")).to_have_text(
            "One word for today", timeout=SLOW_MS
        )
        page.get_by_label("Your answer").press_sequentially(word)
    # reloaded at once, before the pause that saves typing: the closing page sends it, and
    # the reloaded one finds its place (joining put the typed code in the address)
    participants[2].reload()
    expect(participants[2].get_by_label("Your answer")).to_have_value("Tired")
    expect(participants[2].locator(".collab-who")).to_have_text("You are: anonymous")
    expect(presenter.locator(".collab-ws-live")).to_contain_text("curious", timeout=SLOW_MS)
    expect(presenter.locator(".collab-ws-answered")).to_contain_text(
        "3 of 3 have answered", timeout=SLOW_MS
    )
    expect(presenter.locator(".collab-ws-live .collab-bar-count").first).to_have_text("2")
    # had the closing page's last save not landed before the reloaded page read the room,
    # the reloaded page puts back what the closing page kept, and saves it again
    store = Store(server.db_url)
    word_prompt = workshops.get(store.open_coach(demo.coach_code), workshop_id).current.id
    store.close()
    participants[2].evaluate(
        "kept => sessionStorage.setItem('collab-workshop-typing', JSON.stringify(kept))",
        {"prompt": word_prompt, "value": "Sleepy"},
    )
    participants[2].reload()
    expect(participants[2].get_by_label("Your answer")).to_have_value("Sleepy")
    expect(presenter.locator(".collab-ws-live")).to_contain_text("sleepy", timeout=SLOW_MS)
    # Ana leaves: her page stops asking the server
    asked = _room_requests(participants[0])
    participants[0].get_by_role("button", name="Leave").click()
    expect(participants[0].get_by_text("You have left the workshop")).to_be_visible()
    after_leaving = len(asked)
    participants[0].wait_for_timeout(2500)
    assert len(asked) == after_leaving
    presenter.get_by_role("button", name="End workshop").click()
    presenter.get_by_role("button", name="Yes, end it").click()
    still_there = participants[1:]
    asked = [_room_requests(page) for page in still_there]
    for page in still_there:
        expect(page.locator(".collab-ws-state")).to_have_text(
            "The workshop has ended.", timeout=SLOW_MS
        )
        expect(page.get_by_role("button", name="Leave")).to_be_hidden()
    counts = [len(requests) for requests in asked]
    still_there[0].wait_for_timeout(2500)  # more than two poll intervals
    assert [len(requests) for requests in asked] == counts


def _room_requests(page) -> list[str]:
    """The page's polls of the workshop, as they are made from now on."""
    made: list[str] = []

    def seen(request) -> None:
        if "workshop/api/room" in request.url:
            made.append(request.url)

    page.on("request", seen)
    return made
