"""The classroom screens as their visitors use them: a plan written together (sections,
tasks and how two adults share them, versions compared, the plan to download), a lesson
study moved through its stages, notes taken while observing (saved as typed, tagged, a
photo attached), and a peer observation seen by its two teachers only."""

from __future__ import annotations

import base64
import datetime as dt
import io

import ipywidgets as widgets
import pytest
from PIL import Image

from collab_widgets.classroom import rules
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.app import ClassroomApp
from collab_widgets.classroom.ui.co_plan import CoPlanPanel
from collab_widgets.classroom.ui.lesson_study import LessonStudyPanel
from collab_widgets.classroom.ui.observe import AFTER, ObservationPanel
from collab_widgets.classroom.ui.peer import PeerPanel
from collab_widgets.core.ui.debounce import flush_all
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from tests.unit.store_helpers import EVIL
from tests.unit.widget_helpers import BUTTONS, find, texts


def built(panel_class, scope):
    panel = panel_class(scope, StatusLine(), SavedIndicator())
    panel.refresh()
    return panel


def press(widget, label: str) -> None:
    (found,) = find(widget, BUTTONS, lambda b: b.description == label)
    found.click()


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def uploaded(name: str, data: bytes) -> list[dict]:
    """What a FileUpload holds once the browser sent a file."""
    return [
        {
            "name": name,
            "type": "",
            "size": len(data),
            "last_modified": dt.datetime(2026, 10, 15, tzinfo=dt.UTC),
            "content": memoryview(data),
        }
    ]


@pytest.fixture
def plan(sqlite_team):
    ana = sqlite_team.member(0)
    plan_id = classroom.create_plan(ana, "Fractions on a number line")
    classroom.add_segment(ana, plan_id, "Launch", 10)
    return plan_id


@pytest.fixture
def lesson(sqlite_team, plan):
    ana = sqlite_team.member(0)
    study_id = classroom.create_study(ana, "Fractions as numbers")
    classroom.set_research_lesson(ana, study_id, plan)
    for stage in (rules.STUDY, rules.PLAN, rules.TEACH):
        classroom.move(ana, study_id, stage)
    return study_id


# --- planning together -----------------------------------------------------------------


def test_a_plan_is_written_section_by_section_as_typed(sqlite_team, plan):
    ana, ben = (built(CoPlanPanel, sqlite_team.member(i)) for i in (0, 1))
    ana.boxes["criteria"].value = "I split the whole into equal parts."
    ben.boxes["materials"].value = f"Fraction strips {EVIL}"
    flush_all()
    stored = classroom.get_plan(sqlite_team.member(2), plan)
    assert stored.sections["criteria"] == "I split the whole into equal parts."
    assert stored.sections["materials"] == f"Fraction strips {EVIL}"
    # each page shows the other's section when it draws from the store (as its poll does)
    ana.refresh(live=True)
    assert ana.boxes["materials"].value == f"Fraction strips {EVIL}"


def test_a_task_takes_its_minutes_and_how_two_adults_share_it(sqlite_team, plan):
    page = built(CoPlanPanel, sqlite_team.member(0))
    (row,) = page.rows.values()
    row.minutes.value = 15
    row.approach.value = "station-teaching"
    segment = classroom.get_plan(sqlite_team.member(0), plan).segments[0]
    assert (segment.minutes, segment.approach) == (15, "station-teaching")
    assert "Lead:" in row.roles.value and "Partner:" in row.roles.value
    row.approach.value = None  # one teacher again
    assert classroom.get_plan(sqlite_team.member(0), plan).segments[0].approach is None
    assert row.roles.value == ""
    press(page, "Add a task")
    assert len(page.rows) == 2 and "25 minutes" in page.total.value


def test_versions_are_kept_compared_and_the_plan_downloads(sqlite_team, plan):
    page = built(CoPlanPanel, sqlite_team.member(0))
    page.version_label.value = "Before the lesson"
    press(page, "Keep this version")
    page.boxes["target"].value = f"I can place 3/4 {EVIL}"
    flush_all()
    page.refresh()
    page.older.value, page.newer.value = 1, 0  # version 1 against the plan as it is now
    assert "Put in" in page.changes.value and "&lt;script&gt;" in page.changes.value
    assert "<script>" not in page.changes.value
    assert page.downloads.value == ""  # made on request
    press(page, "Make the printable plan")
    assert "Download the plan" in page.downloads.value and "Markdown" in page.downloads.value
    html_link = page.downloads.value.split("href='")[1].split("'")[0]
    printable = base64.b64decode(html_link.split(",", 1)[1]).decode()
    assert "I can place 3/4" in printable and "<script>alert" not in printable


# --- lesson study -----------------------------------------------------------------------


def test_a_lesson_study_moves_through_its_stages_from_its_buttons(sqlite_team, plan):
    page = built(LessonStudyPanel, sqlite_team.member(0))
    page.new_title.value = "Fractions as numbers"
    press(page, "Start a lesson study")
    assert "Research theme" in page.stages.value and "(now)" in page.stages.value
    press(page, "Go on to study")
    press(page, "Go on to plan the lesson")
    assert page.study.stage == rules.PLAN
    press(page, "Start the lesson: observers take notes")  # no research lesson chosen yet
    assert "Choose the research lesson&#x27;s plan" in page.status.value
    page.plan.value = plan
    press(page, "Start the lesson: observers take notes")
    assert page.study.stage == rules.TEACH and page.plan.disabled
    assert not find(page.moves, BUTTONS, lambda b: "Back" in b.description)


def test_a_forged_debrief_press_before_the_lesson_changes_nothing(sqlite_team, lesson):
    page = built(LessonStudyPanel, sqlite_team.member(0))
    assert page.debrief.disabled
    page.debrief.click()  # a browser can press a disabled button
    assert "once the lesson was taught" in page.status.value
    assert classroom.get_study(sqlite_team.member(0), lesson).debrief_run_id is None


# --- observing --------------------------------------------------------------------------


def test_a_note_is_saved_as_typed_and_every_observer_sees_it(sqlite_team, lesson):
    ben, chen = (built(ObservationPanel, sqlite_team.member(i)) for i in (1, 2))
    ben.criterion.value = ""
    ben.taker.box.value = f"Counted the tick marks {EVIL}"
    flush_all()
    ben.taker.box.value = f"Counted the tick marks, not the spaces {EVIL}"
    flush_all()
    (note,) = classroom.notes(sqlite_team.member(0), lesson)
    assert note.text == f"Counted the tick marks, not the spaces {EVIL}"  # one note, edited
    chen._draw_notes()
    assert "Counted the tick marks, not the spaces" in chen.feed.value
    assert "<script>" not in chen.feed.value and "&lt;script&gt;" in chen.feed.value
    press(ben, "Next note")
    assert ben.taker.box.value == ""
    ben.taker.box.value = "Asked whether the line starts at 0"
    flush_all()
    assert len(classroom.notes(sqlite_team.member(0), lesson)) == 2


def test_a_note_typed_after_the_lesson_is_kept_and_marked(sqlite_team, lesson):
    classroom.move(sqlite_team.member(0), lesson, rules.DEBRIEF)
    ben = built(ObservationPanel, sqlite_team.member(1))
    assert "The lesson has ended" in ben.state.value
    ben.taker.box.value = "Remembered: she folded the strip twice"
    flush_all()
    (note,) = classroom.notes(sqlite_team.member(0), lesson)
    assert note.after_lesson and AFTER in ben.feed.value


def test_a_photo_goes_on_ones_own_note_and_a_bad_file_is_refused(sqlite_team, lesson):
    ben = built(ObservationPanel, sqlite_team.member(1))
    ben.photo.value = uploaded("work.png", photo_bytes())
    assert "Write your note first" in ben.status.value
    ben.taker.box.value = "Her strip, folded in fourths"
    flush_all()
    ben.photo.value = uploaded("notes.pdf", b"%PDF-1.7 not a picture")
    assert "not a picture" in ben.status.value
    ben.photo.value = uploaded("work.png", photo_bytes())
    (note,) = classroom.notes(sqlite_team.member(0), lesson)
    assert len(note.photo_ids) == 1 and "data:image/jpeg;base64," in ben.feed.value
    # a coach opening the team, or a visitor holding the team link, sees neither notes
    # nor photos: they are about students
    for outsider in (sqlite_team.as_coach, sqlite_team.store.open_team(sqlite_team.code)):
        page = built(ObservationPanel, outsider)
        assert "for the team&#x27;s members" in page.empty.value
        assert "Her strip" not in texts(page) and "data:image" not in texts(page)


# --- peer observation -------------------------------------------------------------------


def test_a_peer_observation_is_shown_to_its_two_teachers_only(sqlite_team):
    ana = built(PeerPanel, sqlite_team.member(0))
    ana.observer.value = sqlite_team.people[1].id
    ana.focus.value = "Who answers my questions"
    press(ana, "Invite")
    ben = built(PeerPanel, sqlite_team.member(1))
    assert "You observe Ana" in ben.choice.label and "Who answers my questions" in ben.about.value
    press(ben, "The lesson starts")
    ben.taker.box.value = "PEER-NOTE: six hands, four from the front table"
    flush_all()
    ben.texts["glows"].box.value = "Wait time brought two more in"
    flush_all()
    ana.refresh()
    assert "PEER-NOTE" in ana.notes.value and "Wait time brought" in ana.feedback.value
    chen = built(PeerPanel, sqlite_team.member(2))
    coach = built(PeerPanel, sqlite_team.as_coach)
    assert coach.members_part.layout.display == "none" and "belong to the two" in texts(coach)
    for outsider in (chen, coach):
        shown = texts(outsider)
        assert "PEER-NOTE" not in shown and "Wait time brought" not in shown
        assert "Who answers my questions" not in shown
    # Ana shares the note: her teammates see it, the coach still does not
    (share,) = find(ana.sharing, widgets.Checkbox)
    share.value = True
    chen.refresh()
    coach.refresh()
    assert "PEER-NOTE" in chen.team_learning.value
    assert "PEER-NOTE" not in coach.team_learning.value


def test_the_app_opens_every_tab_for_a_member(sqlite_team, lesson):
    app = ClassroomApp(
        sqlite_team.store, {"team": sqlite_team.code, "member": sqlite_team.people[1].token}
    )
    assert app.scope is not None, app.status.value
    for index in range(len(app.tabs.children)):
        app.tabs.selected_index = index
    assert "error" not in app.status.value.lower()
    app.close()


def test_words_the_store_refused_stay_in_the_box_until_they_are_saved(sqlite_team):
    """Typed before the lesson started: refused, kept, and stored once it starts."""
    ana = built(PeerPanel, sqlite_team.member(0))
    ana.observer.value = sqlite_team.people[1].id
    press(ana, "Invite")
    ben = built(PeerPanel, sqlite_team.member(1))
    ben.taker.box.value = "Six hands went up"
    flush_all()
    assert "Not saved" in ben.indicator.value
    press(ben, "Next note")  # refused: the words stay
    assert ben.taker.box.value == "Six hands went up" and "still in the box" in ben.status.value
    press(ben, "The lesson starts")
    (peer,) = classroom.my_peer_observations(sqlite_team.member(1))
    assert [n.text for n in classroom.peer_notes(sqlite_team.member(1), peer.id)] == [
        "Six hands went up"
    ]
    assert "All changes saved" in ben.indicator.value


def test_a_note_goes_to_the_lesson_shown_when_it_was_typed(sqlite_team, plan, lesson):
    ana = sqlite_team.member(0)
    other = classroom.create_study(ana, "Second lesson")
    classroom.set_research_lesson(ana, other, plan)
    for stage in (rules.STUDY, rules.PLAN, rules.TEACH):
        classroom.move(ana, other, stage)
    ben = built(ObservationPanel, sqlite_team.member(1))
    ben.choice.value = lesson
    ben.taker.box.value = "On the first lesson"
    flush_all()
    ben.choice.value = other
    ben.taker.box.value = "On the second lesson"
    flush_all()
    assert [n.text for n in classroom.notes(ana, lesson)] == ["On the first lesson"]
    assert [n.text for n in classroom.notes(ana, other)] == ["On the second lesson"]


def test_next_note_keeps_the_last_words_the_browser_held_back(sqlite_team, lesson):
    """The click carries the box's text as the browser has it; the note keeps all of it,
    and the next note starts in a new box (the old one closed, so a late change of it
    reaches nothing)."""
    ben = built(ObservationPanel, sqlite_team.member(1))
    box = ben.taker.box
    box.value = "Counted the tick"  # the kernel has only this much so far
    flush_all()
    button = ben.taker.next_note
    button._message(button, {"event": "click", "values": {box.model_id: "Counted the ticks"}}, [])
    assert [n.text for n in classroom.notes(sqlite_team.member(0), lesson)] == ["Counted the ticks"]
    assert box.comm is None and ben.taker.box is not box and ben.taker.box.value == ""
    assert button.reads == [ben.taker.box]
