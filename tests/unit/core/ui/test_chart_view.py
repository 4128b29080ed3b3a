"""A chart on a page: its picture with its alt text, written out beneath, or a note."""

from __future__ import annotations

import asyncio

from collab_widgets.core.charts import Chart
from collab_widgets.core.ui.chart_view import ChartView
from collab_widgets.core.ui.feedback import StatusLine, build_page

PNG = b"\x89PNG\r\n\x1a\n-not-a-real-picture"


def counted(drawn: list[str]) -> type[Chart]:
    """A chart whose picture, when drawn, adds its alt text to ``drawn``."""

    class Counted(Chart):
        @property
        def png(self):
            drawn.append(self.alt)
            return PNG

    return Counted


def picture(alt: str) -> Chart:
    """A chart whose picture is ``PNG``."""
    return counted([])(None, alt)


def test_a_chart_shows_its_picture_and_its_alt_text_escaped():
    view = ChartView("Norms <check>")
    view.show(picture("Start: 3 of 4 <on time>"))
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
    view.show(picture("before"))
    view.show(None, empty="No checkpoint <yet>.")
    assert view.heading.value == ""
    assert view.image.layout.display == "none"
    assert view.caption.value == "<p class='collab-note'>No checkpoint &lt;yet&gt;.</p>"
    view.show(None)
    assert "once someone has marked a norm" in view.caption.value


def test_while_a_page_is_built_in_a_kernel_the_picture_is_drawn_once_the_page_is_sent():
    """The text shows with the page; the picture, most of a chart's cost, a moment later,
    while the browser loads the page's scripts. A newer chart is never drawn over."""
    drawn = []
    Counted = counted(drawn)

    async def kernel():
        view = ChartView("Bands")
        build_page(StatusLine(), "Test", lambda: view.show(Counted(None, "first")))
        assert view.caption.value.endswith(">first</p>") and drawn == []
        await asyncio.sleep(0)  # the page has been handed over
        assert drawn == ["first"] and view.image.value == PNG and view.image.alt == "first"

        def shown_twice():
            view.show(Counted(None, "older"))
            view.show(Counted(None, "newer"))

        build_page(StatusLine(), "Test", shown_twice)
        await asyncio.sleep(0)
        assert drawn == ["first", "newer"] and view.image.alt == "newer"

    asyncio.run(kernel())


def test_outside_a_page_being_built_the_picture_is_drawn_at_once():
    async def clicked():  # a click in a kernel: the answer carries the picture
        view = ChartView()
        view.show(picture("now"))
        assert view.image.value == PNG

    asyncio.run(clicked())
    view = ChartView()
    build_page(StatusLine(), "Test", lambda: view.show(picture("no kernel")))
    assert view.image.alt == "no kernel"  # a script or a test: no loop to wait for


def test_a_picture_that_cannot_be_drawn_is_a_message_in_the_page():
    class Broken(Chart):
        @property
        def png(self):
            raise RuntimeError("no font")

    async def kernel():
        status, view = StatusLine(), ChartView()
        build_page(status, "Test", lambda: view.show(Broken(None, "alt")))
        await asyncio.sleep(0)
        assert "Something went wrong" in status.value and view.image.value == b""

    asyncio.run(kernel())


def test_a_chart_is_drawn_once_however_often_it_is_shown():
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1))
    figure.add_subplot().bar([0], [1])
    chart = Chart(figure, "one bar")
    assert chart.png.startswith(b"\x89PNG") and chart.png is chart.png


def test_a_picture_for_a_view_closed_before_it_is_drawn_is_never_drawn():
    drawn = []
    Counted = counted(drawn)

    async def kernel():
        view = ChartView()

        def built_then_replaced():
            view.show(Counted(None, "gone"))
            view.image.close()  # the page left, or its view was replaced

        build_page(StatusLine(), "Test", built_then_replaced)
        await asyncio.sleep(0)
        assert drawn == []

    asyncio.run(kernel())
