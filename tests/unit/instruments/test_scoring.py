"""Pulse-survey instruments: the shipped files, every rule of the file format with its
message (file, line, field), and scoring against figures worked out by hand."""

from __future__ import annotations

import math
import statistics

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.instruments.scoring import (
    agreement,
    check_answer,
    respondent_scores,
    summarise,
    trend,
)

# Four respondents, worked out by hand (c2 is reverse: scored 7 - answer).
A = {"c1": 5, "c2": 2, "t1": 3}  # comp (5 + 5) / 2 = 5.0; task 3.0


B = {"c1": 4, "c2": 5, "t1": 6}  # comp (4 + 2) / 2 = 3.0; task 6.0


C = {"c1": 6, "c2": 1}  # comp (6 + 6) / 2 = 6.0; skipped task


D = {"t1": 2}  # skipped comp; task 2.0


def test_check_answer_keeps_item_order_and_drops_skipped_items(pulse):
    checked = check_answer(pulse, {"t1": 3, "c1": None, "c2": 4})
    assert checked == {"c2": 4, "t1": 3}
    assert list(checked) == ["c2", "t1"]


@pytest.mark.parametrize(
    ("answer", "field", "words"),
    [
        pytest.param({"zz": 3}, "zz", "'zz' is not an item of Pulse", id="unknown item"),
        pytest.param(
            {"c1": 7},
            "c1",
            "Item 'c1': the answer must be a whole number from 1 to 6",
            id="above the scale",
        ),
        pytest.param({"c1": 0}, "c1", "from 1 to 6 (got 0)", id="below the scale"),
        pytest.param({"c1": "4"}, "c1", "from 1 to 6 (got '4')", id="text"),
        pytest.param({"c1": 4.0}, "c1", "from 1 to 6 (got 4.0)", id="float"),
        pytest.param({"c1": True}, "c1", "from 1 to 6 (got True)", id="bool is not an int"),
        pytest.param({}, None, "Answer at least one item of Pulse.", id="empty"),
        pytest.param({"c1": None}, None, "Answer at least one item", id="all skipped"),
    ],
)
def test_check_answer_refuses_naming_the_item_and_the_range(pulse, answer, field, words):
    with pytest.raises(InvalidInput) as caught:
        check_answer(pulse, answer)
    assert words in str(caught.value)
    assert caught.value.field == field


def test_check_answer_lists_every_wrong_item_and_refuses_a_non_mapping(pulse):
    with pytest.raises(InvalidInput) as caught:
        check_answer(pulse, {"c1": 9, "t1": 3, "zz": 1})
    assert "Item 'c1'" in str(caught.value) and "'zz' is not an item" in str(caught.value)
    assert "the items are: c1, c2, t1" in str(caught.value)
    with pytest.raises(InvalidInput, match="maps item keys"):
        check_answer(pulse, [("c1", 3)])


def test_respondent_scores_reverse_items_and_means_per_subscale(pulse):
    # c2 is reverse on 1..6: an answer of 2 scores 1 + 6 - 2 = 5.
    assert respondent_scores(pulse, {"c2": 2}) == {"comp": 5.0}
    # comp = (c1 5 + c2 reversed 5) / 2 = 5; task = t1 = 3.
    assert respondent_scores(pulse, {"c1": 5, "c2": 2, "t1": 3}) == {"comp": 5.0, "task": 3.0}
    # comp = (4 + (7 - 5)) / 2 = 3.
    assert respondent_scores(pulse, {"c1": 4, "c2": 5}) == {"comp": 3.0}
    # A partial answer: comp skipped entirely is absent, not zero.
    assert respondent_scores(pulse, {"t1": 4}) == {"task": 4.0}
    with pytest.raises(InvalidInput):
        respondent_scores(pulse, {"t1": 8})


def test_two_answers_with_a_minimum_of_three_show_no_figure_at_all(pulse):
    summary = summarise(pulse, [A, B])
    assert summary.respondents == 2 and summary.min_respondents == 3
    assert summary.shown is False
    for sub in summary.subscales:
        assert sub.shown is False
        assert (sub.n, sub.mean, sub.sd, sub.min, sub.max) == (None,) * 5
    for item in summary.items:
        assert item.shown is False and item.n is None and item.counts == {}
    assert [s.key for s in summary.subscales] == ["comp", "task"]
    assert "2 answered" in summary.note and "at least 3" in summary.note


def test_three_answers_show_and_a_subscale_below_the_minimum_stays_hidden(pulse):
    summary = summarise(pulse, [A, B, C])
    assert summary.shown is True and summary.respondents == 3 and summary.note == ""
    comp = summary.subscale("comp")
    # Scores 5, 3, 6: mean 14/3; deviations 1/3, -5/3, 4/3; squares sum 42/9;
    # population variance 42/27 = 14/9; sd sqrt(14)/3 = 1.2472.
    assert comp.shown is True and comp.n == 3
    assert comp.mean == pytest.approx(14 / 3)
    assert comp.sd == pytest.approx(math.sqrt(14) / 3)
    assert comp.sd == pytest.approx(1.2472, abs=1e-4)
    assert (comp.min, comp.max) == (3.0, 6.0)
    # C skipped task: only A and B answered it, fewer than 3, so it shows nothing.
    task = summary.subscale("task")
    assert task.shown is False and task.n is None and task.mean is None
    # Counts are the answers as given (c2 not reversed), every point listed.
    assert summary.item("c1").counts == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1}
    assert summary.item("c2").counts == {1: 1, 2: 1, 3: 0, 4: 0, 5: 1, 6: 0}
    assert summary.item("c1").n == 3
    assert summary.item("t1").shown is False and summary.item("t1").counts == {}


def test_partial_answers_count_only_in_the_subscales_they_answered(pulse):
    summary = summarise(pulse, [A, B, C, D])
    assert summary.respondents == 4
    comp, task = summary.subscale("comp"), summary.subscale("task")
    assert comp.n == 3  # D skipped comp
    assert comp.mean == pytest.approx(14 / 3)
    # Task scores 3, 6, 2 (C skipped task): mean 11/3; deviations -2/3, 7/3, -5/3;
    # squares 4/9 + 49/9 + 25/9 = 78/9; variance 78/27 = 26/9; sd sqrt(26)/3 = 1.6997.
    assert task.n == 3
    assert task.mean == pytest.approx(11 / 3)
    assert task.sd == pytest.approx(math.sqrt(26) / 3)
    assert (task.min, task.max) == (2.0, 6.0)
    assert summary.item("t1").counts == {1: 0, 2: 1, 3: 1, 4: 0, 5: 0, 6: 1}


def test_a_team_minimum_of_two_shows_two_answers_with_population_sd(pulse):
    summary = summarise(pulse, [A, B], min_respondents=2)
    assert summary.shown is True and summary.min_respondents == 2
    # comp 5 and 3: mean 4, population sd 1 (a sample sd would be 1.414).
    assert summary.subscale("comp").mean == 4.0 and summary.subscale("comp").sd == 1.0
    # task 3 and 6: mean 4.5, population sd 1.5.
    assert summary.subscale("task").mean == 4.5 and summary.subscale("task").sd == 1.5


@pytest.mark.parametrize("minimum", [1, 0, True, 2.5])
def test_a_minimum_below_two_is_refused(pulse, minimum):
    with pytest.raises(InvalidInput, match="at least 2"):
        summarise(pulse, [A, B, C], min_respondents=minimum)


def test_a_wrong_answer_in_a_round_is_named_by_its_position(pulse):
    with pytest.raises(InvalidInput, match=r"^Answer 2 of 3: Item 'c1'"):
        summarise(pulse, [A, {"c1": 9}, C])


def test_trend_keeps_a_hidden_round_in_the_middle_without_figures(pulse):
    points = trend(pulse, [("Sep", [A, B, C, D]), ("Oct", [A, B]), ("Nov", [B, B, B])])
    assert [(p.label, p.subscale) for p in points] == [
        ("Sep", "comp"),
        ("Sep", "task"),
        ("Oct", "comp"),
        ("Oct", "task"),
        ("Nov", "comp"),
        ("Nov", "task"),
    ]
    sep_comp, sep_task, oct_comp, oct_task, nov_comp, nov_task = points
    assert sep_comp.shown and sep_comp.mean == pytest.approx(14 / 3) and sep_comp.n == 3
    assert sep_task.mean == pytest.approx(11 / 3)
    assert (sep_task.min, sep_task.max) == (2.0, 6.0)
    assert sep_task.sd == pytest.approx(math.sqrt(26) / 3)
    for hidden in (oct_comp, oct_task):
        assert hidden.shown is False and hidden.respondents == 2
        assert (hidden.n, hidden.mean, hidden.sd, hidden.min, hidden.max) == (None,) * 5
    # Three identical answers from B: comp 3, task 6, no spread.
    assert (nov_comp.mean, nov_comp.sd, nov_comp.min, nov_comp.max) == (3.0, 0.0, 3.0, 3.0)
    assert (nov_task.mean, nov_task.sd, nov_task.n) == (6.0, 0.0, 3)
    assert nov_comp.title == "Competence" and nov_task.respondents == 3


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ([4, 4, 4], "We mostly agree"),
        ([4, 5, 4, 5], "We mostly agree"),  # sd 0.5 on a 1-5 scale: a quarter of the widest
        ([3, 5, 4, 5], "Views differ somewhat"),
        ([1, 5, 1, 5], "Views differ widely"),  # the widest a spread can be
        ([2, 4, 3], "Views differ somewhat"),
        ([1, 5, 3], "Views differ widely"),
    ],
)
def test_how_much_we_agree_is_said_in_words_against_the_scale(answers, words):
    assert agreement(statistics.pstdev(answers), 1, 5) == words


def test_agreement_on_no_answers_says_nothing():
    assert agreement(None, 1, 5) == "" and agreement(0.0, 3, 3) == "We mostly agree"
