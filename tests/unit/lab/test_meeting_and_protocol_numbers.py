"""lab/00 and lab/01: the norms check and a finished protocol's results, reproduced in the
notebook, equal what the Start page and the Protocols page show for the same team (the demo
Grade 4 Math team, opened in each notebook's own app as a member)."""

from __future__ import annotations

import html
import re
import textwrap

import pytest

from tests.unit.lab.notebook_helpers import run_notebook


@pytest.fixture(scope="module")
def norms():
    return run_notebook("00_how_the_norms_check_numbers_are_made.ipynb")


@pytest.fixture(scope="module")
def protocols():
    return run_notebook("01_how_the_protocol_results_are_made.ipynb")


def test_the_norms_check_the_start_page_shows(norms):
    panel = norms["app"].tabs.children[2].panel  # Next meeting
    panel.refresh()
    shown = panel.chart.caption.value + panel.earlier.caption.value  # the alt texts
    table = norms["norms_check"]
    assert len(table) >= 2
    for row in table.itertuples(index=False):
        start = "no marks" if row.start != row.start else f"{row.start:.1f}"  # NaN: none
        end = "no marks" if row.end != row.end else f"{row.end:.1f}"
        figures = f"{textwrap.shorten(row.norm, 60)}: start {start}, end {end}"
        assert html.escape(figures) in shown, figures
    assert f"{norms['meeting'].title} ({norms['meeting'].date:%d %B %Y})" in panel.earlier.title


def test_a_norms_check_holds_no_ones_own_mark(norms):
    summaries = norms["data"].norms_check(norms["meeting"])
    assert {type(s).__name__ for s in summaries} == {"NormCheckSummary"}
    assert all(set(vars(s)) == {"norm_id", "phase", "mean", "count"} for s in summaries)


def test_the_dot_vote_earlier_runs_shows(protocols):
    panel = protocols["app"].tabs.children[2]  # Earlier runs
    panel.refresh()
    assert panel.choice.value == protocols["run"].id  # the newest run, as the page
    bar = r"<span class='collab-bar-label'>(.*?)</span>.*?"
    shown = re.findall(bar + r"<span class='collab-bar-count'>(\d+)</span>", panel.record.value)
    votes = protocols["votes"]
    assert votes, "the demo's run has a dot vote"
    reproduced = [
        (html.escape(row.note), str(row.dots))
        for table in votes.values()
        for row in table.itertuples(index=False)
    ]
    assert shown == reproduced
