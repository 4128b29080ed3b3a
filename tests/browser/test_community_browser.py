"""Community partnerships, against a real server with the demo school: the coordinator, on
a projector, adds a partner (its name looks like a script: it shows as text) and a mentoring
programme with it, two cleared mentors and two mentees from the demo class, has matches
suggested and confirms both, and makes one mentor's link; the mentor opens it on a phone
and logs a meeting; the coordinator adds a service project of the demo class, makes its
teams from the class's project groups and logs a team's hours; the plan's coverage chart
(its alt text) and table, and the plan report (HTML and Markdown, read from the page's
links), count the meeting and the hours. The principal's link opens the School tab with no
control that changes anything. No request leaves the server, no dialog opens.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from collab_widgets.community.store import plan as plans
from collab_widgets.core import clock
from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import ServerProcess

from .conftest import READY, TIMEOUT_MS, PageWatch, make_demo_db
from .test_every_view_browser import settle

NOTEBOOK = "10_community.ipynb"
WORKBOOKS = Path(__file__).resolve().parents[2] / "workbooks"
PROJECTOR = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ACT_MS = 20_000  # one round trip to the kernel, and the panels' redraw
PARTNER = 'Creek <script>alert("partner")</script> Makers'  # typed: text on every page
MENTORS = {"Ana Reyes": "chess", "Ben Okafor": "painting"}  # name -> their one interest
FREE_AT = "Wednesday after school"  # everyone's: shared free times are always needed
COMMUNITY = "Collaborating with the community"
HOURS = 2


@pytest.fixture(scope="module")
def community_server(tmp_path_factory):
    """A server of its own on the demo data, serving this workbook only (its kernel starts
    when the page is opened: the community page keeps none warm)."""
    folder = tmp_path_factory.mktemp("community")
    url, demo = make_demo_db(folder)
    served = folder / "workbooks"
    served.mkdir()
    shutil.copy2(WORKBOOKS / NOTEBOOK, served / NOTEBOOK)
    with ServerProcess(url, folder / "serve.log", pool_size=1, workbooks=served) as server:
        yield server, demo


def opened(browser, watch: PageWatch, url: str, viewport: dict, phone: bool = False) -> Page:
    """A page in a context of its own, watched; the address asked for, not waited on (a
    community page's kernel starts on opening: the test works on while it does)."""
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    context.route("**/*", watch.route)
    page = context.new_page()
    page.on("dialog", watch.dialog)
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url, wait_until="commit")
    return page


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    settle(page)


def press(where: Locator, name: str) -> None:
    """The button ``.collab-btn-<name>`` in ``where`` (a form's button wraps a <button>)."""
    found = where.locator(f".collab-btn-{name}").filter(visible=True).first
    inner = found.locator("button")
    (inner.first if inner.count() else found).click()


def done(page: Page, said: str) -> None:
    """The page's status line says ``said`` (on a plain error instead, the failure shows it)."""
    status = page.locator(".collab-app > .collab-status").first
    expect(status).to_contain_text(said, timeout=ACT_MS)


def baseline(server, code: str):
    store = Store(server.db_url)
    try:
        scope = store.open_school(code)
        plan_id = plans.plans(scope)[0].id
        view = plans.school_view(scope, plan_id)
        line = next(c for c in view.coverage if c.involvement == plans.COMMUNITY)
        return plan_id, line.done, dict(line.sources), view.service_hours
    finally:
        store.close()


CHANGING = ".collab-app input, .collab-app textarea, .collab-app button, .collab-app [role=button]"


def changing(page: Page) -> list[str]:
    """The visible controls of a page that could change something (a list that chooses
    what is shown is not one)."""
    found = page.locator(CHANGING).filter(visible=True)
    return [c.evaluate("e => e.outerHTML.slice(0, 80)") for c in found.all()]


def report_texts(page: Page) -> tuple[str, str]:
    """The plan report's HTML and Markdown, from the page's download links (data: URIs)."""
    found = []
    for css in ("collab-plan-report-html", "collab-plan-report-md"):
        link = page.locator(f"a.{css}")
        expect(link).to_be_visible(timeout=ACT_MS)
        href = link.get_attribute("href")
        assert href.startswith("data:") and ";base64," in href, href[:80]
        found.append(base64.b64decode(href.split(",", 1)[1]).decode("utf-8"))
    return found[0], found[1]


def test_a_coordinator_matches_mentees_a_mentor_logs_on_a_phone_and_the_plan_counts_it(
    community_server, browser
):
    server, demo = community_server
    watch = PageWatch()
    coordinator_code = demo.school_codes["coordinator"]
    plan_id, done_before, sources_before, hours_before = baseline(server, coordinator_code)
    today = clock.get_clock().today()  # the server's (the tests' clock: conftest.py)

    page = opened(browser, watch, server.url(NOTEBOOK, school=coordinator_code), PROJECTOR)
    # the principal's page starts its own kernel meanwhile
    principal = opened(
        browser, watch, server.url(NOTEBOOK, school=demo.school_codes["principal"]), PROJECTOR
    )
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)

    # --- a partner, whose name looks like markup ------------------------------------------
    tab(page, "Partners")
    adding = page.locator(".collab-community-partner-add")
    adding.get_by_label("Name").fill(PARTNER)
    adding.get_by_label("Mentors").check()
    press(adding, "add-partner")
    done(page, "is in the directory")
    directory = page.locator(".collab-community-partner-table")
    expect(directory).to_contain_text(PARTNER)  # as typed, never as markup
    assert page.locator(".collab-app script").count() == 0

    # --- a mentoring programme with the partner, two mentors, two mentees -------------------
    tab(page, "Mentoring")
    panel = page.locator(".collab-community-mentoring-tab")
    form = panel.locator(".collab-community-programme-add")
    form.get_by_role("textbox", name="Name").fill("Reading pals")
    form.get_by_label("Partner").select_option(label=PARTNER)
    press(form, "add-programme")
    done(page, "The programme is started")
    expect(panel).to_contain_text(f"with {PARTNER}")

    mentor_form = panel.locator(".collab-community-mentor-add")
    for name, interest in MENTORS.items():
        mentor_form.get_by_label("Mentor's name").fill(name)
        mentor_form.get_by_label("Mentor's interests").fill(interest)
        mentor_form.get_by_label(FREE_AT).check()
        mentor_form.get_by_label("English").check()
        mentor_form.get_by_label("Cleared on").fill(f"{today - dt.timedelta(days=30)}")
        mentor_form.get_by_label("Expires on").fill(f"{today + dt.timedelta(days=365)}")
        mentor_form.get_by_role("textbox", name="Verified by").fill("Front office")
        press(mentor_form, "add-mentor")
        expect(panel.locator(".collab-community-mentor-table")).to_contain_text(
            name, timeout=ACT_MS
        )
        done(page, "The mentor is added")

    mentee_form = panel.locator(".collab-community-mentee-add")
    student = mentee_form.get_by_label("Student")
    # two of the demo class (not the demo programme's mentees, its first two)
    labels = [o.inner_text() for o in student.locator("option").all()]
    mentees = {}
    for interest, label in zip(MENTORS.values(), labels[4:6], strict=True):
        student.select_option(label=label)
        mentee_form.get_by_label("Mentee's interests").fill(interest)
        mentee_form.get_by_label(FREE_AT).check()
        mentee_form.get_by_label("English").check()
        press(mentee_form, "add-mentee")
        pseudonym = re.split(r"\s·\s", label)[0]  # the options' spaces are no-break ones
        pseudonym = pseudonym.replace("\xa0", " ")
        expect(panel.locator(".collab-community-mentee-table")).to_contain_text(
            pseudonym, timeout=ACT_MS
        )
        mentees[interest] = pseudonym

    press(panel, "suggest-matches")
    suggestions = panel.locator(".collab-community-suggestion")
    expect(suggestions).to_have_count(2, timeout=ACT_MS)
    for left in (1, 0):
        press(suggestions.first, "confirm-match")
        expect(suggestions).to_have_count(left, timeout=ACT_MS)
    matches = panel.locator(".collab-community-match-table tbody tr")
    expect(matches).to_have_count(2, timeout=ACT_MS)
    for name, interest in MENTORS.items():  # each with the mentee who shares the interest
        expect(matches.filter(has_text=name)).to_contain_text(mentees[interest])

    # --- the first mentor's link, read from the page ---------------------------------------
    first = next(iter(MENTORS))
    mentor_form.get_by_role("combobox", name="Mentor").select_option(label=first)
    press(mentor_form, "mentor-link")
    press(mentor_form, "confirm-mentor-link")
    shown = mentor_form.locator(".collab-link-text")
    expect(shown).to_contain_text("#code=", timeout=ACT_MS)
    link = shown.inner_text().strip()
    assert link.startswith(f"{server.base}/mentors#code="), link

    # --- the mentor logs a meeting on a phone ---------------------------------------------
    phone = opened(browser, watch, link, PHONE, phone=True)
    expect(phone.locator("#mentor")).to_be_visible(timeout=ACT_MS)
    expect(phone.locator("#heading")).to_have_text(f"Hello, {first}")
    mentee_line = phone.locator("#mentee-line").inner_text()
    assert mentee_line.strip() and mentees[MENTORS[first]] not in mentee_line
    assert "#code" not in phone.url  # the code left the address bar
    phone.get_by_label("Date you met").fill(f"{today}")
    phone.get_by_label("Minutes together").fill("40")
    phone.get_by_label("What we did").fill("Opened a chess book together")
    phone.locator("#check-in-choices input[type=radio]").first.check()
    phone.get_by_role("button", name="Save the log").click()
    expect(phone.locator("#status")).to_contain_text("Saved", timeout=ACT_MS)
    expect(phone.locator("#log-list > li")).to_have_count(1)
    expect(phone.locator("#log-list")).to_contain_text("Opened a chess book together")
    phone.context.close()

    # --- a service project of the demo class, teams from its groups, a team's hours ---------
    tab(page, "Service & careers")
    panel = page.locator(".collab-community-projects-tab")
    form = panel.locator(".collab-community-project-add")
    form.get_by_label("Title").fill("Creek clean-up")
    form.get_by_label("Partner").select_option(label=PARTNER)
    form.get_by_label("Curriculum").fill("4-ESS3-2: reduce the impact of natural processes")
    press(form, "add-project")
    done(page, "The project is added")
    project = panel.locator(".collab-community-project-card")
    groups = project.get_by_label("Groups")
    grouping = next(
        found
        for found in (o.inner_text().replace("\xa0", " ") for o in groups.locator("option").all())
        if found.startswith("Project teams (")
    )
    groups.select_option(label=grouping)
    groups_made = int(re.search(r"\((\d+) groups\)", grouping)[1])
    press(project, "make-teams")
    done(page, f"{groups_made} teams are made")
    expect(project.locator(".collab-community-team-table tbody tr")).to_have_count(groups_made)
    project.get_by_label("Hours", exact=True).fill(str(HOURS))
    project.get_by_label("What", exact=True).fill("Picked up litter along the creek")
    press(project, "log-hours")
    done(page, "The hours are logged")

    # --- the plan counts the meeting and the hours ------------------------------------------
    tab(page, "Plan")
    panel = page.locator(".collab-community-plan-tab")
    chart = panel.locator("img.collab-chart")
    expect(chart).to_have_attribute(
        "alt", re.compile(f"{COMMUNITY}: \\d+ planned \\(\\d+ happened\\), {done_before + 2} done")
    )
    sources = dict(sources_before)
    sources[plans.MENTORING] = sources.get(plans.MENTORING, 0) + 1
    sources[plans.SERVICE] = sources.get(plans.SERVICE, 0) + 1
    coverage_row = panel.locator(".collab-community-coverage-table tr").filter(has_text=COMMUNITY)
    for source, count in sources.items():
        expect(coverage_row).to_contain_text(f"{source}: {count}")

    press(panel, "make-plan-report")
    done(page, "The plan report is ready")
    report_html, report_md = report_texts(page)
    meetings = sources[plans.MENTORING]
    assert re.search(
        f"Mentoring meetings logged in the plan's dates:</span> {meetings}\\b", report_html
    )
    assert f"**Mentoring meetings logged in the plan's dates:** {meetings}" in report_md
    store = Store(server.db_url)
    try:
        hours_now = plans.school_view(store.open_school(coordinator_code), plan_id).service_hours
    finally:
        store.close()
    added = hours_now - hours_before
    assert added > 0 and added % HOURS == 0, (hours_before, hours_now)  # hours × a team's students
    said = re.search(r"Hours of service \(student-hours\):</span> ([\d.,]+)", report_html)
    assert said and float(said[1].replace(",", "")) == hours_now, said
    assert re.search(
        f"{COMMUNITY}: \\d+ planned \\(\\d+ happened\\), {done_before + 2} done", report_md
    )
    # the partner's name, escaped in both
    assert "&lt;script&gt;" in report_html and "<script" not in report_html
    assert "\\<script\\>" in report_md and not re.search(r"(?<!\\)<script", report_md)

    # --- the principal reads the School tab, with nothing to change ---------------------------
    principal.wait_for_selector(READY, timeout=TIMEOUT_MS)
    school = principal.locator(".collab-community-school-tab")
    expect(school).to_be_visible()
    expect(school).to_contain_text("only the coordinator's link changes them")
    expect(school.locator(".collab-community-school-table")).to_contain_text(
        "Mentoring matches open"
    )
    assert changing(principal) == []
    # nor on a tab where the coordinator has forms: the lists that choose what is shown only
    tab(principal, "Mentoring")
    assert changing(principal) == []
    chooses = principal.locator(".collab-app select").filter(visible=True)
    assert {c.evaluate("e => e.labels[0]?.textContent") for c in chooses.all()} <= {
        "Programme",
        "Match",
    }

    for context in {p.context for p in (page, principal)}:
        context.close()
    assert watch.external == [], f"requests left the server: {watch.external}"
    assert watch.dialogs == [], f"a dialog opened (user text ran as code?): {watch.dialogs}"
