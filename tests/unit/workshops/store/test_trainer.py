"""Workshop mode: the trainer's prompts and controls, who sees what (a participant only
the current prompt, its own answer and the revealed aggregate; a coach only its own
workshops; a team code nothing of them), the aggregations, the export, and the
presenter's page. The participants' light page and its API: ``test_workshop_api.py``."""

import csv
import html
import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from collab_widgets.core.db import activity
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.team.store import teams
from collab_widgets.workshops.app import NOT_A_COACH, WorkshopPresenterApp
from collab_widgets.workshops.rules import (
    answers_csv,
)
from collab_widgets.workshops.store import participant as participants
from collab_widgets.workshops.store import trainer as workshops
from tests.unit.widget_helpers import texts

ROOT = Path(__file__).resolve().parents[4]


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
