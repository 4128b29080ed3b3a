"""The goals workbook in a real Voilà page: write a goal whose baseline comes from the
demo's pre-assessment, watch the checks answer by their fields, save, edit and save a
second version, reload: both versions and the progress chart are there. Markup in the goal
shows as text, and nothing leaves the server."""

from __future__ import annotations

import datetime as dt
import re
import time

from playwright.sync_api import expect

from collab_widgets.core.db import Store
from collab_widgets.goals import store as goals
from collab_widgets.team.store import members

TEAM = "English 9"
EVIL_GROUP = "<img src=x onerror=alert(5)> our 9th graders"
SLOW_MS = 30_000


def test_a_goal_from_an_assessment_two_versions_and_its_chart_after_a_reload(
    open_page, demo_server
):
    server, demo = demo_server
    store = Store(server.db_url)
    scope = store.open_team(demo.team_codes[TEAM])
    leader = members.current_roles(scope)["facilitator"].name
    by = goals.cycles(scope)[0].ends_on - dt.timedelta(days=3)  # within the demo's cycle
    store.close()
    link = server.url(
        "03_goal_setting.ipynb",
        team=demo.team_codes[TEAM],
        member=demo.member_tokens[TEAM][leader],
    )
    page = open_page(link)
    expect(page.locator(".collab-cycle-choice select")).to_contain_text("Unit 3")
    expect(page.locator(".collab-question-must_learn textarea")).to_have_value(
        "Revising an argument paragraph from one focused piece of feedback."
    )

    page.get_by_role("tab", name="SMART goal").click()
    page.get_by_role("button", name="New goal").click()
    check = page.locator(".collab-goal-builder")
    expect(check.locator(".collab-check-group")).to_contain_text("Say which students")
    expect(check.locator(".collab-check-baseline")).to_contain_text("No baseline")
    # the baseline from the demo's pre-assessment
    page.locator(".collab-goal-measure select").select_option("average percent correct")
    page.locator(".collab-goal-source select").select_option(label="Unit 3 pre-assessment")
    page.get_by_role("button", name="Take the baseline from it").click()
    baseline = page.locator(".collab-goal-baseline input")
    expect(baseline).not_to_have_value("", timeout=SLOW_MS)
    expect(check.locator(".collab-check-baseline .collab-check")).to_have_count(0)
    level = float(baseline.input_value())
    # the checks answer by their fields as the goal is typed
    target = page.locator(".collab-goal-target input")
    target.fill("most of them")
    expect(check.locator(".collab-check-target")).to_contain_text("is not a number")
    target.fill(f"{level - 5:.0f}")
    expect(check.locator(".collab-check-target")).to_contain_text("above the baseline")
    by_date = page.locator(".collab-goal-by-date input")
    by_date.fill("2020-01-10")
    expect(check.locator(".collab-check-by-date")).to_contain_text("has passed")
    page.get_by_role("button", name="Save this version").click()
    expect(page.locator(".collab-status")).to_contain_text("above the baseline")
    target.fill(f"{min(95, level + 10):.0f}")
    by_date.fill(by.isoformat())
    page.locator(".collab-goal-group input").fill(EVIL_GROUP)
    page.locator(".collab-goal-learning-target textarea").fill(
        "writing a thesis that makes a clear claim"
    )
    expect(check.locator(".collab-check")).to_have_count(0, timeout=SLOW_MS)
    expect(page.locator(".collab-goal-statement")).to_contain_text(EVIL_GROUP)
    page.get_by_role("button", name="Save this version").click()
    expect(page.locator(".collab-status")).to_contain_text("Version 1", timeout=SLOW_MS)
    # edit: a higher target, a second version
    target.fill(f"{min(98, level + 15):.0f}")
    page.get_by_role("button", name="Save this version").click()
    expect(page.locator(".collab-status")).to_contain_text("Version 2", timeout=SLOW_MS)
    time.sleep(1)  # the draft's last keys, as in the other browser tests
    expect(page.locator(".collab-saved")).to_contain_text("changes saved", timeout=SLOW_MS)

    page.reload()
    page.wait_for_selector(".collab-ready")
    page.get_by_role("tab", name="SMART goal").click()
    expect(page.locator(".collab-goal-choice select")).to_contain_text("version 2")
    versions = page.locator(".collab-goal-versions tbody tr")
    expect(versions).to_have_count(2, timeout=SLOW_MS)
    expect(versions.first).to_contain_text(EVIL_GROUP)
    expect(page.locator(".collab-goal-comparison")).to_contain_text("Target")
    expect(page.locator(".collab-goal-group input")).to_have_value(EVIL_GROUP)
    assert page.locator("img[src='x']").count() == 0

    page.get_by_role("tab", name="Progress").click()
    page.locator(".collab-progress-goal select").select_option(index=2)
    expect(page.locator(".collab-goal-status")).to_contain_text("Not started", timeout=SLOW_MS)
    chart = page.locator(".collab-progress-chart img.collab-chart")
    expect(chart).to_be_visible(timeout=SLOW_MS)
    expect(page.locator(".collab-progress-chart .collab-alt")).to_contain_text("Baseline")
    # the demo's own goal, met, and the timeline of the cycle
    page.locator(".collab-progress-goal select").select_option(index=0)
    expect(page.locator(".collab-goal-status")).to_contain_text("Met", timeout=SLOW_MS)
    page.get_by_role("tab", name="Timeline").click()
    expect(page.locator(".collab-timeline")).to_contain_text("Goal version 2 saved")
    expect(page.locator(".collab-timeline a").first).to_have_attribute(
        "href", re.compile(r"\.ipynb\?team=")
    )
    expect(page.locator(".jp-OutputArea-output pre", has_text="Traceback")).to_have_count(0)
