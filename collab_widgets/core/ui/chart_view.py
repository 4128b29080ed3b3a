"""A chart (PNG bytes and alt text from :mod:`collab_widgets.core.charts`) on a page."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.core.ui.browser_parts import ChartImage
from collab_widgets.core.ui.feedback import after_page_built
from collab_widgets.core.ui.layout import set_shown, text_block


class ChartView(widgets.VBox):
    """A chart picture with its alt text written out beneath it, or a note when empty.
    The picture carries the same text as its alt text; the written-out copy is hidden
    from screen readers, which would otherwise read it twice."""

    def __init__(self, title: str = ""):
        self.title = title
        self.heading = text_block()
        self.image = ChartImage(layout=widgets.Layout(max_width="700px"))
        self.image.add_class("collab-chart-frame")
        self.caption = text_block()
        self.latest = None  # the chart asked for last: an older one is never drawn over it
        super().__init__([self.heading, self.image, self.caption])

    def show(self, chart, empty: str = "The chart appears once someone has marked a norm.") -> None:
        """Show ``chart`` (a :class:`collab_widgets.core.charts.Chart`), or ``empty`` for
        none. While a page is being built, its picture is drawn once the page is sent."""
        self.latest = chart
        self.heading.value = f"<b>{html.escape(self.title)}</b>" if self.title else ""
        if chart is None:
            set_shown(self.image, False)
            self.caption.value = f"<p class='collab-note'>{html.escape(empty)}</p>"
            return
        self.caption.value = (
            f"<p class='collab-alt' aria-hidden='true'>{html.escape(chart.alt)}</p>"
        )
        after_page_built(lambda: self._draw(chart))

    def _draw(self, chart) -> None:
        if chart is not self.latest or self.image.comm is None:  # newer, or page gone
            return
        with self.image.hold_sync():
            self.image.value, self.image.alt = chart.png, chart.alt
        set_shown(self.image, True)
