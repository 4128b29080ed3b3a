"""A coach's dashboard in a real Voilà page: every team at a glance, filtered; a team
opened from it, and its pages as coach hold no private reflection and no student's real
name from the sample data. Nothing leaves the server."""

from __future__ import annotations

from playwright.sync_api import expect

from collab_widgets.core.db import Store
from collab_widgets.demo.sample import DEMO_FOLLOW_UP
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence_store

TEAM = "Grade 7 Science"
SLOW_MS = 30_000
OPEN_MS = 120_000


def _real_names(server, demo) -> list[str]:
    store = Store(server.db_url)
    scope = store.open_team(demo.team_codes[TEAM])
    names = []
    for info in evidence_store.assessments(scope):
        names += [n for n in saved.load(scope, info.id).students["name"] if n]
    store.close()
    return sorted(set(names))


def test_a_coach_opens_a_team_from_the_dashboard_and_sees_nothing_private(open_page, demo_server):
    server, demo = demo_server
    names = _real_names(server, demo)
    assert len(names) > 20
    page = open_page(server.url(coach=demo.coach_code))
    board = page.locator(".collab-dashboard")
    expect(board).to_contain_text(TEAM, timeout=SLOW_MS)
    expect(board).to_contain_text("at risk")
    page.get_by_label("Goal", exact=True).select_option("at risk")
    expect(board).to_contain_text(TEAM)
    expect(board).not_to_contain_text("Grade 4 Math")
    expect(page.locator(".collab-dashboard-exports a")).to_have_count(2)

    page.locator(".collab-teams > div", has_text=TEAM).get_by_role("button", name="Open").click()
    expect(page.locator(".collab-nav")).to_contain_text("Reflection and actions", timeout=SLOW_MS)
    private = DEMO_FOLLOW_UP["private"]
    for workbook, tab in (
        ("Evidence", "Results"),
        ("Reflection and actions", "Reflection"),
        ("Today's meeting", None),
    ):
        page.locator(".collab-nav a", has_text=workbook).click()
        # a kernel may start cold here: the pool is shared with the other pages
        page.wait_for_selector(".collab-ready", timeout=OPEN_MS)
        expect(page.locator(".collab-who")).to_contain_text("coach", timeout=SLOW_MS)
        if tab:
            page.get_by_role("tab", name=tab).click()
        if workbook == "Evidence":  # the views that list students: groups and growth
            section = page.locator(".collab-results-section")
            section.get_by_role("button", name="Groups", exact=True).click()
            expect(page.locator(".collab-results")).to_contain_text("Student ", timeout=SLOW_MS)
            shown = page.locator("body").inner_text()
            section.get_by_role("button", name="Growth").click()
            compare = page.get_by_label("Compare with")
            expect(compare).to_contain_text("pre-assessment", timeout=SLOW_MS)
            labels = compare.evaluate("select => [...select.options].map(o => o.text)")
            compare.select_option(label=next(t for t in labels if "pre-assessment" in t))
            expect(page.locator(".collab-results")).to_contain_text("Student ", timeout=SLOW_MS)
            shown += page.locator("body").inner_text()
        else:
            page.wait_for_timeout(1500)  # the tab's content drawn
            shown = page.locator("body").inner_text()
        assert private not in shown, workbook
        leaked = [name for name in names if name in shown]
        assert leaked == [], f"{workbook} shows real names: {leaked[:3]}"
    # the team's synthesis is for everyone, the coach too
    expect(page.locator(".collab-step-body")).to_contain_text("Norms check", timeout=SLOW_MS)
