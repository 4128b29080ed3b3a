"""Tables and charts in a notebook under lab/ as the pages show them."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from collab_widgets.core import charts
from collab_widgets.evidence.analysis import Table
from collab_widgets.lab.display import picture, readable


def test_a_table_has_no_row_numbers_and_words_for_headings():
    frame = pd.DataFrame(
        {"pct_correct": [50.0, 75.25], "n": [30.0, 12.0], "taken": [dt.date(2026, 10, 1)] * 2},
        index=[7, 3],
    )
    shown = readable(frame).to_html()
    assert ">7<" not in shown and ">3<" not in shown
    assert "percent correct" in shown and "students" in shown
    assert ">75.2<" in shown and ">50<" in shown  # one decimal, whole numbers without
    assert ">30<" in shown and "30.0" not in shown
    assert ">01 Oct 2026<" in shown  # as the pages write dates
    assert list(readable(frame).data["percent correct"]) == [50.0, 75.25]  # kept as numbers


def test_a_named_index_is_a_column():
    frame = pd.DataFrame({"percent": [40.0]}, index=pd.Index(["Student ABCDEF"], name="student"))
    assert list(readable(frame).data.columns) == ["student", "percent"]


def test_a_hidden_figure_is_a_dash_never_nan():
    table = Table(
        by="ELL",
        rows=({"ELL": "Y", "n": None, "mean_percent": None, "suppressed": True},),
        columns=("ELL", "n", "mean_percent", "suppressed"),
        min_n=10,
    )
    shown = readable(table).to_html()
    assert "–" in shown and "nan" not in shown.lower() and "suppressed" not in shown


def test_typed_text_is_shown_as_text():
    frame = pd.DataFrame(
        {"<b>note</b>": ["<img src=x onerror=alert(1)>"], "notes": [["<script>x</script>"]]}
    )
    shown = readable(frame).to_html()
    assert "<img" not in shown and "&lt;img src=x" in shown
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "<b>note" not in shown and "&lt;b&gt;note" in shown


def test_a_chart_is_the_pages_picture_or_a_line(capsys):
    chart = charts.band_counts("Unit 3: students per band", ["A", "B"], [3, 4])
    image = picture(chart)
    assert image.data == chart.png and image.alt == chart.alt
    assert picture(None) is None
    assert "No chart: the page shows none" in capsys.readouterr().out
