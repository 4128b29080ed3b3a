"""A chart on a page: its picture with its alt text, written out beneath, or a note."""

from __future__ import annotations

from collab_widgets.core.charts import Chart
from collab_widgets.core.ui.chart_view import ChartView

PNG = b"\x89PNG\r\n\x1a\n-not-a-real-picture"


def test_a_chart_shows_its_picture_and_its_alt_text_escaped():
    view = ChartView("Norms <check>")
    view.show(Chart(PNG, "Start: 3 of 4 <on time>"))
    assert view.heading.value == "<b>Norms &lt;check&gt;</b>"
    assert view.image.value == PNG and view.image.layout.display is None
    # the picture's own alt text (set as an attribute by the browser part: text, not HTML)
    assert view.image.alt == "Start: 3 of 4 <on time>"
    # written out for everyone, hidden from screen readers, which read the alt text
    assert view.caption.value == (
        "<p class='collab-alt' aria-hidden='true'>Start: 3 of 4 &lt;on time&gt;</p>"
    )


def test_no_chart_hides_the_picture_and_says_why():
    view = ChartView()
    view.show(Chart(PNG, "before"))
    view.show(None, empty="No checkpoint <yet>.")
    assert view.heading.value == ""
    assert view.image.layout.display == "none"
    assert view.caption.value == "<p class='collab-note'>No checkpoint &lt;yet&gt;.</p>"
    view.show(None)
    assert "once someone has marked a norm" in view.caption.value
