"""Students together, against a real server with the demo data: a teacher makes a class
from a saved assessment, makes balanced groups, moves a student on the board from the
keyboard, saves the groups and prints group cards (names only) and student cards; three
students of one group sign in on phone-sized pages with the class code and their cards
and rate their team; the teacher sees them answer, sees the flags, and releases the
feedback; a student's page then shows their own feedback and no other student beyond
their teammates. The students' page passes axe on a phone and makes no outside request.
"""

from __future__ import annotations

import base64
import html
import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from collab_widgets.core.serving.process import ServerProcess

from .conftest import TIMEOUT_MS, PageWatch, make_demo_db
from .test_every_view_browser import Findings, settle, sideways

TEAM = "Grade 4 Math"
NOTEBOOK = "08_students.ipynb"
WORKBOOKS = Path(__file__).resolve().parents[2] / "workbooks"
LIVE_MS = 20_000  # the teacher's page polls once a second, the students' every few
CLASS = "Room 14 <img src=x onerror=alert(1)>"
PSEUDONYM = r"Student [A-Z2-7]{6}"
STUDENT_PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def students_server(tmp_path_factory):
    """A server of its own on the demo data (these tests make a class and release
    feedback), serving this workbook only with one warm kernel."""
    folder = tmp_path_factory.mktemp("students")
    url, demo = make_demo_db(folder)
    served = folder / "workbooks"
    served.mkdir()
    shutil.copy2(WORKBOOKS / NOTEBOOK, served / NOTEBOOK)
    with ServerProcess(url, folder / "serve.log", pool_size=1, workbooks=served) as server:
        yield server, demo


def tab(page: Page, name: str) -> None:
    """Opens a tab and waits until it is built (tabs are built when first opened)."""
    page.get_by_role("tab", name=name, exact=True).click()
    settle(page)


def click(page: Page, name: str) -> None:
    """A button by its name; a form's button is the button inside its widget (which may
    be as wide as the page)."""
    found = page.locator(f".collab-btn-{name}").filter(visible=True).first
    inner = found.locator("button")
    (inner.first if inner.count() else found).click()


def downloaded(page: Page, link_text: str) -> str:
    """The page a download link carries (a data: address, made in the kernel)."""
    link = page.get_by_role("link", name=re.compile(link_text)).last
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    return base64.b64decode(href.split(",", 1)[1]).decode()


def card_codes(cards_page: str) -> dict[str, str]:
    """Display name -> the code printed on each student's card."""
    found = {}
    for card in re.findall(r'<section class="card".*?</section>', cards_page, re.S):
        name = re.search(r'<p class="name">([^<]*)</p>', card).group(1)
        code = re.search(r'Your code <strong class="code">([^<]*)</strong>', card).group(1)
        found[html.unescape(name).strip()] = code.strip()
    return found


def groups_of(cards_page: str) -> list[list[str]]:
    """Each group card's names, in order."""
    return [
        [html.unescape(n).strip() for n in re.findall(r"<li>([^<]*)</li>", names)]
        for names in re.findall(r"<ul>(.*?)</ul>", cards_page, re.S)
    ]


def sign_in_and_rate(page: Page, level_for) -> str:
    """Signs in (the card's code came with the link, the class code was typed), rates
    each teammate on every question with ``level_for(ratee, is_self)`` and saves; returns
    the student's own id as the page rates them (their own questions come first)."""
    if page.locator("#sign-in").is_visible():
        page.locator("#sign-in-button").click()
    expect(page.locator("#evaluation")).to_be_visible(timeout=LIVE_MS)
    radios = page.locator("#evaluation-people input[type=radio]")
    own = radios.first.get_attribute("data-ratee")
    for group in page.locator("#evaluation-people [role=radiogroup]").all():
        ratee = group.locator("input[type=radio]").first.get_attribute("data-ratee")
        group.locator(f"input[value='{level_for(ratee, ratee == own)}']").check()
    page.locator("#evaluation-save").click()
    expect(page.locator("#evaluation-saved")).to_contain_text("Saved", timeout=LIVE_MS)
    return own


def test_a_teacher_groups_a_class_and_three_students_rate_their_team_on_phones(
    students_server, open_page, browser
):
    server, demo = students_server
    tokens = demo.member_tokens[TEAM]
    teacher_name = list(tokens)[1]  # the demo class's teacher, who uses their own link
    teacher = open_page(
        server.url(NOTEBOOK, team=demo.team_codes[TEAM], member=tokens[teacher_name])
    )
    # a class from the saved assessment, names shown (pseudonyms until then)
    teacher.get_by_label("New class").fill(CLASS)
    click(teacher, "make-class")
    expect(teacher.get_by_role("heading", name=CLASS)).to_be_visible()
    click(teacher, "add-assessment")
    expect(teacher.get_by_text(re.compile(r"Your class · \d+ students"))).to_be_visible()
    teacher.get_by_role("button", name="Show names").first.click()
    # balanced groups on the assessment's percent
    tab(teacher, "Groups")
    click(teacher, "add-criterion")
    click(teacher, "make-groups")
    chip = teacher.locator(".collab-gb-chip").first
    expect(chip).to_be_visible()
    moved = chip.inner_text().strip()
    chip.focus()
    teacher.keyboard.press("Enter")
    teacher.keyboard.press("ArrowRight")
    teacher.keyboard.press("Enter")
    expect(teacher.locator(".collab-gb-live")).to_contain_text(f"{moved} moved to group 2.")
    teacher.get_by_label("Name", exact=True).fill("Project teams")
    click(teacher, "save-groups")
    expect(teacher.get_by_text(re.compile("moves are saved as you make them"))).to_be_visible()
    click(teacher, "print-groups")
    group_cards = downloaded(teacher, "group cards")
    groups = groups_of(group_cards)
    assert moved in groups[1], groups
    printed = "".join(re.findall(r'<section class="card".*?</section>', group_cards, re.S))
    assert "%" not in printed and not re.search(PSEUDONYM, printed)  # names and groups only
    # student cards; the class code is on them and on the class page
    tab(teacher, "Class")
    click(teacher, "print-cards")
    cards_page = downloaded(teacher, "student cards")
    cards = card_codes(cards_page)
    class_code = teacher.locator(".collab-class-code strong").inner_text().strip()
    assert class_code not in cards_page  # a card alone opens nothing: the code is on the board
    # the teamwork check
    tab(teacher, "Teamwork check")
    click(teacher, "open-teamwork-check")
    count = teacher.locator(".collab-evaluation-count")
    expect(count).to_contain_text("0 of")

    team = groups[0][:3]
    phones, watch = {}, PageWatch()
    for name in team:
        context = browser.new_context(viewport=STUDENT_PHONE, is_mobile=True, has_touch=True)
        context.route("**/*", watch.route)
        page = context.new_page()
        page.on("dialog", watch.dialog)
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{server.base}/students#card={cards[name]}")  # the card's QR code
        page.locator("#class-code").fill(class_code)  # from the board
        phones[name] = (context, page)
    # the first rates themself far above what the two others say of them
    first = team[0]
    first_id = sign_in_and_rate(phones[first][1], lambda _ratee, mine: 5 if mine else 3)
    for name in team[1:]:
        sign_in_and_rate(phones[name][1], lambda ratee, _mine: 2 if ratee == first_id else 4)

    expect(count).to_contain_text("3 of", timeout=LIVE_MS)
    results = teacher.locator(".collab-evaluation-results")
    expect(results).to_contain_text("rates self above teammates' view", timeout=LIVE_MS)
    click(teacher, "release-feedback")
    teacher.get_by_role("button", name="Yes, release it").click()
    expect(teacher.get_by_text("Released: each student sees only their own")).to_be_visible()

    page = phones[first][1]
    expect(page.locator("#feedback")).to_be_visible(timeout=LIVE_MS)
    shown = page.locator("body").inner_text()
    assert f"Hi {first}" in shown and CLASS in shown  # the class's name as text
    strangers = {n for g in groups[1:] for n in g}
    assert not [n for n in strangers if re.search(rf"\b{re.escape(n)}", shown)], shown
    assert not re.search(PSEUDONYM, shown)
    findings = Findings()
    findings.check(page, Axe(), "the students' page with feedback, on a phone")
    findings.problems += sideways(page, "the students' page on a phone")
    for context, _page in phones.values():
        context.close()
    assert findings.problems == [], "\n".join(findings.problems)
    assert watch.external == [] and watch.dialogs == []
