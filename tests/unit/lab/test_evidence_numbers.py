"""lab/02: every figure the notebook reproduces, table and chart, equals the one the
Evidence page shows for the same team (the demo Grade 4 Math team, opened in the
notebook's own app as a member)."""

from __future__ import annotations

import math
import re

import pytest

from collab_widgets.core.errors import NotFound
from tests.unit.lab.notebook_helpers import run_notebook, shown_tables


@pytest.fixture(scope="module")
def notebook():
    return run_notebook("02_how_the_evidence_numbers_are_made.ipynb")


def page_shows(notebook, section: str, **controls):
    """The Results tab of the notebook's own app on ``section``: its summary, its tables
    and the chart it draws."""
    panel = notebook["app"].results
    for name, value in controls.items():
        getattr(panel, name).value = value
    panel.section.value = section
    panel.redraw()
    return panel.summary.value, shown_tables(panel.table.value), panel.chart.latest


def same_chart(page_chart, reproduced) -> bool:
    return page_chart.alt == reproduced.alt and page_chart.png == reproduced.png


def percent(value) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.0f}%"


def figure(value) -> str:
    """A subgroup table's cell as the page writes it."""
    if value is None:
        return "–"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def test_the_notebook_reads_the_team_open_in_its_app_by_pseudonym(notebook):
    app, scores = notebook["app"], notebook["scores"]
    assert notebook["data"].team == app.scope.team_name == "Grade 4 Math"
    assert notebook["name"] == app.results.scores.name  # the assessment the page opens on
    assert all(re.fullmatch(r"Student [A-Z2-7]{6}", s) for s in scores.students.index)
    assert list(scores.students["name"]) == list(scores.students.index)
    real = app.results.scores.students
    assert not set(real.index) & set(scores.students.index)
    assert not set(real["name"]) & set(scores.students["name"])
    salt = notebook["settings"].pseudonym_salt
    assert salt not in repr(notebook["data"]) or salt == "(already pseudonyms)"
    assert app.results.settings.pseudonym_salt not in repr(notebook["data"])


def test_overview(notebook):
    summary, (table,), chart = page_shows(notebook, "Overview")
    figures = notebook["figures"]
    assert f"<b>{figures['students']}</b> students; average <b>{percent(figures['mean'])}" in (
        summary
    )
    reproduced = [
        [band, str(n), percent(p)]
        for band, n, p in notebook["overview"][["band", "n", "percent"]].itertuples(index=False)
    ]
    assert table[1:] == reproduced
    assert same_chart(chart, notebook["chart"])


def test_items(notebook):
    _, (table,), chart = page_shows(notebook, "Items")
    reproduced = [
        [
            row.item,
            row.standard,
            str(row.n),
            percent(row.pct_correct),
            f"{row.top_distractor} ({row.top_share:.0f}%)"
            if isinstance(row.top_distractor, str)
            else "",
        ]
        for row in notebook["items"].itertuples()
    ]
    assert table[1:] == reproduced
    assert same_chart(chart, notebook["items_chart"])


def test_standards(notebook):
    _, (table,), chart = page_shows(notebook, "Standards")
    reproduced = [
        [row.standard, str(row.items), str(row.n), percent(row.pct_correct)]
        for row in notebook["standards"].itertuples()
    ]
    assert table[1:] == reproduced
    assert same_chart(chart, notebook["standards_chart"])


def test_subgroups_hide_what_the_page_hides(notebook):
    _, (means, crosstab), chart = page_shows(notebook, "Subgroups", by=notebook["by"])
    for shown, reproduced in ((means, notebook["means"]), (crosstab, notebook["crosstab"])):
        columns = [c for c in reproduced.columns if c != "suppressed"]
        assert shown[0] == columns
        assert shown[1:] == [[figure(row[c]) for c in columns] for row in reproduced.rows]
    assert any(None in row.values() for row in notebook["crosstab"].rows)  # some hidden
    assert same_chart(chart, notebook["subgroups_chart"])


def test_growth_all_of_it(notebook):
    panel = notebook["app"].results
    earlier = next(a.id for a in panel.listed if a.name == notebook["earlier"].name)
    summary, (table,), chart = page_shows(notebook, "Growth", compare=earlier)
    grown = notebook["grown"].growth
    reproduced = [
        [row.student, percent(row.pre), percent(row.post), f"{row.change:+.0f}"]
        for row in notebook["growth"].itertuples()
    ]
    assert table[1 : 1 + len(reproduced)] == reproduced
    # those in one assessment only: the page lists them in the order of their ids in the
    # file, which the notebook does not have
    unmatched = sorted(map(tuple, table[1 + len(reproduced) :]))
    assert unmatched == sorted(
        [(s, "", "not taken", "") for s in grown.only_pre]
        + [(s, "not taken", "", "") for s in grown.only_post]
    )
    moved = ", ".join(notebook["grown"].out_of_intervention)
    assert f"Moved out of intervention: {moved}." in summary and moved
    assert same_chart(chart, notebook["grown"].chart)


def test_groups_for_questions_3_and_4(notebook):
    _, tables, _ = page_shows(notebook, "Groups", teacher="")
    placed = notebook["placed"]
    for shown, group in zip(tables, placed["group"].unique(), strict=True):
        mine = placed[placed["group"] == group]
        assert shown[1:] == [
            [s, percent(p)] for s, p in zip(mine.student, mine.percent, strict=True)
        ]
    missed = re.findall(r"missed most: ([^<]*)<", notebook["app"].results.table.value)
    needs = [found["missed"] for found in notebook["groups"].values()]
    assert missed == [", ".join(items[:8]) or "none stands out" for items in needs]


def test_an_unknown_assessment_names_the_teams(notebook):
    with pytest.raises(NotFound, match="Unit 3 pre-assessment"):
        notebook["data"].scores("Unit 9")
