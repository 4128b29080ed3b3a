"""Saving as typed, in a real browser against a real server: steady typing is stored at
least every two seconds (a kernel killed mid-sentence loses at most the last two), and
two people editing one norm never lose an edit without a word."""

from __future__ import annotations

import json
import time

from playwright.sync_api import expect

from collab_widgets.core.db import Store
from collab_widgets.team.store import members, norms, teams

TYPED = (
    "We start on time, we end on time, and we keep our phones face down while a colleague "
    "is speaking, because listening is the whole point of meeting in person"
)
KEY_DELAY_MS = 60  # a steady typist: never the 0.4 s pause that saves after typing stops


def own_team(server, demo, name: str):
    """A team of its own (the shared server's demo teams stay as other tests expect)."""
    store = Store(server.db_url)
    scope = teams.create_team(store.open_coach(demo.coach_code), name)
    people = {who: members.add(scope, who).token for who in ("Ana P.", "Ben K.")}
    norm = norms.add(scope, "time", "We start on time.")
    code = teams.team_code(scope)
    store.close()
    return code, people, norm.id


def stored_norm(server, code: str, norm_id: int) -> str:
    store = Store(server.db_url)
    try:
        return next(n.text for n in norms.norms(store.open_team(code)) if n.id == norm_id)
    finally:
        store.close()


def norms_tab(page):
    """The Norms tab, once its rows are drawn again from the store (opening a tab redraws
    it: typing into the rows it replaces would go nowhere)."""
    boxes = page.locator(".collab-norm-text textarea")
    before = boxes.first.element_handle() if boxes.count() else None
    page.get_by_role("tab", name="Norms").click()
    if before is not None:
        page.wait_for_function("box => !box.isConnected", arg=before)
    box = boxes.first
    expect(box).to_be_visible()
    return box


def test_steady_typing_is_saved_every_two_seconds_and_a_killed_kernel_loses_at_most_two(
    open_page, demo_server
):
    server, demo = demo_server
    code, people, norm_id = own_team(server, demo, "A team that types without a pause")
    page = open_page(server.url(team=code, member=people["Ana P."]))
    kernel_id = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    box = norms_tab(page)
    box.fill("")
    box.press_sequentially(TYPED, delay=KEY_DELAY_MS)  # about ten seconds without a pause
    server.kernel_processes()[kernel_id].kill()
    killed_at = time.monotonic()
    stored = stored_norm(server, code, norm_id)
    # what reached the kernel more than two seconds before it died is in the store
    unsaved_at_most = int((2.0 + 0.6) * 1000 / KEY_DELAY_MS)
    assert TYPED.startswith(stored), stored
    assert len(stored) >= len(TYPED) - unsaved_at_most, (
        f"{len(stored)} of {len(TYPED)} characters saved after "
        f"{len(TYPED) * KEY_DELAY_MS / 1000:.0f} s of steady typing"
    )
    expect(page.locator("#collab-offline")).to_contain_text("two seconds before this message")
    assert time.monotonic() - killed_at < 60


def test_two_pages_editing_one_norm_keep_both_versions_until_one_is_chosen(open_page, demo_server):
    server, demo = demo_server
    code, people, norm_id = own_team(server, demo, "A team that edits at once")
    ana = open_page(server.url(team=code, member=people["Ana P."]))
    ben = open_page(server.url(team=code, member=people["Ben K."]))
    ana_box, ben_box = norms_tab(ana), norms_tab(ben)

    ana_box.fill("We start and end on time.")
    expect(ana.locator(".collab-saved")).to_contain_text("All changes saved")
    assert stored_norm(server, code, norm_id) == "We start and end on time."

    ben_box.fill("We start on time, <b>always</b>.")  # typed over the text his page showed
    expect(ben.locator(".collab-saved")).to_contain_text("Not saved")
    expect(ben.locator(".collab-theirs")).to_contain_text("We start and end on time.")
    expect(ben_box).to_have_value("We start on time, <b>always</b>.")
    assert stored_norm(server, code, norm_id) == "We start and end on time."
    expect(ana.locator(".collab-saved")).to_contain_text("All changes saved")

    ben.get_by_role("button", name="Keep mine").click()
    expect(ben.locator(".collab-saved")).to_contain_text("All changes saved")
    expect(ben.locator(".collab-conflict")).to_be_hidden()
    assert stored_norm(server, code, norm_id) == "We start on time, <b>always</b>."

    ana_box.fill("We start and end on time, and we listen.")  # over a text now out of date
    expect(ana.locator(".collab-saved")).to_contain_text("Not saved")
    ana.get_by_role("button", name="Use theirs").click()
    expect(ana_box).to_have_value("We start on time, <b>always</b>.")
    expect(ana.locator(".collab-saved")).to_contain_text("All changes saved")
    assert stored_norm(server, code, norm_id) == "We start on time, <b>always</b>."
