"""The teamwork check on the teacher's page, with a real store and students answering
through their own page's store: opened for saved groups, answers counted as they come
(the page polls the class's change counter), results with their flags in words, comments
for the class's teacher only, feedback released after a question, and nothing of it for
a coach, a colleague's hidden buttons or a name typed as a script. Students show under
their pseudonyms until a member chooses "Show names" (the page's one switch)."""

from __future__ import annotations

import asyncio
import html

import pytest

from collab_widgets.core.errors import AccessDenied
from collab_widgets.live.rules import POLL_SECONDS
from collab_widgets.students import evaluation as rules
from collab_widgets.students.model import Placement
from collab_widgets.students.store import classes, evaluations, groupings, student
from collab_widgets.students.ui.evaluation_panel import (
    FLAG_WORDS,
    MEMBERS_ONLY,
    EvaluationPanel,
)
from collab_widgets.students.ui.state import PSEUDONYMS_HINT
from tests.unit.store_helpers import EVIL
from tests.unit.students.test_growth_ui import NAMES, built, ids_of, make_class, press
from tests.unit.widget_helpers import answer_yes, find, texts

DIMENSIONS = rules.load_dimensions()
SHOWN_EVIL = EVIL[:40]  # a display name is at most 40 characters


class Classroom:
    """Ana's class of four (the third shown as a script), in one saved group of four,
    each with a card; Ana's page open on it."""

    def __init__(self, team):
        self.team = team
        self.ana = team.member(0)
        self.class_id = make_class(team, 4, {2: SHOWN_EVIL})
        self.ids = ids_of(team, self.class_id)
        self.grouping_id = groupings.save(
            self.ana,
            self.class_id,
            "groups",
            "Science fair teams",
            {},
            None,
            [Placement(i, 1) for i in self.ids],
        )
        self.cards = classes.issue_student_codes(self.ana, self.class_id)
        self.code = classes.class_info(self.ana, self.class_id).code
        self.page = built(EvaluationPanel, self.ana, self.class_id)

    def open_check(self, title="Fair, week 3"):
        self.page.groups.value = self.grouping_id
        self.page.title.value = title
        press(self.page, "Open the teamwork check")
        return evaluations.evaluations(self.ana, self.class_id)[0]

    def answer(self, index: int, levels: dict[int, int], comments=None):
        """Student ``index`` rates the students at the indexes given, the same level on
        every question."""
        session = student.signed_in(self.team.store, self.code, self.cards[self.ids[index]])
        check = evaluations.evaluations(self.ana, self.class_id)[0]
        ratings = {
            (self.ids[who], d.id): level for who, level in levels.items() for d in DIMENSIONS
        }
        written = {self.ids[who]: text for who, text in (comments or {}).items()}
        student.save_evaluation(self.team.store, session, check.id, ratings, written, DIMENSIONS)

    def everyone_answers(self):
        """Maya (0) rates herself 5; the other three rate her 2 and each other 4."""
        self.answer(0, {0: 5, 1: 4, 2: 4, 3: 4}, {1: f"Leo listens {EVIL}"})
        self.answer(1, {0: 2, 1: 4, 2: 4, 3: 4})
        self.answer(2, {0: 2, 1: 4, 2: 4, 3: 4})
        self.answer(3, {0: 2, 1: 4, 2: 4, 3: 3})


@pytest.fixture
def room(sqlite_team):
    return Classroom(sqlite_team)


def test_a_check_opens_and_counts_answers_then_shows_flags_in_words(room):
    check = room.open_check()
    assert check.open and check.title == "Fair, week 3"
    page = room.page
    assert page.choice.value == check.id
    assert "0 of 4 students have answered" in page.count.value
    assert "No ratings yet" in page.results.value
    room.everyone_answers()
    page.refresh()  # as the poll does when the class's counter moves
    assert "4 of 4 students have answered" in page.count.value
    page.state.show_names = True
    shown = page.results.value
    assert html.escape(FLAG_WORDS["above_peers"]) in shown
    assert html.escape(FLAG_WORDS["low_by_all"]) in shown
    maya = shown.split("<tr><td>Maya</td>")[1].split("</tr>")[0]
    assert "<td>5.0</td><td>2.0</td><td>3</td><td>+3.0</td>" in maya
    assert "Each question, group 1" in shown  # the per-question detail, folded
    assert html.escape(rules.FLAGS["low_by_all"]) in page.legend.value


def test_names_and_comments_are_escaped_and_comments_are_the_teachers_only(room, sqlite_team):
    room.open_check()
    room.everyone_answers()
    room.page.state.show_names = True
    page_html = room.page.results.value + room.page.comments.value
    assert "&lt;script&gt;" in page_html and "<script>" not in page_html
    assert "never shown to students" in room.page.comments.value
    assert "Leo listens" in room.page.comments.value
    ben = built(EvaluationPanel, sqlite_team.member(1), room.class_id)
    ben.state.show_names = True
    assert "Maya" in ben.results.value  # a colleague on the team reads the results
    assert ben.comments.value == "" and "Leo listens" not in texts(ben)
    assert ben.opener.layout.display == "none" and ben.actions.layout.display == "none"


def test_feedback_is_released_after_a_question_and_taken_back(room):
    check = room.open_check()
    room.everyone_answers()
    room.page.refresh()
    press(room.page, "Release feedback to students")
    assert evaluations.evaluations(room.ana, room.class_id)[0].released_at is None  # asked
    assert "never who said what" in texts(room.page.release)
    answer_yes(room.page)
    released = evaluations.evaluations(room.ana, room.class_id)[0]
    assert released.released_at is not None and not released.open
    assert "Feedback released" in room.page.count.value
    session = student.signed_in(room.team.store, room.code, room.cards[room.ids[0]])
    own = student.page(room.team.store, session, DIMENSIONS).feedback
    assert own.self_rating == 5.0 and own.teammates_mean == 2.0
    press(room.page, "Take feedback back")
    assert evaluations.evaluations(room.ana, room.class_id)[0].released_at is None
    assert student.page(room.team.store, session, DIMENSIONS).evaluation is None
    assert check.id == released.id


def test_a_check_is_closed_and_deleted_after_a_question(room):
    room.open_check()
    press(room.page, "Close the teamwork check")
    answer_yes(room.page)
    assert not evaluations.evaluations(room.ana, room.class_id)[0].open
    assert room.page.close_check.layout.display == "none"
    press(room.page, "Delete this teamwork check")
    assert evaluations.evaluations(room.ana, room.class_id)  # only asked so far
    answer_yes(room.page)
    assert evaluations.evaluations(room.ana, room.class_id) == []
    assert "No teamwork check in this class yet" in texts(room.page)


def test_a_coach_sees_how_many_answered_and_no_rating_or_name(room, sqlite_team):
    room.open_check()
    room.everyone_answers()
    coach = built(EvaluationPanel, sqlite_team.as_coach, room.class_id)
    everything = texts(coach)
    assert "4 of 4 students have answered" in everything
    assert html.escape(MEMBERS_ONLY) in everything
    assert not any(name in everything for name in NAMES[:4])
    assert "Leo listens" not in everything and "5.0" not in everything
    assert coach.results.value == "" and coach.comments.value == ""
    assert coach.opener.layout.display == "none"


def test_a_colleagues_hidden_buttons_change_nothing(room, sqlite_team):
    check = room.open_check()
    ben = built(EvaluationPanel, sqlite_team.member(1), room.class_id)
    ben.groups.options = [("Science fair teams", room.grouping_id)]
    ben.groups.value = room.grouping_id
    press(ben, "Open the teamwork check")
    assert "teacher changes it" in ben.status.value
    ben.release.yes.click()
    ben.close_check.yes.click()
    ben.delete.yes.click()
    (still,) = evaluations.evaluations(room.ana, room.class_id)
    assert still.id == check.id and still.open and still.released_at is None


def test_the_page_polls_while_a_check_is_open_and_stops_when_it_closes(room):
    async def lesson():
        page = room.page
        assert not page.loop.running  # nothing open yet
        room.open_check()
        assert page.loop.running
        slept = []

        async def quick(seconds):  # the loop's one-second sleep, without waiting
            slept.append(seconds)
            await asyncio.sleep(0)

        page.loop.stop()
        page.loop.sleep = quick
        page.loop.start()
        room.answer(1, {0: 3, 1: 4})
        for _ in range(20):
            await asyncio.sleep(0)
        assert "1 of 4 students have answered" in page.count.value
        assert set(slept) == {POLL_SECONDS}
        press(page, "Close the teamwork check")
        answer_yes(page)
        assert not page.loop.running
        page.close()  # the page goes away

    asyncio.run(lesson())


def test_the_page_stops_polling_when_it_goes_away(room):
    async def lesson():
        room.open_check()
        assert room.page.loop.running
        room.page.close_live()
        assert not room.page.loop.running
        room.page.refresh()
        room.page.close()
        assert not room.page.loop.running

    asyncio.run(lesson())


def test_no_saved_groups_says_what_to_do_first(sqlite_team):
    class_id = make_class(sqlite_team, 3)
    page = built(EvaluationPanel, sqlite_team.member(0), class_id)
    assert page.no_groups.layout.display != "none"
    press(page, "Open the teamwork check")
    assert "Choose the saved groups" in page.status.value
    assert find(page, type(page.none))


def test_results_and_comments_show_pseudonyms_until_names_are_shown(room):
    room.open_check()
    room.everyone_answers()
    page = room.page
    page.refresh()
    roster = classes.roster(room.ana, room.class_id)
    maya, leo = roster[0].pseudonym, roster[1].pseudonym
    comment = f"Leo listens {html.escape(EVIL)}"  # what Maya wrote, shown as written
    shown = page.results.value + page.comments.value.replace(comment, "")
    assert not any(name in shown for name in NAMES[:4])
    assert "&lt;script&gt;" not in shown  # the third student's display name neither
    assert f"<tr><td>{maya}</td>" in page.results.value
    assert f"About {leo}</b> (from {maya})" in page.comments.value
    assert "Leo listens" in page.comments.value  # the comment itself, as written
    assert page.pseudonyms_hint.layout.display != "none"
    assert PSEUDONYMS_HINT in page.pseudonyms_hint.value
    page.state.show_names = True  # drawn again at once, names in every table
    assert "<tr><td>Maya</td>" in page.results.value and maya not in page.results.value
    assert "About Leo</b> (from Maya)" in page.comments.value
    assert page.pseudonyms_hint.layout.display == "none"
    page.state.show_names = False
    assert "Maya" not in page.results.value and maya in page.results.value


def test_a_coach_with_show_names_forced_still_sees_no_name(room, sqlite_team):
    room.open_check()
    room.everyone_answers()
    coach = built(EvaluationPanel, sqlite_team.as_coach, room.class_id)
    coach.state.show_names = True  # refused for a coach
    assert coach.state.show_names is False
    coach.state._trait_values["show_names"] = True  # past the state's guard
    coach.refresh()
    everything = texts(coach)
    assert not any(name in everything for name in NAMES[:4])
    assert coach.results.value == "" and coach.pseudonyms_hint.layout.display == "none"
    # as if a member: the store itself refuses a coach the ratings (names or not)
    coach.state._trait_values["names"] = True
    with pytest.raises(AccessDenied):
        coach._show()
