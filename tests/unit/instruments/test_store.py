"""Pulse survey rounds in the store: one answer per member, results only from the minimum,
nothing that links a member to an answer (SQLite, and PostgreSQL when
COLLAB_TEST_POSTGRES_URL is set). The fixed clock stands at 2026-10-15 15:00 UTC."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.instruments import store as surveys
from collab_widgets.instruments.library import load_instruments
from collab_widgets.team.store import members
from tests.unit.store_helpers import (
    FIST,
    activity_of_kind,
    all_rows,
    facilitated_by_ana,
    other_team,
)

HEALTH = "team-health"


def _stored_answers(store, round_id: int) -> list[dict]:
    with store.engine.connect() as conn:
        text = conn.execute(
            sa.text("SELECT answers FROM survey_rounds WHERE id = :id"), {"id": round_id}
        ).scalar_one()
    return json.loads(text)


def test_one_answer_per_member_per_round(team):
    round_id = surveys.open_round(team.member(0), FIST, "Proposal A", 2)
    surveys.answer(team.member(0), round_id, {"support": 4})
    before = _stored_answers(team.store, round_id)
    with pytest.raises(InvalidInput, match="already answered"):
        surveys.answer(team.member(0), round_id, {"support": 0})
    assert _stored_answers(team.store, round_id) == before == [{"support": 4}]
    assert surveys.get_round(team.member(1), round_id).answered == 1
    assert surveys.has_answered(team.member(0), round_id)
    assert not surveys.has_answered(team.member(1), round_id)
    assert not surveys.has_answered(team.as_coach, round_id)
    with pytest.raises(InvalidInput, match="Pick your name"):
        surveys.answer(team.as_coach, round_id, {"support": 5})


def test_results_show_only_from_the_minimum(team):
    round_id = surveys.open_round(team.member(0), FIST, "Proposal B", 3)
    given = [{"support": 1}, {"support": 3}, {"support": 5}]
    for index, answer in enumerate(given[:2]):
        surveys.answer(team.member(index), round_id, answer)
        assert surveys.results(team.member(index), round_id) is None
        assert surveys.results(team.as_coach, round_id) is None
    assert surveys.get_round(team.as_coach, round_id).answered == 2
    surveys.answer(team.member(2), round_id, given[2])
    shown = surveys.results(team.member(0), round_id)
    assert sorted(shown, key=lambda a: a["support"]) == given
    assert surveys.get_round(team.as_coach, round_id).answered == 3


def test_no_row_in_the_database_links_a_member_to_an_answer(team):
    facilitated_by_ana(team)
    instrument = load_instruments()[HEALTH]
    keys = [item.key for item in instrument.items]
    given = {  # each member's answer is told apart by its pattern
        0: dict.fromkeys(keys, 1),
        1: {key: 3 for key in keys[:5]},
        2: {key: 2 + i % 4 for i, key in enumerate(keys)},
    }
    round_id = surveys.open_round(team.member(0), HEALTH, "Health check", 3)
    before = all_rows(team.store)
    for index in (1, 0, 2):
        surveys.answer(team.member(index), round_id, given[index])
    after = all_rows(team.store)
    changed = {name for name in after if after[name] != before.get(name)}
    # nothing else is written: no activity entry, no timestamp, no log of who answered when
    assert changed == {"teams", "survey_rounds", "survey_responders"}, changed
    # who answered: member ids and nothing else
    responders = after["survey_responders"]
    assert {column for column, _ in responders[0]} == {"id", "team_id", "round_id", "member_id"}
    assert sorted(int(dict(r)["member_id"]) for r in responders) == sorted(
        p.id for p in team.people
    )
    # the answers: only item keys and points, in a row with no member but the opener
    stored = _stored_answers(team.store, round_id)
    assert sorted(map(json.dumps, stored)) == sorted(json.dumps(given[i]) for i in range(3))
    for answer in stored:
        assert set(answer) <= set(keys)
        assert all(type(v) is int for v in answer.values())
    raw = dict(after["survey_rounds"][0])["answers"]
    for person in team.people:
        assert person.name not in raw and person.token not in raw
    assert not re.search(r"20\d\d-|member|\bat\b", raw)
    # an answer's items appear nowhere else in the database
    for table, rows in after.items():
        for row in rows:
            for column, value in row:
                if any(f'"{key}"' in value for key in keys):
                    assert (table, column) == ("survey_rounds", "answers")


def test_the_order_of_stored_answers_does_not_tell_who_answered(team):
    """Twenty rounds answered in the same order: the first stored answer is not always
    the first answerer's (all twenty alike would happen by chance once in 10^9)."""
    given = [{"support": 0}, {"support": 3}, {"support": 5}]
    firsts = set()
    for number in range(20):
        round_id = surveys.open_round(team.member(0), FIST, f"Round {number}", 2)
        for index in range(3):
            surveys.answer(team.member(index), round_id, given[index])
        stored = _stored_answers(team.store, round_id)
        assert sorted(stored, key=lambda a: a["support"]) == given  # a permutation
        firsts.add(stored[0]["support"])
    assert len(firsts) >= 2, firsts


def test_a_closed_round_refuses_answers_and_activity_notes_open_and_close(team):
    facilitated_by_ana(team)
    ana = team.member(0)
    round_id = surveys.open_round(ana, FIST, "Proposal C", 2)
    surveys.answer(team.member(1), round_id, {"support": 2})
    surveys.close_round(ana, round_id)
    with pytest.raises(InvalidInput, match="closed"):
        surveys.answer(team.member(2), round_id, {"support": 5})
    assert surveys.get_round(ana, round_id).answered == 1
    assert _stored_answers(team.store, round_id) == [{"support": 2}]
    assert surveys.get_round(ana, round_id).closed_at is not None
    surveys.close_round(ana, round_id)  # twice: nothing more happens
    summaries = [e.summary for e in activity_of_kind(ana, "survey")]
    assert summaries == [
        "Pulse survey “Proposal C” closed with 1 answer(s)",
        "Pulse survey “Proposal C” opened",
    ]
    assert {e.link for e in activity_of_kind(ana, "survey")} == {f"survey/{round_id}"}
    assert {e.who for e in activity_of_kind(ana, "survey")} == {"Ana"}


@pytest.mark.parametrize("minimum", [1, 0, -3])
def test_a_minimum_below_two_is_refused(team, minimum):
    with pytest.raises(InvalidInput, match="at least 2"):
        surveys.open_round(team.member(0), FIST, "Too few", minimum)
    assert surveys.rounds(team.member(0)) == []


def test_only_the_facilitator_or_the_coach_opens_and_closes_a_round(team):
    facilitated_by_ana(team)
    ben = team.member(1)
    with pytest.raises(AccessDenied):
        surveys.open_round(ben, FIST, "Ben's round", 3)
    assert surveys.rounds(ben) == []
    by_coach = surveys.open_round(team.as_coach, FIST, "Coach's round", 3)
    by_ana = surveys.open_round(team.member(0), HEALTH, "Ana's round", 3)
    with pytest.raises(AccessDenied):
        surveys.close_round(ben, by_ana)
    assert surveys.get_round(ben, by_ana).closed_at is None
    surveys.close_round(team.member(0), by_coach)
    surveys.close_round(team.as_coach, by_ana)
    assert [r.closed_at is not None for r in surveys.rounds(ben)] == [True, True]
    assert [r.id for r in surveys.rounds(ben, FIST)] == [by_coach]


def test_a_member_who_leaves_mid_round_keeps_their_answer_and_others_go_on(team):
    round_id = surveys.open_round(team.as_coach, FIST, "Proposal D", 3)
    surveys.answer(team.member(0), round_id, {"support": 4})
    surveys.answer(team.member(1), round_id, {"support": 1})
    members.remove(team.as_coach, team.people[1].id)
    assert surveys.get_round(team.member(0), round_id).answered == 2
    assert surveys.results(team.member(0), round_id) is None
    with pytest.raises(AccessDenied):
        surveys.answer(team.member(1), round_id, {"support": 5})
    surveys.answer(team.member(2), round_id, {"support": 5})
    assert surveys.get_round(team.as_coach, round_id).answered == 3
    assert sorted(a["support"] for a in surveys.results(team.as_coach, round_id)) == [1, 4, 5]


def test_a_round_cannot_be_tied_to_another_teams_meeting(team, meeting):
    """(Failed before surveys.open_round checked the meeting: the round was made.)"""
    dee = other_team(team)
    with pytest.raises(NotFound):
        surveys.open_round(dee, FIST, "Theirs", 2, meeting)
    with pytest.raises(NotFound):
        surveys.open_round(team.member(0), FIST, "Nowhere", 2, 987654)
    assert surveys.rounds(dee) == [] and surveys.rounds(team.member(0)) == []
