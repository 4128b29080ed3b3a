"""Every view of every page, as each kind of visitor sees it: the coach (their own page,
and each workbook opened on a team), a member, a visitor holding only the team link, and
a workshop participant. On each view (each tab, each tab within it, the evidence results'
sections, and each section with the last choice of each of its lists: growth against an
assessment, the groups of one teacher, a subgroup, a group of students):

- axe-core, from the pinned ``axe-playwright-python`` wheel (nothing fetched at run time),
  finds no serious or critical violation of WCAG 2.1 A/AA;
- the page's text names no developer material: a file, pandas, NaN, None, a traceback;
- on a phone (375×667), member pages and tabs neither scroll sideways nor put a control
  out of reach, and axe finds no serious or critical violation there either.

A tab built when first opened is checked once it has been built (``settle``), never
while its panel is still empty.

A failure names the page, the visitor and the view, with what was found there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from collab_widgets.core.db import Store
from collab_widgets.team import links
from collab_widgets.team.store import members
from collab_widgets.workshops.store import trainer as workshops

TEAM = "Grade 4 Math"
COMMUNITY = "10_community.ipynb"  # a school's page: opened with a school link, no team
WORKBOOKS = [notebook for notebook, _ in links.WORKBOOKS] + [
    "07_workshop_presenter.ipynb",
    COMMUNITY,
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
# What a teacher must never read on a page: words of the machinery behind it.
DEVELOPER_WORDS = re.compile(
    r"JupyterLab|\b[\w/]+\.py\b|pandas|\bNaN\b|[+-]?\bnan\b|<NA>|\bNone\b|dtype|\bnp\.|Traceback"
)
# Who opens each page: on a team's workbook, the coach (their own page), the coach on the
# team, a member, and a visitor holding only the team link; the presenter is the coach's.
# The coach's own page is one dashboard, the same on every workbook (the apps share it:
# tests/unit/test_package_shape.py), so it is walked on the first workbook only.
TEAM_PAGE_KINDS = ("coach on the team", "member", "team link only")
KINDS = {
    links.WORKBOOKS[0][0]: ("coach", *TEAM_PAGE_KINDS),
    "07_workshop_presenter.ipynb": ("coach",),
    COMMUNITY: ("school coordinator",),  # every control of the page, the principal's none
}
# Switches between a tab's sections (the evidence results' views), walked like tabs.
SECTION_SWITCHES = ".collab-results-section"
# A section's lists (compare with, whose students, break down by, which students).
SECTION_CHOICES = ".collab-results-controls select"
SETTLE_MS = 400  # a tab's refresh is one round trip to the kernel
# a tab built when first opened: until it is, its panel is empty (and would pass any check)
TABS_BUILT = (
    "() => ![...document.querySelectorAll('.collab-tab-waiting')]"
    ".some((panel) => panel.offsetParent !== null)"
)


@dataclass
class Findings:
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def check(self, page: Page, axe: Axe, where: str) -> None:
        settle(page)
        # folded parts ("About this page", "How is this calculated?") are read and checked too
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        self.checked.append(where)
        results = axe.run(page, options=AXE_OPTIONS)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                first = violation["nodes"][0]
                why = "; ".join(check["message"] for check in first["any"] + first["all"])
                self.problems.append(
                    f"{where}: axe {violation['impact']} {violation['id']} on "
                    f"{len(violation['nodes'])} element(s), e.g. {' '.join(first['target'])}: "
                    f"{why}"
                )
        text = page.locator("body").inner_text()
        for word in sorted(set(DEVELOPER_WORDS.findall(text))):
            line = next(line for line in text.splitlines() if word in line)
            self.problems.append(f"{where}: the page says {word!r}: {line.strip()[:120]!r}")


def settle(page: Page) -> None:
    """A tab just opened has been built (if it is built on opening) and drawn."""
    page.wait_for_function(TABS_BUILT, timeout=30_000)
    page.wait_for_timeout(SETTLE_MS)


def _tab_names(page: Page) -> list[str]:
    return [tab.inner_text().strip() for tab in page.get_by_role("tab").all() if tab.is_visible()]


def walk_views(page: Page, axe: Axe, findings: Findings, where: str) -> None:
    """The page as opened, then each tab in turn, and within each the tabs and sections it
    holds.

    Tabs inside a tab are the ones that appear when it is opened, so a level's tabs are
    the visible ones no higher level holds (tab names are unique on a page)."""
    findings.check(page, axe, where)

    def visit(higher: list[str], path: str) -> None:
        level = [name for name in _tab_names(page) if name not in higher]
        for name in level:
            tabs = page.get_by_role("tab", name=name, exact=True)
            tabs.filter(visible=True).first.click()
            findings.check(page, axe, f"{where} › {path}{name}")
            visit_sections(f"{where} › {path}{name}")
            if [shown for shown in _tab_names(page) if shown not in higher + level]:
                visit(higher + level, f"{path}{name} › ")

    def visit_sections(view: str) -> None:
        for switch in page.locator(SECTION_SWITCHES).all():
            if not switch.is_visible():
                continue
            visit_choices(f"{view} › {switch.get_by_role('button').first.inner_text().strip()}")
            for section in switch.get_by_role("button").all()[1:]:  # the first is shown
                label = section.inner_text().strip()
                section.click()
                findings.check(page, axe, f"{view} › {label}")
                visit_choices(f"{view} › {label}")
            switch.get_by_role("button").first.click()

    def visit_choices(view: str) -> None:
        for choice in page.locator(SECTION_CHOICES).all():
            options = choice.locator("option")
            if not choice.is_visible() or options.count() < 2:
                continue
            last = options.count() - 1
            choice.select_option(index=last)
            findings.check(page, axe, f"{view} › {options.nth(last).inner_text().strip()}")
            choice.select_option(index=0)

    visit([], "")


@pytest.fixture(scope="module")
def visitors(demo_server):
    """The addresses each kind of visitor opens a workbook with."""
    server, demo = demo_server
    store = Store(server.db_url)
    scope = store.open_team(demo.team_codes[TEAM])
    member = members.roster(scope)[1].name
    coach = store.open_coach(demo.coach_code)
    workshop_code = workshops.get(coach, workshops.create(coach, "Every view")).code
    store.close()
    team = demo.team_codes[TEAM]
    return {
        "coach": {"coach": demo.coach_code},
        "coach on the team": {"coach": demo.coach_code, "team": team},
        "member": {"team": team, "member": demo.member_tokens[TEAM][member]},
        "team link only": {"team": team},
        "workshop": workshop_code,
        "school coordinator": {"school": demo.school_codes["coordinator"]},
    }


@pytest.mark.parametrize("notebook", WORKBOOKS)
def test_every_view_is_accessible_and_shows_no_developer_material(
    notebook, open_page, demo_server, visitors
):
    server, _ = demo_server
    axe = Axe()
    findings = Findings()
    for kind in KINDS.get(notebook, TEAM_PAGE_KINDS):
        page = open_page(server.url(notebook, **visitors[kind]))
        walk_views(page, axe, findings, f"{notebook} as {kind}")
        page.close()
    assert findings.checked
    if notebook == "02_evidence_analysis.ipynb":  # the lists' choices were walked too
        chosen = [where for where in findings.checked if re.search(r"› (Growth|Groups) › ", where)]
        assert len(chosen) >= 2, findings.checked
    assert findings.problems == [], "\n".join(findings.problems)


def test_the_workshop_participants_page_is_accessible(open_page, demo_server, visitors):
    server, _ = demo_server
    axe = Axe()
    findings = Findings()
    page = open_page(f"{server.base}/workshop?code={visitors['workshop']}", wait_ready=False)
    page.wait_for_load_state("networkidle")
    findings.check(page, axe, "the workshop page, joining")
    page.set_viewport_size(PHONE)
    findings.problems += sideways(page, "the workshop page on a phone")
    assert findings.problems == [], "\n".join(findings.problems)


def test_the_community_mentors_page_is_accessible(open_page, demo_server):
    """A mentor's own page (a light page, no kernel), opened with the link of the demo
    mentor who has a mentee and a meeting logged: axe, no developer words, on a phone too."""
    server, demo = demo_server
    axe = Axe()
    findings = Findings()
    code = demo.mentor_codes["Priya Shah"]
    page = open_page(f"{server.base}/mentors#code={code}", wait_ready=False)
    page.wait_for_selector("#log-list li")
    findings.check(page, axe, "a mentor's page with their mentee and a log")
    page.set_viewport_size(PHONE)
    findings.check(page, axe, "a mentor's page on a phone")
    findings.problems += sideways(page, "a mentor's page on a phone")
    assert findings.problems == [], "\n".join(findings.problems)


PHONE = {"width": 375, "height": 667}
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = document.documentElement.scrollWidth > width;
  const cut = [...document.querySelectorAll("button, input, select, textarea, a, [role=tab]")]
    .filter((el) => el.offsetParent !== null)
    .filter((el) => { const box = el.getBoundingClientRect(); return box.right > width + 1
      || box.left < -1; })
    .map((el) => (el.innerText || el.getAttribute("aria-label") || el.tagName).slice(0, 40));
  return { wide, scrollWidth: document.documentElement.scrollWidth, width, cut };
}"""


def sideways(page: Page, where: str) -> list[str]:
    settle(page)
    found = page.evaluate(OVERFLOW)
    problems = []
    if found["wide"]:
        problems.append(f"{where}: the page is {found['scrollWidth']} px wide on a 375 px screen")
    if found["cut"]:
        problems.append(f"{where}: controls out of reach: {found['cut'][:5]}")
    return problems


@pytest.mark.parametrize("notebook", [notebook for notebook, _ in links.WORKBOOKS])
def test_on_a_phone_no_member_page_scrolls_sideways(notebook, browser, demo_server, visitors):
    server, _ = demo_server
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    problems = []
    findings, axe = Findings(), Axe()  # and axe at a phone's width too
    try:
        for kind in ("member", "team link only"):
            page = context.new_page()
            # as the open_page fixture's: the first page of a fresh server waits for its pool
            page.set_default_timeout(60_000)
            page.goto(server.url(notebook, **visitors[kind]))
            page.wait_for_selector(".collab-ready")
            problems += sideways(page, f"{notebook} as {kind}")
            findings.check(page, axe, f"{notebook} as {kind} on a phone")
            for name in _tab_names(page):
                page.get_by_role("tab", name=name, exact=True).filter(visible=True).first.click()
                problems += sideways(page, f"{notebook} as {kind} › {name}")
                findings.check(page, axe, f"{notebook} as {kind} › {name} on a phone")
            page.close()
    finally:
        context.close()
    problems += findings.problems
    assert problems == [], "\n".join(problems)
