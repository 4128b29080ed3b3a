"""team_data gives a notebook what the pages draw on, no more: survey answers only from a
round's minimum, a member's mark named only where the page names it; a plain line (never a
traceback) before a team is open, on a team with nothing saved, or on a Voilà page."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence_store
from collab_widgets.evidence.scores import read_scores
from collab_widgets.instruments import store as surveys
from collab_widgets.instruments.library import load_instruments
from collab_widgets.instruments.scoring import check_answer
from collab_widgets.lab.team_data import (
    NotebookMessage,
    NothingSavedYet,
    OpenTheTeamFirst,
    first,
    team_data,
)
from collab_widgets.live import store as live
from collab_widgets.live.rules import spread
from collab_widgets.team.store import members
from tests.unit.conftest import Meeting
from tests.unit.lab.notebook_helpers import LAB, run_notebook

SCORES_WITH_TEACHERS = pd.DataFrame(
    {
        "Student ID": [f"S{n:03}" for n in range(12)],
        "Teacher": ["Ms A", "Mr B"] * 6,
        "Q1": [1, 0] * 6,
    }
)


def test_a_part_of_a_survey_under_the_minimum_is_left_out_of_every_answer(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    instrument = load_instruments()["collective-efficacy"]
    survey = surveys.open_round(sqlite_team.member(0), instrument.key, instrument.title, 3)
    parts = list(dict.fromkeys(item.subscale for item in instrument.items))
    everyone, one = parts[0], parts[1]  # a part all three answer, and one only Chen does
    for index, wanted in ((0, {everyone}), (1, {everyone}), (2, {everyone, one})):
        answer = {i.key: 4 for i in instrument.items if i.subscale in wanted}
        surveys.answer(sqlite_team.member(index), survey, check_answer(instrument, answer))
    answers = team_data(sqlite_team.member(0)).survey_answers(
        surveys.get_round(sqlite_team.member(0), survey)
    )
    answered = {instrument.item(k).subscale for answer in answers for k in answer}
    assert answered == {everyone}  # the page shows no figure for the other part either


def test_survey_answers_come_only_from_the_rounds_minimum(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    instrument = load_instruments()["collective-efficacy"]
    survey = surveys.open_round(sqlite_team.member(0), instrument.key, instrument.title, 3)
    answer = {item.key: 4 for item in instrument.items}
    data = team_data(sqlite_team.member(1))
    for scope in sqlite_team.scopes[:2]:
        surveys.answer(scope, survey, check_answer(instrument, answer))
        assert data.survey_answers(surveys.get_round(scope, survey)) is None
    surveys.answer(sqlite_team.member(2), survey, check_answer(instrument, answer))
    assert len(data.survey_answers(surveys.get_round(sqlite_team.member(2), survey))) == 3


@pytest.mark.parametrize(
    "protocol, step", [("fist-to-five", "first-check"), ("tuning", "usefulness")]
)
def test_a_mark_names_its_member_only_where_the_page_does(sqlite_team, protocol, step):
    session = Meeting(sqlite_team, protocol)
    check = session.go_to(step)
    for scope, value in ((session.ana, 5), (session.ben, 1), (session.chen, 3)):
        live.mark(scope, check, value)
    live.close_prompt(session.ana, check)
    run_step = next(s for s in session.run().steps if s.key == step)
    board = team_data(session.chen).board(run_step)
    assert [m.value for m in board.marks] == [1, 3, 5]  # by mark, not in the roster's order
    named = {m.member for m in board.marks if m.member}
    fist = protocol == "fist-to-five"
    assert named == ({"Ben"} if fist else set())  # the page names a 0, 1 or 2 only
    assert not {m.member_id for m in board.marks if not m.member} - {0}
    low, high = board.prompt.mark_range
    result = spread(board.marks, low, high, fist=fist)
    assert result.total == 3 and result.to_hear == (("Ben",) if fist else ())


def test_before_a_team_is_open_a_cell_says_what_to_do(sqlite_team):
    class CoachPageWithoutATeam:
        scope = None

    with pytest.raises(OpenTheTeamFirst, match="Type your team code in the app above"):
        team_data(CoachPageWithoutATeam())
    assert OpenTheTeamFirst("x")._render_traceback_() == ["x"]  # no traceback in JupyterLab


def test_the_team_code_alone_opens_nothing(sqlite_team):
    visitor = sqlite_team.store.open_team(sqlite_team.code)  # before a name is taken
    with pytest.raises(OpenTheTeamFirst, match="take your name"):
        team_data(visitor)
    assert team_data(sqlite_team.as_coach).team == "Grade 4 Math"  # a coach may


def test_teachers_and_sections_only_once_the_team_compares_them(sqlite_team):
    scope = sqlite_team.member(0)
    scores = read_scores(SCORES_WITH_TEACHERS, name="Unit 1")
    saved.save(scope, scores, "Unit 1")
    assert set(team_data(scope).scores("Unit 1").students["teacher"]) == {""}
    turned_on = dataclasses.replace(evidence_store.settings(scope), compare_teachers=True)
    evidence_store.set_settings(sqlite_team.as_coach, turned_on)
    assert set(team_data(scope).scores("Unit 1").students["teacher"]) == {"Ms A", "Mr B"}


def test_on_a_voila_page_it_refuses(sqlite_team, monkeypatch):
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    with pytest.raises(NotebookMessage, match="This notebook is for JupyterLab"):
        team_data(sqlite_team.member(0))


def test_first_or_a_plain_line():
    assert first([3, 4], "none") == 3
    with pytest.raises(NothingSavedYet, match="No assessment"):
        first([], "No assessment is saved yet.")


@pytest.mark.parametrize("notebook", sorted(p.name for p in LAB.glob("*.ipynb")))
def test_a_team_with_nothing_saved_gets_a_line_not_a_traceback(sqlite_team, monkeypatch, notebook):
    monkeypatch.setenv("COLLAB_DB_URL", sqlite_team.store.url)
    monkeypatch.setenv(
        "QUERY_STRING", f"team={sqlite_team.code}&member={sqlite_team.people[0].token}"
    )
    with pytest.raises(NothingSavedYet):
        run_notebook(notebook)
