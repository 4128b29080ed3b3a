"""Families, against a real server with the demo data: the teacher of the demo class
prepares a class family meeting from the saved assessment; three families (one reading
Spanish) open their own pages at once on phone-sized screens, each sees the class graph
with only its own child marked and no other child, each writes a 60-day goal (the Spanish
family first types a word where a number goes and is told so in Spanish); the teacher's
page shows the three goals arrive. The Spanish family's page, under the pseudo-language
that marks every text from the catalogue, shows no product text outside it. The family
page passes axe on a phone, does not scroll sideways and makes no outside request.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from collab_widgets.core.serving.process import ServerProcess

from .conftest import TIMEOUT_MS, PageWatch, make_demo_db
from .test_every_view_browser import Findings, settle, sideways

TEAM = "Grade 4 Math"
NOTEBOOK = "09_families.ipynb"
WORKBOOKS = Path(__file__).resolve().parents[2] / "workbooks"
LIVE_MS = 20_000  # the teacher's page polls once a second, the families' every ten
PHONE = {"width": 360, "height": 740}
TITLE = "Fractions night <b>two</b>"  # typed by the teacher: text on every page


@pytest.fixture(scope="module")
def families_server(tmp_path_factory):
    """A server of its own on the demo data, serving this workbook only, one warm kernel."""
    folder = tmp_path_factory.mktemp("families")
    url, demo = make_demo_db(folder)
    served = folder / "workbooks"
    served.mkdir()
    shutil.copy2(WORKBOOKS / NOTEBOOK, served / NOTEBOOK)
    with ServerProcess(url, folder / "serve.log", pool_size=1, workbooks=served) as server:
        yield server, demo


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    settle(page)


def click(page: Page, name: str) -> None:
    found = page.locator(f".collab-btn-{name}").filter(visible=True).first
    inner = found.locator("button")
    (inner.first if inner.count() else found).click()


def family_phone(browser, watch: PageWatch, url: str):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.route("**/*", watch.route)
    page = context.new_page()
    page.on("dialog", watch.dialog)
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    return context, page


def opened(page: Page) -> None:
    """The family's page drawn: the demo's meeting tonight and the one just prepared, each
    with its goal form (the newest last)."""
    expect(page.locator("#family")).to_be_visible(timeout=LIVE_MS)
    expect(page.locator("form.collab-goal-form")).to_have_count(2)


def api_page(server, code: str, language: str) -> dict:
    request = urllib.request.Request(
        f"{server.base}/families/api/open",
        data=json.dumps({"code": code, "lang": language}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def data_strings(payload, skip=("texts",)) -> set[str]:
    """Every text of an API answer that is data (names, titles, dates, labels), not words
    of the product's from the catalogue; and each language's name, written in that
    language on purpose (a family finds its own in the switch)."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key not in skip:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
        elif isinstance(value, str):
            found.add(value.strip())

    walk(payload)
    return found


VISIBLE_TEXTS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element || element.closest("script, style, [hidden]")) continue;
    if (!element.getClientRects().length) continue;
    found.push(text);
  }
  for (const option of document.querySelectorAll("select option")) found.push(option.text);
  return found;
}"""


def test_a_class_family_meeting_three_families_write_goals_on_phones(families_server, browser):
    server, demo = families_server
    tokens = demo.member_tokens[TEAM]
    teacher_name = list(tokens)[1]  # the demo class's teacher
    watch = PageWatch()
    teacher_context = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher_context.route("**/*", watch.route)
    teacher = teacher_context.new_page()
    teacher.on("dialog", watch.dialog)
    teacher.set_default_timeout(TIMEOUT_MS)
    teacher.goto(server.url(NOTEBOOK, team=demo.team_codes[TEAM], member=tokens[teacher_name]))
    teacher.wait_for_selector(".collab-ready", timeout=TIMEOUT_MS)
    # the meeting, from the saved assessment (its first standard is the skill)
    tab(teacher, "Meetings")
    teacher.get_by_label("Title").fill(TITLE)
    click(teacher, "prepare-family-meeting")
    summary = teacher.locator(".collab-family-meeting-summary")
    expect(summary).to_contain_text(TITLE)  # the teacher's markup shown as typed
    goals = teacher.locator(".collab-family-goals")
    expect(goals).to_contain_text("Goals set at this meeting: 0 of")

    # three families at once, on phones: the demo's first English, second English, and a
    # Spanish one (their languages as the teacher set them)
    codes = demo.family_codes
    phones = {
        child: family_phone(browser, watch, f"{server.base}/families#code={code}")
        for child, code in list(codes.items())[:3]
    }
    languages = {}
    for child, (_context, page) in phones.items():
        opened(page)
        languages[child] = page.evaluate("document.documentElement.lang")
        shown = page.locator("body").inner_text()
        assert child in shown
        strangers = [other for other in codes if other != child]
        assert not [s for s in strangers if s in shown], (child, shown)
        assert TITLE in shown  # as typed, never as markup
        # one graph per meeting with a result; in each, one bar marked, and it is this one's
        for graph in page.locator(".collab-bars").all():
            assert graph.locator(".collab-bar-child").count() <= 1
        assert page.locator(".collab-bar-child").count() >= 1
    assert "es" in languages.values() and "en" in languages.values(), languages

    for child, (_context, page) in phones.items():
        form = page.locator("form.collab-goal-form").last  # the meeting just prepared
        spanish = languages[child] == "es"
        form.locator("textarea[name=practice]").fill("Read a fraction story together at night")
        form.locator("input[name=times]").fill("cuatro" if spanish else "4")
        form.locator("input[name=target]").fill("100")
        form.locator("button[type=submit]").click()
        if spanish:
            problem = form.locator(
                "#" + form.locator("input[name=times]").get_attribute("aria-describedby")
            )
            expect(problem).to_contain_text("número entero", timeout=LIVE_MS)
            form.locator("input[name=times]").fill("4")
            form.locator("button[type=submit]").click()
        saved_words = "Su meta quedó guardada" if spanish else "Your goal is saved"
        expect(page.locator("#status")).to_contain_text(saved_words, timeout=LIVE_MS)

    expect(goals).to_contain_text("Goals set at this meeting: 3 of", timeout=LIVE_MS)
    assert teacher.locator(".collab-family-goals-here tbody tr").count() == 3

    findings = Findings()
    _context, page = next(iter(phones.values()))
    findings.check(page, Axe(), "a family's page with its goal, on a phone")
    findings.problems += sideways(page, "a family's page on a phone")

    # the Spanish family's page under the pseudo-language: every product text is marked
    spanish_child = next(c for c, lang in languages.items() if lang == "es")
    code = codes[spanish_child]
    context, page = family_phone(browser, watch, f"{server.base}/families?lang=qps#code={code}")
    opened(page)
    allowed = data_strings(api_page(server, code, "qps"))
    unmarked = [
        text
        for text in page.evaluate(VISIBLE_TEXTS)
        if "⟦" not in text and text not in allowed and not re.fullmatch(r"[\W\d_]*", text)
    ]
    assert unmarked == [], f"product texts outside the catalogue: {unmarked}"
    context.close()
    for context, _page in phones.values():
        context.close()
    teacher_context.close()
    assert findings.problems == [], "\n".join(findings.problems)
    assert watch.external == [] and watch.dialogs == []
