"""lab/03 and lab/05: the goal's line, status and checkpoints, and the pulse survey's
figures, reproduced in the notebook, equal what the Goals and Reflection pages show for the
same team (the demo Grade 4 Math team, opened in each notebook's own app as a member)."""

from __future__ import annotations

import html

import pytest

from tests.unit.lab.notebook_helpers import run_notebook, shown_tables


@pytest.fixture(scope="module")
def goals():
    return run_notebook("03_how_the_goal_numbers_are_made.ipynb")


@pytest.fixture(scope="module")
def survey():
    return run_notebook("05_how_the_survey_numbers_are_made.ipynb")


def test_the_goal_is_the_one_the_progress_tab_opens_on(goals):
    panel = goals["app"].progress
    panel.refresh()
    assert goals["cycle"].id == goals["app"].cycles.cycle_id
    assert panel.goal.value == goals["goal"].id


def test_the_goal_status_and_its_figures(goals):
    panel = goals["app"].progress
    panel.refresh()
    assert goals["status"] in ("on track", "at risk", "met", "not met")  # the demo has a line
    assert html.escape(goals["explanation"]) in panel.state.value
    assert f"collab-status-{goals['status'].replace(' ', '-')}" in panel.state.value


def test_the_checkpoints(goals):
    panel = goals["app"].progress
    panel.refresh()
    (table,) = shown_tables(panel.table.value)
    unit = goals["unit"]
    reproduced = [
        [f"{row.date:%d %b %Y}", f"{row.value:g}{unit}", row.note]
        for row in goals["checkpoints"].itertuples()
    ]
    assert table[1:] == reproduced and reproduced


def test_the_baseline_measured_again_is_the_saved_one(goals):
    assert f"{goals['measured']:.1f}".removesuffix(".0") == goals["draft"].baseline


def test_the_survey_round_and_its_figures(survey):
    panel = survey["app"].survey
    panel.refresh()
    try:
        assert panel.round.value == survey["survey"].id  # the newest round, as the page
        (table,) = shown_tables(panel.results.value)
    finally:
        panel.close_live()
    reproduced = [
        [
            row.part,
            f"{row.average:.2f}",
            row[2],  # how much we agree
            f"{row.lowest:g} to {row.highest:g}",
            str(row.answers),
        ]
        for row in survey["parts"].itertuples(index=False)
    ]
    assert table[1:] == reproduced and reproduced


def test_a_round_under_its_minimum_is_hidden_in_the_numbers_too(survey):
    data = survey["data"]
    for each in survey["rounds"]:
        answers = data.survey_answers(each)
        assert (answers is None) == (each.answered < each.min_respondents)
