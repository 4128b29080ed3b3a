"""lab/00 and lab/01: the norms check and a finished protocol's results, reproduced in the
notebook, equal what the Start page and the Protocols page show for the same team (the demo
Grade 4 Math team, opened in each notebook's own app as a member)."""

from __future__ import annotations

import html
import re

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
    meeting = norms["meeting"]
    if panel.meeting_id == meeting.id:
        shown = panel.chart.latest
    else:  # the page shows it as the last meeting checked before the next one
        assert f"{meeting.title} ({meeting.date:%d %B %Y})" in panel.earlier.title
        shown = panel.earlier.latest
    reproduced = norms["norms_check"].rows_chart(norms["rows"])
    assert shown.alt == reproduced.alt and shown.png == reproduced.png
    assert len(norms["rows"]) >= 2 and f"{norms['rows'][0].start:.1f}" in shown.alt


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
