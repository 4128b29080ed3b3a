"""The families' screens as their visitors use them: the class's teacher opens the class
(a family per student), adds the people who get a link, gives a link shown once and
prints cards, blocks a person after a question that says what a block does, keeps the
contact; prepares a class family meeting from a saved assessment and one of its
standards, projects the class graph, marks who came and sees a family's goal arrive from
the family's own page while the page polls; offers conference times with notes and
agreements followed up at the next one; plans a workshop and reads feedback only past its
minimum. A teammate sees the class's numbers only and no contact; a coach sees no contact
and no note; a forged click from either changes nothing."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime as dt
import re

import pytest
from ipywidgets.widgets import widget as ipywidgets_widget

from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.ui.debounce import flush_all
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.evidence import store as evidence
from collab_widgets.families.app import FamiliesApp
from collab_widgets.families.library import load_feedback_survey
from collab_widgets.families.rules import GoalDraft
from collab_widgets.families.store import class_meetings, conferences, family_workshops, guardians
from collab_widgets.families.store import family as family_page
from collab_widgets.families.ui.conferences_panel import ConferencesPanel
from collab_widgets.families.ui.families_panel import FamiliesPanel
from collab_widgets.families.ui.meetings_panel import MeetingsPanel
from collab_widgets.families.ui.participation_panel import ParticipationPanel
from collab_widgets.families.ui.state import FamilyState
from collab_widgets.families.ui.workshops_panel import WorkshopsPanel
from collab_widgets.live.rules import POLL_SECONDS
from tests.unit.families.conftest import LIMIT
from tests.unit.store_helpers import EVIL
from tests.unit.students.test_growth_ui import NAMES, make_class, save_assessment
from tests.unit.test_no_blank_dropdowns import blank_dropdowns
from tests.unit.widget_helpers import BUTTONS, answer_yes, find, opened, texts

PERCENTS = [30.0, 50.0, 70.0, 90.0, 100.0, 60.0]
CONTACT = "CONTACT-555-0100 evenings"
NOTES = "NOTES-MARKER talked about reading"


def press(widget, label: str) -> None:
    found = find(widget, BUTTONS, lambda b: b.description == label)
    assert len(found) == 1, f"{len(found)} buttons {label!r}"
    found[0].click()


def link_in(html_link: str) -> str:
    """The page a download link carries."""
    data = html_link.split("href='")[1].split("'")[0]
    return base64.b64decode(data.split(",", 1)[1]).decode()


class Room:
    """Ana's class of six (Maya, Leo, …), a saved assessment of its students on two
    standards, and Ana's page open on the class (the team shows groups of five and more)."""

    def __init__(self, team):
        self.team = team
        self.ana = team.member(0)
        evidence.set_settings(self.ana, dataclasses.replace(evidence.settings(self.ana), min_n=5))
        self.class_id = make_class(team, 6)
        self.assessment_id = save_assessment(team, "Unit 3", PERCENTS)
        self.state, self.page = self.panels(self.ana)

    def panels(self, scope):
        state = FamilyState(scope)
        page = FamiliesPanel(scope, state, StatusLine(), SavedIndicator())
        page.refresh()
        state.show_names = True  # a member shows names (refused for anyone else)
        return state, page

    def tab(self, panel_class, state, page):
        return opened(lambda: panel_class(state.scope, state, page.status, page.indicator))

    def families(self):
        return guardians.families(self.ana, self.class_id)

    def link_for(self, index: int, name: str = "Parent") -> str:
        """A link for a new person of the family at ``index``, as the store gives it."""
        family_id = self.families()[index].id
        return guardians.issue_link(self.ana, guardians.add_guardian(self.ana, family_id, name))


@pytest.fixture
def room(sqlite_team):
    return Room(sqlite_team)


def prepare(room, meetings_tab, skill="4.NF.1"):
    meetings_tab.assessment.value = room.assessment_id
    meetings_tab.skill.value = skill
    meetings_tab.title.value = "Fractions night"
    meetings_tab.held_on.value = dt.date(2026, 10, 20)
    meetings_tab.activities.value = (meetings_tab.activities.options[0][1],)
    meetings_tab.own_title.value = "Pizza fractions"
    meetings_tab.own_steps.value = "Cut a paper pizza in halves.\nThen in quarters."
    meetings_tab.own_title_es.value = "Fracciones de pizza"
    press(meetings_tab, "Prepare the meeting")


# --- the families ----------------------------------------------------------------------------


def test_opening_the_class_makes_a_family_per_student_for_its_teacher(room):
    page = room.page
    assert room.state.class_id == room.class_id and room.state.yours
    assert len(room.families()) == 6
    assert all(name in page.table.value for name in NAMES[:6])
    assert "0 of 6 families have a link" in page.table.value
    assert page.family.label == NAMES[0]


def test_children_show_under_pseudonyms_until_a_member_shows_names(room, sqlite_team):
    state, page = room.panels(room.ana)
    state.show_names = False
    shown = page.table.value
    assert not [name for name in NAMES[:6] if name in shown]
    assert len(re.findall(r"Student [A-Z2-7]{6}", shown)) == 6
    state.show_names = True
    assert all(name in page.table.value for name in NAMES[:6])
    coach_state, coach_page = room.panels(sqlite_team.as_coach)
    assert not coach_state.show_names  # a coach's switch springs back off


def test_a_person_gets_a_link_shown_once_with_its_card(room):
    page = room.page
    page.guardian_name.value = f"Rosa {EVIL}"
    press(page, "Add the person")
    assert "Add the person" in texts(page) and "&lt;script&gt;" in page.people.value
    assert "<script>" not in page.people.value
    press(page, "Give a link")
    link = page.link_copy.value
    assert "/families#code=" in link
    assert "Shown this once" in page.link_said.value
    card = link_in(page.link_card.value)
    assert link in card and "<svg" in card and "Maya" in card
    guardian = room.families()[0].guardians[0]
    assert guardian.has_link
    code = link.split("#code=")[1]
    assert (
        family_page.sign_in(room.team.store, code, "10.0.0.1", LIMIT).family_id
        == room.families()[0].id
    )
    # choosing another family forgets the link: it is never shown again
    page.family.value = room.families()[1].id
    assert page.link_copy.value == "" and page.link_box.layout.display == "none"


def test_a_block_is_explained_before_it_refuses_the_person_everywhere(room):
    page = room.page
    code = room.link_for(0, "Luis")
    page.refresh()
    press(page, "Block")
    assert not room.families()[0].guardians[0].blocked  # asked first
    assert "refuses this person everywhere" in texts(page.block)
    assert "Luis" in texts(page.block)
    answer_yes(page)
    assert room.families()[0].guardians[0].blocked
    assert "Luis is blocked" in page.status.value
    assert page.new_link.layout.display == "none" and page.unblock.layout.display != "none"
    with pytest.raises(family_page.FamilyRefused):
        family_page.sign_in(room.team.store, code, "10.0.0.1", LIMIT)
    page.new_link.click()  # a forged click on the hidden button
    assert "blocked" in page.status.value
    press(page, "Lift the block")
    assert not room.families()[0].guardians[0].blocked


def test_a_person_added_by_mistake_is_taken_off_after_a_question(room):
    page = room.page
    code = room.link_for(0, "Uncle Bo")
    page.refresh()
    press(page, "Take off the list")
    assert room.families()[0].guardians  # asked first
    assert "Uncle Bo" in texts(page.remove)
    answer_yes(page)
    assert room.families()[0].guardians == ()
    assert "Uncle Bo is off the family" in page.status.value
    with pytest.raises(family_page.FamilyRefused):
        family_page.sign_in(room.team.store, code, "10.0.0.1", LIMIT)
    # a blocked person stays listed: the block is kept
    room.link_for(1, "Mr. X")
    blocked = room.families()[1].guardians[0].id
    guardians.set_blocked(room.ana, blocked, True)
    with pytest.raises(InvalidInput, match="Lift the block first"):
        guardians.remove_guardian(room.ana, blocked)


def test_language_and_contact_are_saved_as_chosen_and_typed(room):
    page = room.page
    page.language.value = "es"
    assert room.families()[0].language == "es"
    assert "Español" in page.table.value
    page.contact_box.value = CONTACT
    flush_all()
    assert room.families()[0].contact == CONTACT
    # another family: the box shows its own contact, and the first one's is kept
    page.family.value = room.families()[1].id
    assert page.contact_box.value == ""
    page.contact_box.value = "second family"
    page.family.value = room.families()[0].id  # the waiting save goes to its own family
    assert [f.contact for f in room.families()[:2]] == [CONTACT, "second family"]
    assert page.contact_box.value == CONTACT


def test_family_cards_are_printed_for_everyone_without_a_link(room):
    page = room.page
    guardians.set_contact(room.ana, room.families()[0].id, CONTACT, "")
    guardians.set_language(room.ana, room.families()[1].id, "es")
    for index, name in enumerate(["Rosa", "Sam"]):
        guardians.add_guardian(room.ana, room.families()[index].id, name)
    press(page, "Print family cards")
    assert "Cards for 2 people" in page.status.value
    printed = link_in(page.downloads.value)
    assert printed.count("<svg") == 2 and printed.count("#code=") == 2
    assert "Rosa" in printed and "Sam" in printed and 'lang="es"' in printed
    assert CONTACT not in printed
    assert all(g.has_link for f in room.families()[:2] for g in f.guardians)
    press(page, "Print family cards")  # everyone has one now: nothing new
    assert "already has a link" in page.status.value


# --- a class family meeting --------------------------------------------------------------


def test_a_meeting_is_prepared_from_a_saved_assessment_and_its_standard(room):
    tab = room.tab(MeetingsPanel, room.state, room.page)
    assert tab.assessment.value == room.assessment_id
    assert set(tab.skill.options) == {"4.NF.1", "4.NF.2"}
    tab.skill.value = "4.NF.1"
    assert "on the standard 4.NF.1" in tab.skill_said.value
    tab.search.value = "fractions"  # the library's activities, found in plain words
    assert [label for label, _ in tab.activities.options] == [
        "Fair shares with food and paper strips (15 min) · Español ✓",
        "Measuring in the kitchen (20 min) · Español ✓",
    ]
    prepare(room, tab)
    assert "The meeting is prepared" in tab.status.value, tab.status.value
    assert "6 of 6 children have a result on the standard 4.NF.1" in tab.status.value
    (meeting,) = class_meetings.meetings(room.ana, room.class_id)
    assert meeting.skill == "4.NF.1" and meeting.assessment_name == "Unit 3"
    assert [b.count for b in meeting.bins] == [0, 1, 1, 2, 2]  # 30 · 50 · 70 60 · 90 100
    titles = [a["title"] for a in meeting.activities]
    assert titles[-1] == {"en": "Pizza fractions", "es": "Fracciones de pizza"}
    assert len(titles) == 2 and "es" in titles[0]
    assert meeting.involvement == ("communicating", "learning-at-home")
    assert [item["minutes"] for item in meeting.agenda] == [10, 10, 10, 10, 15, 10, 10]
    # the projected graph: counts per band, no child
    assert tab.choice.value == meeting.id
    alt = tab.chart.caption.value
    assert "The class on 4.NF.1: students per band" in alt
    assert not any(name in alt for name in NAMES)
    assert "Fractions night" in tab.summary.value
    assert "family-meeting-agenda-es.html" in tab.agenda.value


def test_a_skill_in_words_graphs_the_whole_assessment(room):
    tab = room.tab(MeetingsPanel, room.state, room.page)
    prepare(room, tab, skill="Fractions on a number line")
    assert "on the whole assessment" in tab.status.value
    assert class_meetings.meetings(room.ana, room.class_id)[0].skill == "Fractions on a number line"


def test_attendance_is_marked_and_a_goal_arrives_while_the_page_polls(room):
    async def evening():
        tab = room.tab(MeetingsPanel, room.state, room.page)
        prepare(room, tab)
        assert tab.loop.running  # goals may come from the families' pages
        maya = room.families()[0]
        box = tab.attendance[maya.id]
        assert box.description == NAMES[0]
        box.value = True
        meeting_id = tab.shown.id
        assert class_meetings.present(room.ana, meeting_id) == {maya.id}
        assert "Present: 1 of 6 families (17%)" in tab.present_count.value
        assert "Goals set at this meeting: 0 of 6" in tab.goals.value

        slept = []

        async def quick(seconds):
            slept.append(seconds)
            await asyncio.sleep(0)

        tab.loop.stop()
        tab.loop.sleep = quick
        tab.loop.start()
        session = family_page.sign_in(room.team.store, room.link_for(0), "10.0.0.1", LIMIT)
        saved, problems = family_page.save_goal(
            room.team.store,
            session,
            meeting_id,
            GoalDraft("Read together for 15 minutes", "4", "80", ""),
            None,
        )
        assert problems == [] and saved is not None
        for _ in range(20):
            await asyncio.sleep(0)
        assert "Goals set at this meeting: 1 of 6" in tab.goals.value
        assert "Read together for 15 minutes" in tab.goals.value
        assert "waiting for the next meeting" in tab.goals.value
        assert set(slept) == {POLL_SECONDS}
        tab.close()
        assert not tab.loop.running

    asyncio.run(evening())


def test_a_meeting_is_deleted_after_a_question(room):
    tab = room.tab(MeetingsPanel, room.state, room.page)
    prepare(room, tab)
    press(tab, "Delete this meeting")
    assert class_meetings.meetings(room.ana, room.class_id)  # only asked
    answer_yes(tab)
    assert class_meetings.meetings(room.ana, room.class_id) == []
    assert tab.none.layout.display != "none"


# --- conferences, workshops, feedback -------------------------------------------------------


def test_conference_times_notes_and_agreements_followed_up(room):
    tab = room.tab(ConferencesPanel, room.state, room.page)
    tab.day.value = dt.date(2026, 10, 22)
    tab.count.value = 2
    press(tab, "Offer these times")
    assert "2 times offered" in tab.status.value
    first, second = conferences.slots(room.ana, room.class_id)
    maya = room.families()[0]
    tab.slot.value = first.id
    tab.family.value = maya.id
    press(tab, "Book this family")
    assert conferences.slots(room.ana, room.class_id)[0].family_id == maya.id
    assert NAMES[0] in tab.table.value and "1 of 2 times booked" in tab.table.value
    tab.notes_box.value = NOTES
    flush_all()
    assert conferences.slots(room.ana, room.class_id)[0].notes == NOTES
    tab.agreement.value = "Read the log every Friday"
    tab.owner.value = "family"
    press(tab, "Add the agreement")
    (box,) = tab.done_boxes.values()
    assert box.description == "Read the log every Friday (kept by the family)"
    box.value = True
    assert conferences.agreements(room.ana, room.class_id)[0].done
    # the same family's next conference shows the agreement to follow up
    tab.slot.value = second.id
    assert tab.family.index == 0 and tab.family.label == "— free —"
    tab.family.value = maya.id
    press(tab, "Book this family")
    assert "To follow up" in tab.follow_up.value
    assert "Read the log every Friday" in tab.follow_up.value and "done" in tab.follow_up.value
    assert tab.notes_box.value == ""  # the second conference's own notes
    press(tab, "Free this time")
    assert conferences.slots(room.ana, room.class_id)[1].family_id is None


def test_a_workshop_and_feedback_shown_only_past_its_minimum(room):
    tab = room.tab(WorkshopsPanel, room.state, room.page)
    tab.title_en.value = "Fraction games at home"
    tab.title_es.value = "Juegos de fracciones en casa"
    tab.day.value = dt.date(2026, 11, 5)
    tab.place.value = "Library"
    press(tab, "Add the workshop")
    (workshop,) = family_workshops.workshops(room.ana, room.class_id)
    assert workshop.title == {"en": "Fraction games at home", "es": "Juegos de fracciones en casa"}
    assert "Juegos de fracciones" in tab.table.value
    leo = room.families()[1]
    session = family_page.sign_in(room.team.store, room.link_for(1), "10.0.0.2", LIMIT)
    family_page.sign_up(room.team.store, session, workshop.id, True)
    tab.refresh()
    assert tab.came_boxes[leo.id].description == f"{NAMES[1]} (signed up)"
    tab.came_boxes[leo.id].value = True
    assert family_workshops.workshops(room.ana, room.class_id)[0].attended == {leo.id}
    # feedback: a round, answered by fewer families than the minimum, then enough
    survey = load_feedback_survey()
    press(tab, "Open a feedback round")
    (summary,) = family_workshops.feedback(room.ana, room.class_id)
    every = {q.id: 3 for q in survey.questions}
    for index in range(survey.min_respondents - 1):
        code = room.link_for(index + 2, f"Answering {index}")
        answering = family_page.sign_in(room.team.store, code, "10.0.0.3", LIMIT)
        family_page.answer_feedback(room.team.store, answering, summary.round_id, every, survey)
    tab.refresh()
    shown = tab.results.value
    assert f"shown once {survey.min_respondents} have answered" in shown
    assert "3.0 of 4" not in shown
    family_page.answer_feedback(room.team.store, session, summary.round_id, every, survey)
    tab.refresh()
    assert "3.0 of 4" in tab.results.value
    press(tab, "Close the open round")
    assert not family_workshops.feedback(room.ana, room.class_id)[0].open


# --- who sees what --------------------------------------------------------------------------


def teacher_data(room):
    """A contact, a conference note and a goal of Ana's class, saved by Ana and a family."""
    guardians.set_contact(room.ana, room.families()[0].id, CONTACT, "")
    conferences.add_slots(
        room.ana, room.class_id, "individual", dt.date(2026, 10, 22), "15:00", 20, 1
    )
    (slot,) = conferences.slots(room.ana, room.class_id)
    conferences.assign(room.ana, slot.id, room.families()[0].id)
    conferences.set_notes(room.ana, slot.id, NOTES, "")
    tab = room.tab(MeetingsPanel, room.state, room.page)
    prepare(room, tab)
    class_meetings.set_present(room.ana, tab.shown.id, room.families()[0].id, True)
    session = family_page.sign_in(room.team.store, room.link_for(0), "10.0.0.1", LIMIT)
    family_page.save_goal(
        room.team.store,
        session,
        tab.shown.id,
        GoalDraft("Read together every night", "5", "80"),
        None,
    )


def every_tab(room, scope):
    state, page = room.panels(scope)
    tabs = [page] + [
        room.tab(panel, state, page)
        for panel in (MeetingsPanel, ConferencesPanel, WorkshopsPanel, ParticipationPanel)
    ]
    return state, tabs


def test_a_teammate_sees_the_classs_numbers_only_and_no_contact(room, sqlite_team):
    teacher_data(room)
    state, tabs = every_tab(room, sqlite_team.member(1))
    assert state.class_id == room.class_id and not state.yours
    shown = "\n".join(texts(tab) for tab in tabs)
    assert "Only Ana, the class&#x27;s teacher" in shown
    assert CONTACT not in shown and NOTES not in shown
    assert "Read together every night" not in shown
    assert not any(name in shown for name in NAMES[:6])  # no family named
    families_tab, meetings_tab, _, _, participation = tabs
    assert families_tab.teacher.layout.display == "none"
    assert "<td>Families</td><td>6</td>" in families_tab.numbers.value
    assert "1 of 6 (17%)" in meetings_tab.numbers.value
    assert "Room 12" in participation.table.value and "1 of 6 (17%)" in participation.table.value
    assert "<td>Learning at home</td><td>1</td><td>1</td>" in participation.coverage.value
    # a forged click on the hidden buttons changes nothing
    families_tab.guardian_name.value = "Someone"
    families_tab.family.options = [("x", room.families()[1].id)]
    families_tab.family.value = room.families()[1].id
    press(families_tab, "Add the person")
    assert "teacher" in families_tab.status.value
    assert room.families()[1].guardians == ()


def test_a_coach_sees_no_contact_and_no_note(room, sqlite_team):
    teacher_data(room)
    for outsider in (sqlite_team.as_coach, sqlite_team.store.open_team(sqlite_team.code)):
        state, tabs = every_tab(room, outsider)
        assert not state.yours
        shown = "\n".join(texts(tab) for tab in tabs)
        assert "as a coach" in shown
        assert CONTACT not in shown and NOTES not in shown
        assert "Read together every night" not in shown
        assert not any(name in shown for name in NAMES[:6])
        assert "Conferences booked</td><td>1</td>" in tabs[2].numbers.value
        assert "1 of 6 (17%)" in tabs[4].table.value


def test_the_app_opens_every_tab_for_the_teacher_a_teammate_and_a_coach(sqlite_team, room):
    for params in (
        {"team": sqlite_team.code, "member": sqlite_team.people[0].token},
        {"team": sqlite_team.code, "member": sqlite_team.people[1].token},
        {"coach": sqlite_team.coach_code, "team": sqlite_team.code},
    ):
        app = FamiliesApp(sqlite_team.store, params)
        assert app.scope is not None, app.status.value
        assert app.state.class_id == room.class_id
        for index in range(len(app.tabs.children)):
            app.tabs.selected_index = index
        assert "error" not in app.status.value.lower(), app.status.value
        app.close()


def test_a_closed_page_leaves_no_widget_open_and_no_task_running(sqlite_team, room):
    registry = ipywidgets_widget._instances

    async def visit():
        await asyncio.sleep(0)
        widgets_before = set(registry)
        tasks_before = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        app = FamiliesApp(
            sqlite_team.store, {"team": sqlite_team.code, "member": sqlite_team.people[0].token}
        )
        prepare(room, app.meetings)
        for index in range(len(app.tabs.children)):
            app.tabs.selected_index = index
        tasks = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        assert tasks - tasks_before  # the Meetings tab polls for the families' goals
        assert "error" not in app.status.value.lower(), app.status.value
        app.close()
        for _ in range(3):
            await asyncio.sleep(0)
        left_tasks = {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}
        return set(registry) - widgets_before, left_tasks - tasks_before

    left_widgets, left_tasks = asyncio.run(visit())
    assert sorted(type(registry[key]).__name__ for key in left_widgets) == []
    assert left_tasks == set()


def test_no_dropdown_on_show_is_blank(sqlite_team, room):
    """As tests/unit/test_no_blank_dropdowns.py checks every workbook, with a meeting,
    conference times, a workshop and a person of a family."""
    teacher_data(room)
    family_workshops.add_workshop(
        room.ana, room.class_id, {"en": "Games"}, dt.date(2026, 11, 5), "17:30", "Library"
    )
    # a free time first: its family drop-down shows "free"
    conferences.add_slots(
        room.ana, room.class_id, "individual", dt.date(2026, 10, 21), "15:00", 20, 1
    )
    for member in (0, 1):
        app = FamiliesApp(
            sqlite_team.store,
            {"team": sqlite_team.code, "member": sqlite_team.people[member].token},
        )
        blank = blank_dropdowns(app.widget)
        for index in range(len(app.tabs.children)):
            app.tabs.selected_index = index
            blank += blank_dropdowns(app.widget)
        assert not blank, f"blank: {sorted(set(blank))}"
        app.close()
