"""Running a notebook under ``lab/`` in this process, as JupyterLab would run it top to
bottom, and reading the tables a page shows."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import nbformat

LAB = Path(__file__).resolve().parents[3] / "lab"


def run_notebook(name: str) -> dict:
    """Every code cell of ``lab/<name>`` run in order in one namespace, which is returned
    (the root conftest opens the demo Grade 4 Math team as a member, by the link's
    ``QUERY_STRING``, and points the store at the demo database)."""
    notebook = nbformat.read(LAB / name, as_version=4)
    namespace: dict = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, f"{name} cell", "exec"), namespace)  # noqa: S102
    return namespace


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def shown_tables(html: str) -> list[list[list[str]]]:
    """The tables in a page's HTML, as rows of cell texts (the heading row first)."""
    parser = _Cells()
    parser.feed(html)
    return parser.tables
