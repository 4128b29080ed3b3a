"""Workbooks stay thin: one code cell that builds the app, checks it was built and shows
it, with its introduction folded beneath.

The workbooks themselves run top to bottom under ``pytest --nbval-lax`` (pyproject's
``testpaths`` includes ``workbooks/``), against the temporary demo store that the root
``conftest.py`` makes and opened with a demo member's personal link.
"""

import re
from pathlib import Path

import nbformat
import pytest

WORKBOOKS = sorted((Path(__file__).resolve().parents[2] / "workbooks").glob("*.ipynb"))
MAX_CODE_LINES = 8


def test_there_are_workbooks():
    assert WORKBOOKS


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_a_workbook_is_thin_and_checks_its_app(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    # One code cell: what the page leaves for once it is sent (a chart's picture) runs
    # when that cell ends, while the browser loads the page's scripts; a second cell would
    # wait for it, and so would the page.
    assert len(code) == 1
    markdown = [c for c in notebook.cells if c.cell_type == "markdown"]
    # the app first; its introduction in plain words after it, tagged "about" so that the
    # page template folds it under the app as "About this page"
    assert notebook.cells[0].cell_type == "code" and "app.widget" in notebook.cells[0].source
    assert markdown and all("about" in c.metadata.get("tags", []) for c in markdown)
    for cell in markdown:  # what a visitor reads names no machinery
        assert not re.search(r"JupyterLab|\.py\b|`[\w/]+\.\w+`", cell.source), cell.source
    assert len(code[0].source.splitlines()) <= MAX_CODE_LINES
    assert "assert app.ready" in code[0].source
    assert notebook.metadata.get("title", "").endswith("— Collaboration Workbook")  # tab title


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_a_workbook_is_collected_by_nbval(path, pytestconfig):
    assert pytestconfig.getoption("nbval_lax"), "run pytest with --nbval-lax (pyproject addopts)"
    assert "workbooks" in pytestconfig.getini("testpaths")
    assert pytestconfig.getini("testpaths")[-1] == "tests/browser"  # slowest last
