"""Workshop mode: the trainer's prompts and controls, who sees what (a participant only
the current prompt, its own answer and the revealed aggregate; a coach only its own
workshops; a team code nothing of them), the aggregations, the export, and the
presenter's page. The participants' light page and its API: ``test_workshop_api.py``."""

import base64
import csv
import html
import io
from pathlib import Path

import ipywidgets as widgets
import pytest
import sqlalchemy as sa

from collab_widgets.core.db import activity
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.protocols.library import load_library
from collab_widgets.team.store import teams
from collab_widgets.workshops.app import NOT_A_COACH, WorkshopPresenterApp
from collab_widgets.workshops.rules import (
    WorkshopPrompt,
    aggregate,
    answers_csv,
    check_answer,
    normalise_word,
    parse_options,
    protocol_prompts,
)
from collab_widgets.workshops.store import participant as participants
from collab_widgets.workshops.store import trainer as workshops
from tests.unit.widget_helpers import find, texts

ROOT = Path(__file__).resolve().parents[2]


def _choice(options=("Yes", "No", "Not sure")):
    return WorkshopPrompt(1, 0, "choice", "Ready?", tuple(options))


# --- aggregations ------------------------------------------------------------------------


def test_a_choice_counts_every_option_in_order_blank_answers_not_counted():
    result = aggregate(_choice(), ["No", "Yes", "No", "", "  "])
    assert result.answered == 3
    assert result.rows == (("Yes", 1), ("No", 2), ("Not sure", 0))
    assert result.average is None
    assert result.sentence() == "3 answers."


def test_fist_to_five_has_its_spread_average_and_who_is_low_to_hear():
    prompt = WorkshopPrompt(1, 0, "fist", "Agree?")
    result = aggregate(prompt, ["5", "4", "1", "2", "3"])
    assert [count for _label, count in result.rows] == [0, 1, 1, 1, 1, 1]
    assert result.rows[0][0] == "0 (fist)"
    assert result.average == 3.0
    assert result.low == 2
    assert result.sentence() == "5 answers, average 3.0; 2 at 2 or below, to be heard first."


def test_a_rating_spreads_over_one_to_five():
    result = aggregate(WorkshopPrompt(1, 0, "rating", "How sure?"), ["1", "5", "5"])
    assert [label for label, _c in result.rows] == ["1", "2", "3", "4", "5"]
    assert dict(result.rows)["5"] == 2
    assert round(result.average, 2) == 3.67


def test_words_are_counted_most_frequent_first_ignoring_case_spacing_and_end_marks():
    prompt = WorkshopPrompt(1, 0, "word", "One word for today")
    result = aggregate(prompt, ["Curious", "curious!", " hopeful ", "Tired", "CURIOUS", "hopeful"])
    assert result.rows[:2] == (("curious", 3), ("hopeful", 2))
    assert normalise_word("  Data   driven. ") == "data driven"


def test_open_text_is_listed_newest_first_without_names():
    result = aggregate(WorkshopPrompt(1, 0, "text", "Why?"), ["first", "second"])
    assert result.texts == ("second", "first") and result.rows == ()


def test_answers_are_checked_against_the_prompt():
    assert check_answer(_choice(), "Yes") == "Yes"
    with pytest.raises(InvalidInput, match="Pick one of the answers"):
        check_answer(_choice(), "Maybe")
    with pytest.raises(InvalidInput, match="Pick one"):
        check_answer(WorkshopPrompt(1, 0, "fist", "?"), "6")
    with pytest.raises(InvalidInput, match="under 40"):
        check_answer(WorkshopPrompt(1, 0, "word", "?"), "x" * 41)
    assert check_answer(WorkshopPrompt(1, 0, "text", "?"), "  as typed\n") == "  as typed\n"


def test_options_typed_one_per_line_drop_blanks_and_repeats():
    assert parse_options("Yes\n\n No \nYes\nMaybe  so") == ("Yes", "No", "Maybe so")


def test_a_library_protocol_becomes_one_prompt_per_step_of_a_fitting_kind():
    protocol = load_library().get("looking-at-data")
    specs = protocol_prompts(protocol)
    assert len(specs) == len(protocol.steps)
    for (kind, text, _options), step in zip(specs, protocol.steps, strict=True):
        assert step.title in text
        expected = {"fist-to-five": "fist", "rating": "rating"}.get(step.input, kind)
        assert kind == expected
        if step.input not in ("fist-to-five", "rating", "dot-vote"):
            assert kind == "text"


# --- the store: a workshop run from start to end ------------------------------------------


def test_a_room_answers_and_the_trainer_sees_counts_then_the_export(room):
    team, workshop_id, code, first = room
    people = [participants.join(team.store, code, name) for name in ("Ana", "", "Ben")]
    assert people[1].name is None  # joined anonymously
    for who, pick in zip(people, ("Yes", "No", "No"), strict=True):
        participants.answer(who, first, pick)
    participants.answer(people[0], first, "No")  # a changed mind replaces the answer
    workshop, result = workshops.results(team.coach, workshop_id)
    assert workshop.title == "PLC kickoff" and workshop.joined == 3
    assert result.rows == (("Yes", 0), ("No", 3))
    exported, rows = workshops.answers(team.coach, workshop_id)
    table = list(csv.reader(io.StringIO(answers_csv(exported, rows))))
    assert table[0][:6] == ["workshop", "prompt number", "prompt", "kind", "participant", "answer"]
    assert sorted(r[4] for r in table[1:]) == ["Ana", "Ben", "anonymous"]


def test_a_participant_sees_only_the_current_prompt_and_the_aggregate_once_revealed(room):
    team, workshop_id, code, first = room
    ana, ben = (participants.join(team.store, code, n) for n in ("Ana", "Ben"))
    participants.answer(ana, first, "Yes")
    view = participants.room(ben)
    assert view.prompt.text == "Ready?" and view.own_answer == "" and view.results is None
    assert participants.room(ana).own_answer == "Yes"
    workshops.show_results(team.coach, workshop_id, True)
    shown = participants.room(ben).results
    assert shown.rows == (("Yes", 1), ("No", 0))
    assert "Ana" not in repr(shown)  # counts, never who
    workshops.show(team.coach, workshop_id, 2)
    moved = participants.room(ben)
    assert moved.prompt.kind == "text" and moved.results is None  # hidden again
    participants.answer(ben, first, "Yes")  # typed just before the trainer moved on: kept
    assert workshops.results(team.coach, workshop_id)[0].position == 2
    workshops.show(team.coach, workshop_id, 0)
    later = workshops.get(team.coach, workshop_id).prompts[2]
    with pytest.raises(InvalidInput, match="no longer in the workshop"):
        participants.answer(ben, later.id, "not shown yet")


def test_open_text_answers_are_saved_exactly_as_typed(room):
    team, workshop_id, code, _first = room
    workshops.show(team.coach, workshop_id, 2)
    prompt = workshops.get(team.coach, workshop_id).current
    who = participants.join(team.store, code, "Chen")
    typed = "  <b>Time</b> to plan =together=\nand \u00e9cole  "
    participants.answer(who, prompt.id, typed)
    assert participants.room(who).own_answer == typed
    _w, rows = workshops.answers(team.coach, workshop_id)
    assert rows[-1].value == typed


def test_a_wrong_code_an_ended_workshop_and_an_unwritten_prompt_are_refused_plainly(room):
    team, workshop_id, code, first = room
    with pytest.raises(AccessDenied, match="No workshop has that code"):
        participants.join(team.store, "ZZZZZZ")
    assert participants.join(team.store, code.lower()[:3] + "-" + code.lower()[3:], "Ana")
    blank = workshops.add_prompt(team.coach, workshop_id, "text")
    assert blank
    with pytest.raises(InvalidInput, match="Write the prompt"):
        workshops.show(team.coach, workshop_id, 3)
    early = participants.join(team.store, code, "Ben")
    workshops.end(team.coach, workshop_id)
    with pytest.raises(InvalidInput, match="ended"):
        participants.join(team.store, code, "Late")
    with pytest.raises(InvalidInput, match="ended"):
        participants.answer(early, first, "Yes")
    assert participants.room(early).ended


def test_a_coach_sees_and_runs_only_its_own_workshops(room, store):
    team, workshop_id, _code, first = room
    other = store.open_coach(teams.add_coach(store, "Other Coach"))
    assert workshops.workshops(other) == []
    with pytest.raises(NotFound):
        workshops.get(other, workshop_id)
    with pytest.raises(NotFound):
        workshops.answers(other, workshop_id)
    with pytest.raises(NotFound):
        workshops.show(other, workshop_id, 1)
    with pytest.raises(NotFound):
        workshops.edit_prompt(other, first, text="hijacked")
    assert [w.title for w in workshops.workshops(team.coach)] == ["PLC kickoff"]


def test_a_team_code_opens_nothing_of_a_workshop(room):
    team, _workshop_id, code, _first = room
    with pytest.raises(AccessDenied):
        team.store.identify(code)  # a workshop code is not a team or coach code
    app = WorkshopPresenterApp(team.store, {"coach": team.code})
    assert html.escape(NOT_A_COACH) in texts(app.widget)
    assert "PLC kickoff" not in texts(app.widget)


def test_a_workshop_about_a_team_is_noted_in_its_activity_record(team):
    workshop_id = workshops.create(team.coach, "Data day", team.code)
    workshops.add_prompt(team.coach, workshop_id, "fist", "Agree?")
    workshops.show(team.coach, workshop_id, 0)
    participants.answer(
        participants.join(team.store, workshops.get(team.coach, workshop_id).code),
        *(
            workshops.get(team.coach, workshop_id).current.id,
            "4",
        ),
    )
    workshops.end(team.coach, workshop_id)
    summaries = [e.summary for e in activity.entries(team.member(0))]
    assert "Workshop “Data day” ended: 1 took part, 1 answer" in summaries
    assert any(s.startswith("Workshop “Data day” set up by") for s in summaries)


def test_each_change_raises_the_revision_participants_poll(room):
    team, workshop_id, code, first = room
    before = workshops.revision(team.store, workshop_id)
    who = participants.join(team.store, code)
    participants.answer(who, first, "Yes")
    workshops.show_results(team.coach, workshop_id, True)
    assert workshops.revision(team.store, workshop_id) == before + 3


def test_joins_saved_together_stand_alone_and_move_the_counter_once(room, monkeypatch):
    team, workshop_id, code, _first = room
    coach = team.coach
    ended = workshops.create(coach, "Yesterday")
    workshops.end(coach, ended)
    ended_code = workshops.get(coach, ended).code
    before = workshops.revision(team.store, workshop_id)
    with participants.joining(team.store) as join_one:
        ana = join_one(code.lower(), "  Ana ")
        with pytest.raises(AccessDenied, match="No workshop has that code"):
            join_one("WRONG1", "Guess")
        with pytest.raises(InvalidInput, match="ended"):
            join_one(ended_code, "Late")
        ben = join_one(code, "")
    assert workshops.revision(team.store, workshop_id) == before + 1
    assert ana.token != ben.token
    assert participants.participant(team.store, ana.token).name == "Ana"
    assert participants.participant(team.store, ben.token).participant_id == ben.participant_id
    assert workshops.get(coach, workshop_id).joined == 2

    with pytest.raises(RuntimeError), participants.joining(team.store) as join_one:
        lost = join_one(code, "Cleo")
        raise RuntimeError("the transaction fails after the join")
    with pytest.raises(AccessDenied):  # nothing of a failed transaction is kept
        participants.participant(team.store, lost.token)
    assert workshops.revision(team.store, workshop_id) == before + 1

    # a statement the database refuses (PostgreSQL would then refuse the rest of the
    # transaction, but each join has a savepoint of its own)
    tokens = iter(["repeated", "repeated", "fresh"])
    monkeypatch.setattr("secrets.token_urlsafe", lambda _size: next(tokens))
    with participants.joining(team.store) as join_one:
        dee = join_one(code, "Dee")
        with pytest.raises(sa.exc.IntegrityError):
            join_one(code, "Eve")  # the same token as Dee's: its hash must be unique
        fay = join_one(code, "Fay")
    assert [participants.participant(team.store, w.token).name for w in (dee, fay)] == [
        "Dee",
        "Fay",
    ]
    assert workshops.get(coach, workshop_id).joined == 4


# --- the presenter's page -------------------------------------------------------------------------


def test_the_presenter_sets_up_runs_reveals_ends_and_exports(team):
    app = WorkshopPresenterApp(team.store, {"coach": team.coach_code})
    page = app.presenter
    page.new_title.value = "Kickoff <b>"
    find(app.widget, widgets.Button, lambda b: "collab-ws-create" in b._dom_classes)[0].click()
    assert "Kickoff &lt;b&gt;" in texts(app.widget)
    page.kind.value = "choice"
    find(app.widget, widgets.Button, lambda b: b.description == "Add prompt")[0].click()
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
    find(app.widget, widgets.Button, lambda b: b.description == "Export answers")[0].click()
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
    find(app.widget, widgets.Button, lambda b: b.description == "Add its steps")[0].click()
    steps = len(load_library().get("looking-at-data").steps)
    assert len(workshops.get(team.coach, workshop_id).prompts) == steps
    page.practice_link.value = ""
    find(app.widget, widgets.Button, lambda b: "Practice team" in b.description)[0].click()
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
