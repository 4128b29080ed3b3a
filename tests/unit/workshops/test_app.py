"""Workshop mode: the trainer's prompts and controls, who sees what (a participant only
the current prompt, its own answer and the revealed aggregate; a coach only its own
workshops; a team code nothing of them), the aggregations, the export, and the
presenter's page. The participants' light page and its API: ``test_workshop_api.py``."""

import base64
import csv
import io

import ipywidgets as widgets
import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.protocols.library import load_library
from collab_widgets.workshops.app import WorkshopPresenterApp
from collab_widgets.workshops.rules import (
    answers_csv,
)
from collab_widgets.workshops.store import participant as participants
from collab_widgets.workshops.store import trainer as workshops
from tests.unit.widget_helpers import BUTTONS, find, texts


def test_the_presenter_sets_up_runs_reveals_ends_and_exports(team):
    app = WorkshopPresenterApp(team.store, {"coach": team.coach_code})
    page = app.presenter
    page.new_title.value = "Kickoff <b>"
    find(app.widget, BUTTONS, lambda b: "collab-ws-create" in b._dom_classes)[0].click()
    assert "Kickoff &lt;b&gt;" in texts(app.widget)
    page.kind.value = "choice"
    find(app.widget, BUTTONS, lambda b: b.description == "Add prompt")[0].click()
    row = page.rows[0]
    text, options = find(row, widgets.Textarea)
    text.value = "Ready?"
    options.value = "Yes\nNo"
    page.next.click()
    assert "Ready?" in texts(page.stage) and "<b>0</b> of 0 have answered" in texts(page.stage)
    code = page.workshop.code
    who = participants.join(team.store, code, "Ana")
    participants.answer(who, page.workshop.current.id, "No")
    page.refresh_stage()
    assert "<b>1</b> of 1 have answered" in texts(page.stage)
    assert "collab-bar-count'>1<" in page.results.value
    page.reveal.value = True
    assert participants.room(who).results is not None
    find(app.widget, BUTTONS, lambda b: b.description == "Export answers")[0].click()
    encoded = page.export_link.value.split("base64,")[1].split("'")[0].split('"')[0]
    table = list(csv.reader(io.StringIO(base64.b64decode(encoded).decode("utf-8-sig"))))
    assert table[1][4:6] == ["Ana", "No"]
    page.end_button.button.click()
    assert not participants.room(who).ended  # asked first
    page.end_button.yes.click()
    assert participants.room(who).ended and not page.loop.running


def test_the_presenter_adds_a_protocols_steps_and_a_practice_team(team):
    app = WorkshopPresenterApp(team.store, {"coach": team.coach_code})
    page = app.presenter
    workshop_id = workshops.create(team.coach, "Protocols day")
    page.refresh(keep=workshop_id)
    page.protocol.value = "looking-at-data"
    find(app.widget, BUTTONS, lambda b: b.description == "Add its steps")[0].click()
    steps = len(load_library().get("looking-at-data").steps)
    assert len(workshops.get(team.coach, workshop_id).prompts) == steps
    page.practice_link.value = ""
    find(app.widget, BUTTONS, lambda b: "Practice team" in b.description)[0].click()
    assert "02_evidence_analysis.ipynb?team=" in page.practice_link.value
    assert workshops.get(team.coach, workshop_id).team_name == "Practice: Protocols day"


def test_removing_a_prompt_keeps_the_room_on_the_prompt_it_sees(room):
    team, workshop_id, code, first = room
    coach = team.coach
    workshops.show(coach, workshop_id, 1)  # the word prompt
    workshops.remove_prompt(coach, first)  # one before it
    assert workshops.get(coach, workshop_id).current.text == "One word"
    workshops.show_results(coach, workshop_id, True)
    shown = workshops.get(coach, workshop_id).current
    workshops.remove_prompt(coach, shown.id)  # the one shown: the next, results hidden
    after = workshops.get(coach, workshop_id)
    assert after.current.text == "What do you hope for?" and not after.results_shown
    workshops.remove_prompt(coach, after.current.id)  # the last one: nothing shown
    assert workshops.get(coach, workshop_id).current is None
    assert participants.room(participants.join(team.store, code)).prompt is None


def test_a_shown_prompt_stays_answerable_and_answered_options_stay(room):
    team, workshop_id, code, first = room
    coach = team.coach
    with pytest.raises(InvalidInput, match="2 to 8 options"):
        workshops.edit_prompt(coach, first, options=("Yes",))  # shown now
    with pytest.raises(InvalidInput, match="Write the prompt"):
        workshops.edit_prompt(coach, first, text="  ")
    workshops.edit_prompt(coach, first, text="Ready to start?")  # wording may change
    participants.answer(participants.join(team.store, code), first, "Yes")
    with pytest.raises(InvalidInput, match="already has answers"):
        workshops.edit_prompt(coach, first, options=("Yes", "No", "Later"))
    blank = workshops.add_prompt(coach, workshop_id, "choice")
    workshops.show(coach, workshop_id, 2)
    workshops.remove_prompt(coach, workshops.get(coach, workshop_id).current.id)
    assert workshops.get(coach, workshop_id).position == -1  # the next one is not written
    assert blank


def test_the_export_numbers_prompts_as_the_room_saw_them_and_marks_removed_ones(room):
    team, workshop_id, code, first = room
    coach = team.coach
    who = participants.join(team.store, code, "Ana")
    participants.answer(who, first, "No")
    workshops.show(coach, workshop_id, 1)
    word = workshops.get(coach, workshop_id).current
    participants.answer(who, word.id, "curious")
    workshops.remove_prompt(coach, first)
    workshop, rows = workshops.answers(coach, workshop_id)
    table = list(csv.reader(io.StringIO(answers_csv(workshop, rows))))
    assert [(r[1], r[5]) for r in table[1:]] == [("removed", "No"), ("1", "curious")]
    workshops.end(coach, workshop_id)
    with pytest.raises(InvalidInput, match="ended"):
        workshops.edit_prompt(coach, word.id, text="rewritten after the fact")
    with pytest.raises(InvalidInput, match="ended"):
        workshops.add_prompt(coach, workshop_id, "text")
