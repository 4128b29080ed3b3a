"""lab/03 and lab/05: the goal's line, status, checkpoints and chart, and the pulse
survey's round and trends, reproduced in the notebook, equal what the Goals and Reflection
pages show for the same team (the demo Grade 4 Math team, opened in each notebook's own app
as a member)."""

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


@pytest.fixture
def progress(goals):
    panel = goals["app"].progress
    panel.refresh()
    return panel


def test_the_goal_is_the_one_the_progress_tab_opens_on(goals, progress):
    assert goals["cycle"].id == goals["app"].cycles.cycle_id
    assert progress.goal.value == goals["goal"].id


def test_the_goal_status_in_words_and_its_colour(goals, progress):
    assert html.escape(goals["explanation"]) in progress.state.value
    assert f"collab-status-{goals['status'].replace(' ', '-')}'" in progress.state.value


def test_the_checkpoints_and_the_chart(goals, progress):
    (table,) = shown_tables(progress.table.value)
    unit = goals["unit"]
    reproduced = [
        [f"{row.date:%d %b %Y}", f"{row.value:g}{unit}", row.note]
        for row in goals["checkpoints"].itertuples()
    ]
    assert table[1:] == reproduced and reproduced
    shown = progress.chart.latest
    assert shown.alt == goals["goal_chart"].alt and shown.png == goals["goal_chart"].png


def test_the_baseline_measured_again_is_the_saved_one(goals):
    assert f"{goals['measured']:.1f}".removesuffix(".0") == goals["draft"].baseline


@pytest.fixture
def pulse(survey):
    panel = survey["app"].survey
    panel.refresh()
    yield panel
    panel.close_live()


def test_the_newest_round_and_its_figures(survey, pulse):
    assert pulse.round.value == survey["survey"].id  # the newest round, as the page
    (table,) = shown_tables(pulse.results.value)
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


def test_each_surveys_trend_is_the_pages(survey, pulse):
    drawn = 0
    for key, (_table, chart) in survey["trends"].items():
        pulse.round.value = next(r.id for r in survey["rounds"] if r.instrument == key)
        shown = pulse.chart.latest
        if chart is None:
            assert shown is None
            continue
        drawn += 1
        assert shown.alt == chart.alt and shown.png == chart.png
    assert drawn, "the demo has a survey with several rounds"
