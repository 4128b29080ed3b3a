"""lab/02: every figure the notebook reproduces equals the one the Evidence page shows for
the same team (the demo Grade 4 Math team, opened in the notebook's own app as a member)."""

from __future__ import annotations

import math
import re

import pytest

from collab_widgets.core.errors import NotFound
from collab_widgets.lab.display import readable
from collab_widgets.lab.team_data import OpenTheTeamFirst, team_data
from tests.unit.lab.notebook_helpers import run_notebook, shown_tables


@pytest.fixture(scope="module")
def notebook():
    return run_notebook("02_how_the_evidence_numbers_are_made.ipynb")


def page_shows(notebook, section: str, **controls) -> tuple[str, list]:
    """The Results tab of the notebook's own app on ``section``: its summary and tables."""
    panel = notebook["app"].results
    for name, value in controls.items():
        getattr(panel, name).value = value
    panel.section.value = section
    panel.redraw()
    return panel.summary.value, shown_tables(panel.table.value)


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
    assert notebook["settings"].pseudonym_salt == ""  # the key behind them stays out
    assert "pseudonym_salt=''" in repr(notebook["data"])


def test_overview(notebook):
    summary, (table,) = page_shows(notebook, "Overview")
    figures = notebook["figures"]
    assert f"<b>{figures['students']}</b> students; average <b>{percent(figures['mean'])}" in (
        summary
    )
    reproduced = [
        [band, str(n), percent(p)]
        for band, n, p in notebook["overview"][["band", "n", "percent"]].itertuples(index=False)
    ]
    assert table[1:] == reproduced


def test_items(notebook):
    _, (table,) = page_shows(notebook, "Items")
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


def test_standards(notebook):
    _, (table,) = page_shows(notebook, "Standards")
    reproduced = [
        [row.standard, str(row.items), str(row.n), percent(row.pct_correct)]
        for row in notebook["standards"].itertuples()
    ]
    assert table[1:] == reproduced


def test_subgroups_hide_what_the_page_hides(notebook):
    by = notebook["breakdowns"][0]
    _, (means, crosstab) = page_shows(notebook, "Subgroups", by=by)
    for shown, reproduced in ((means, notebook["means"]), (crosstab, notebook["crosstab"])):
        columns = [c for c in reproduced.columns if c != "suppressed"]
        assert shown[0] == columns
        assert shown[1:] == [[figure(row[c]) for c in columns] for row in reproduced.rows]
    hidden = [row for row in notebook["crosstab"].rows if None in row.values()]
    assert hidden, "the demo's small groups are hidden"
    assert "–" in readable(notebook["crosstab"]).to_html()
    assert "nan" not in readable(notebook["crosstab"]).to_html().lower()


def test_growth(notebook):
    panel = notebook["app"].results
    earlier = next(a.id for a in panel.listed if a.name != notebook["name"])
    _, (table,) = page_shows(notebook, "Growth", compare=earlier)
    matched = notebook["growth_table"]
    reproduced = [
        [row.student, percent(row.pre), percent(row.post), f"{row.change:+.0f}"]
        for row in matched.itertuples()
    ]
    assert table[1 : 1 + len(reproduced)] == reproduced


def test_groups_for_questions_3_and_4(notebook):
    _, tables = page_shows(notebook, "Groups", teacher="")
    shown = [[row[0] for row in table[1:]] for table in tables]
    groups = notebook["groups"]
    listed = [list(groups.index[groups["group"] == group]) for group in notebook["GROUPS"]]
    assert [sorted(names) for names in shown] == [sorted(names) for names in listed if names]
    missed = re.findall(r"missed most: ([^<]*)<", notebook["app"].results.table.value)
    needs = notebook["needs"]
    assert missed == [", ".join(needs[g][:8]) or "none stands out" for g in notebook["GROUPS"]]


def test_a_cell_run_before_a_team_is_open_says_what_to_do(notebook):
    class NoTeamYet:
        scope = None

    with pytest.raises(OpenTheTeamFirst, match="Type your team code in the app above"):
        team_data(NoTeamYet())
    assert OpenTheTeamFirst("x")._render_traceback_() == ["x"]  # no traceback in JupyterLab


def test_an_unknown_assessment_names_the_teams(notebook):
    with pytest.raises(NotFound, match="Unit 3 pre-assessment"):
        notebook["data"].scores("Unit 9")
