"""In the classroom, on members' own pages against a real server with the demo data.

Three members of Grade 4 Math write the demo plan at once, each in a section and a task of
their own, and every page ends with every text; two of them type into one section at once
and neither text is lost without a word. Two observers take notes on a lesson being taught
and each sees the other's as they are written (markup as text); the facilitator ends the
lesson and starts its debrief, whose first board groups the notes by case student; a note
written after the lesson is marked so. Each tab passes axe and names no developer material,
on a laptop and, for "Observe", on a phone.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from collab_widgets.classroom import cycle_links, rules
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.cycle_links import current_cycle
from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import ServerProcess
from collab_widgets.demo.sample_classroom import PLAN
from collab_widgets.evidence import store as evidence
from collab_widgets.team.store import members

from .conftest import READY, TIMEOUT_MS, make_demo_db
from .test_every_view_browser import PHONE, Findings, sideways

TEAM = "Grade 4 Math"
NOTEBOOK = "06_in_the_classroom.ipynb"
WORKBOOKS = Path(__file__).resolve().parents[2] / "workbooks"
TABS = ("Plan together", "Lesson study", "Observe", "Debrief", "Peer observation")
LIVE_MS = 15_000  # one-second polling, plus a busy two-core machine
SAVED = "All changes saved"
EVIL = "<img src=x onerror=alert(1)> fractions"
STUDY = "Comparing fractions with the same numerator"
KEY_DELAY_MS = 15


@pytest.fixture(scope="module")
def classroom_server(tmp_path_factory):
    """A server of its own on the demo data: these tests change the team's plan and start a
    lesson study's debrief, which the other browser tests must not meet. It serves this
    workbook only, with a warm kernel for each of the three pages opened at once (not
    three for every workbook)."""
    folder = tmp_path_factory.mktemp("classroom")
    url, demo = make_demo_db(folder)
    served = folder / "workbooks"
    served.mkdir()
    shutil.copy2(WORKBOOKS / NOTEBOOK, served / NOTEBOOK)
    with ServerProcess(url, folder / "serve.log", pool_size=3, workbooks=served) as server:
        yield server, demo


class Team:
    """The team's people, and its store as each of them (closed with ``close()``)."""

    def __init__(self, server, demo):
        self.server, self.demo = server, demo
        self.code = demo.team_codes[TEAM]
        self.tokens = demo.member_tokens[TEAM]
        self.store = Store(server.db_url)
        scope = self.store.open_team(self.code)
        self.facilitator = members.current_roles(scope)["facilitator"].name
        self.others = [m.name for m in members.roster(scope) if m.name != self.facilitator]

    def link(self, name: str) -> str:
        return self.server.url(NOTEBOOK, team=self.code, member=self.tokens[name])

    def scope(self, name: str):
        return self.store.open_team(self.code, self.tokens[name])

    def plan(self, name: str):
        return next(p for p in classroom.plans(self.scope(name)) if p.title == PLAN)

    def close(self) -> None:
        self.store.close()


def open_all(open_page, links: list[str]) -> list[Page]:
    """The pages opened at once (each waits for a kernel of its own), then each built."""
    pages = [open_page(link, wait_ready=False) for link in links]
    for page in pages:
        page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    return pages


def tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def saved_state(page: Page):
    return page.locator(".collab-saved")


def type_at_once(work: list[tuple[Page, object, str]], pieces: int = 4) -> None:
    """Each (page, box, text): the text typed at the end of the box, all the pages in turn
    a piece at a time, so that every page is typing (and saving) while the others are."""
    for _page, box, _text in work:
        box.click()
        box.press("Control+End")
    chunks = [
        [text[i * len(text) // pieces : (i + 1) * len(text) // pieces] for i in range(pieces)]
        for _page, _box, text in work
    ]
    for i in range(pieces):
        for (page, _box, _text), parts in zip(work, chunks, strict=True):
            page.keyboard.type(parts[i], delay=KEY_DELAY_MS)


def settled(pages: list[Page]) -> None:
    """The last keys have reached each kernel, and each page has stored what it could."""
    pages[0].wait_for_timeout(1_000)
    for page in pages:
        expect(saved_state(page)).to_contain_text(re.compile(f"{SAVED}|Not saved"), timeout=LIVE_MS)


SECTIONS = {"target": "Learning target", "criteria": "Success criteria", "materials": "Materials"}


def section_box(page: Page, key: str):
    return page.locator(f".collab-plan-{key} textarea")


def task_box(page: Page, n: int):
    return page.locator(".collab-plan-task textarea").nth(n)


def test_three_members_co_plan_at_once_and_every_section_keeps_every_text(
    open_page, classroom_server
):
    team = Team(*classroom_server)
    writers = team.others[:3]
    before = team.plan(writers[0])
    pages = open_all(open_page, [team.link(name) for name in writers])
    for page in pages:  # the demo plan, the newest, is the one shown
        expect(section_box(page, "target")).to_have_value(before.sections["target"])
        expect(page.locator(".collab-plan-task textarea")).to_have_count(len(before.segments))

    # each member a section and a task of their own, all typing at once
    typed = {
        key: f" [{writers[i]} on the {SECTIONS[key].lower()}: number line {i}]"
        for i, key in enumerate(SECTIONS)
    }
    tasks = {i: f" [{writers[i]}'s task change {i}: fraction strips]" for i in range(3)}
    type_at_once(
        [
            (page, section_box(page, key), typed[key])
            for page, key in zip(pages, SECTIONS, strict=True)
        ]
    )
    type_at_once([(page, task_box(page, i), tasks[i]) for i, page in enumerate(pages)])
    want_sections = {key: before.sections[key] + text for key, text in typed.items()}
    want_tasks = {i: before.segments[i].task + text for i, text in tasks.items()}
    # each page kept every key it typed
    for i, (page, key) in enumerate(zip(pages, SECTIONS, strict=True)):
        expect(section_box(page, key)).to_have_value(want_sections[key])
        expect(task_box(page, i)).to_have_value(want_tasks[i])
    settled(pages)
    for page in pages:
        expect(saved_state(page)).to_contain_text(SAVED)  # no page has anything unsaved
        expect(page.locator(".collab-conflict")).to_have_count(0)
    after = team.plan(writers[0])
    assert {key: after.sections[key] for key in SECTIONS} == want_sections
    assert {i: after.segments[i].task for i in tasks} == want_tasks

    # every page shows every text, the teammates' brought by the live polling
    for page in pages:
        for key, want in want_sections.items():
            expect(section_box(page, key)).to_have_value(want, timeout=LIVE_MS)
        for i, want in want_tasks.items():
            expect(task_box(page, i)).to_have_value(want, timeout=LIVE_MS)

    # two members type into one section at once: neither text is lost without a word
    first, second = pages[:2]
    base = after.sections["groups"]
    mine = {first: " [Group talk A: fourths first]", second: " [Group talk B: halves first]"}
    type_at_once([(page, section_box(page, "groups"), mine[page]) for page in (first, second)])
    for page in (first, second):
        expect(section_box(page, "groups")).to_have_value(base + mine[page])
    settled([first, second])
    stored = team.plan(writers[0]).sections["groups"]
    seen = [stored]
    conflicted = []
    for page in (first, second):
        state = saved_state(page).inner_text()
        box = section_box(page, "groups").input_value()
        seen.append(box)
        if SAVED in state:  # a page that says so holds nothing the store does not
            assert box == stored, f"the page says {state!r} but the store holds {stored!r}"
            expect(page.locator(".collab-conflict")).to_have_count(0)
        else:  # the choice between both texts, each in full
            assert "Not saved" in state, state
            assert box == base + mine[page]
            expect(page.locator(".collab-conflict")).to_be_visible()
            theirs = page.locator(".collab-theirs").inner_text()
            seen.append(theirs)
            assert stored in theirs, (theirs, stored)
            conflicted.append(page)
    for text in mine.values():
        assert any(text in shown for shown in seen), f"{text!r} is nowhere: {seen}"
    # the one who was told merges both texts by choice; everyone then has both
    merged = base + mine[first] + mine[second]
    for page in conflicted:
        section_box(page, "groups").fill(merged)
        page.get_by_role("button", name="Keep mine").click()
        expect(saved_state(page)).to_contain_text(SAVED)
        expect(page.locator(".collab-conflict")).to_be_hidden()
    if conflicted:
        assert team.plan(writers[0]).sections["groups"] == merged
    final = team.plan(writers[0]).sections["groups"]
    assert all(text in final for text in mine.values()), f"one text was lost: {final!r}"
    for page in (first, second):
        expect(section_box(page, "groups")).to_have_value(final, timeout=LIVE_MS)

    # a fresh page opened now shows everything the three wrote
    fresh = open_page(team.link(team.facilitator))
    for key, want in want_sections.items():
        expect(section_box(fresh, key)).to_have_value(want)
    for i, want in want_tasks.items():
        expect(task_box(fresh, i)).to_have_value(want)
    expect(section_box(fresh, "groups")).to_have_value(final)
    team.close()


def feed(page: Page):
    return page.locator(".collab-observation-feed")


def observed(page: Page, text: str):
    return feed(page).locator(".collab-observation-note", has_text=text)


def column(page: Page, title: str):
    return page.locator(".collab-board-column", has=page.locator("h4", has_text=title))


def observe(page: Page, label: str) -> None:
    tab(page, "Observe")
    choice = page.locator(".collab-observe select").first
    expect(choice).to_contain_text(label, timeout=LIVE_MS)
    choice.select_option(label=label)
    expect(page.locator(".collab-observation-text textarea")).to_be_visible()


def case_student(page: Page, name: str) -> None:
    page.locator(".collab-observe").get_by_label("Case student").select_option(label=name)


def write_notes_at_once(notes: list[tuple[Page, str, str]]) -> None:
    """Each observer (page) picks the case student, then all type at once; "Next note"."""
    for page, case, _text in notes:
        case_student(page, case)
    type_at_once(
        [
            (page, page.locator(".collab-observation-text textarea"), text)
            for page, _c, text in notes
        ]
    )
    for page, _case, text in notes:
        expect(page.locator(".collab-observation-text textarea")).to_have_value(text)
        page.get_by_role("button", name="Next note").click()
        expect(page.locator(".collab-observation-text textarea")).to_have_value("")


def test_two_observers_see_each_others_notes_live_and_the_debrief_groups_them_by_case_student(
    open_page, classroom_server
):
    team = Team(*classroom_server)
    lead = team.scope(team.facilitator)
    cycle = current_cycle(lead)
    study_id = classroom.create_study(lead, STUDY, cycle.id if cycle else None)
    classroom.set_research_lesson(lead, study_id, team.plan(team.facilitator).id)
    assessment_id = evidence.assessments(lead)[0].id
    cases = sorted(cycle_links.assessment_students(lead, assessment_id))[-2:]
    classroom.set_case_students(lead, study_id, assessment_id, cases)
    for stage in (rules.STUDY, rules.PLAN, rules.TEACH):
        classroom.move(lead, study_id, stage)
    team.close()
    teaching = f"{STUDY} ({rules.STAGE_NAMES[rules.TEACH]})"

    ana, ben, leader = open_all(
        open_page,
        [team.link(team.others[0]), team.link(team.others[1]), team.link(team.facilitator)],
    )
    for page in (ana, ben):
        observe(page, teaching)
        expect(feed(page)).to_contain_text("No notes yet.")
    first = [
        (ana, cases[0], "Placed 3/8 before 3/4 and said the pieces are smaller"),
        (ben, cases[1], "Drew two bars of the same length to compare 2/3 and 2/5"),
    ]
    write_notes_at_once(first)
    for page, other in ((ana, first[1]), (ben, first[0])):  # each sees the other's note
        expect(observed(page, other[2])).to_have_count(1, timeout=LIVE_MS)
        expect(observed(page, other[2])).to_contain_text(other[1])  # its case student
    second = [
        (ana, cases[1], EVIL),
        (ben, cases[0], "Asked whether 5/6 is bigger than 5/8 because 6 is bigger"),
    ]
    write_notes_at_once(second)
    for page, other in ((ana, second[1]), (ben, second[0])):
        expect(observed(page, other[2])).to_have_count(1, timeout=LIVE_MS)
    for page in (ana, ben):
        expect(feed(page)).to_contain_text("4 notes, newest first.", timeout=LIVE_MS)
        expect(observed(page, EVIL).locator(".collab-note-text")).to_have_text(EVIL)  # as text
        assert feed(page).locator("img").count() == 0
        assert page.locator("img[src='x']").count() == 0

    # the facilitator ends the lesson and starts its debrief: the notes on its first board
    tab(leader, "Lesson study")
    choice = leader.locator(".collab-lesson-study select").first
    expect(choice).to_contain_text(teaching)
    choice.select_option(label=teaching)
    leader.get_by_role("button", name="The lesson is over: debrief").click()
    start = leader.get_by_role("button", name="Start the debrief")
    expect(start).to_be_enabled(timeout=LIVE_MS)
    start.click()
    expect(leader.get_by_role("tab", name="Debrief", exact=True)).to_have_attribute(
        "aria-selected", "true", timeout=LIVE_MS
    )
    expect(leader.locator(".collab-run .collab-step-title")).to_contain_text(
        "Evidence about each case student", timeout=LIVE_MS
    )
    by_case = {cases[0]: (first[0][2], second[1][2]), cases[1]: (first[1][2], EVIL)}
    for case, texts in by_case.items():
        group = column(leader, case)
        expect(group).to_have_count(1, timeout=LIVE_MS)
        expect(group.locator("h4")).to_contain_text(f"{case} (2)")
        for text in texts:
            expect(group.locator(".collab-board-card", has_text=text)).to_have_count(1)
    assert leader.locator("img[src='x']").count() == 0

    # a note written once the lesson ended is kept, and marked so on every page
    late = "Still comparing numerators only on the exit ticket"
    expect(ana.locator(".collab-observe")).to_contain_text("The lesson has ended", timeout=LIVE_MS)
    write_notes_at_once([(ana, cases[0], late)])
    for page in (ana, ben):
        expect(observed(page, late)).to_have_count(1, timeout=LIVE_MS)
        expect(observed(page, late).locator(".collab-after")).to_have_text("added after the lesson")
        expect(observed(page, first[0][2]).locator(".collab-after")).to_have_count(0)


def test_classroom_tabs_pass_axe_and_show_no_developer_words(open_page, classroom_server):
    team = Team(*classroom_server)
    team.close()
    page = open_page(team.link(team.others[0]))
    findings, axe = Findings(), Axe()
    for name in TABS:
        tab(page, name)
        findings.check(page, axe, f"{NOTEBOOK} › {name}")
    tab(page, "Observe")
    page.set_viewport_size(PHONE)
    findings.check(page, axe, f"{NOTEBOOK} › Observe on a phone")
    findings.problems += sideways(page, f"{NOTEBOOK} › Observe on a phone")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    # the note box is as tall as its rows: on a phone (label above it) it does not spill
    # over the button under it
    box = page.locator(".collab-observe .collab-observation-text textarea").bounding_box()
    below = page.locator(".collab-observe").get_by_role("button", name="Next note").bounding_box()
    assert box["y"] + box["height"] <= below["y"] + 1, (box, below)
    assert len(findings.checked) == len(TABS) + 1
    assert findings.problems == [], "\n".join(findings.problems)
