"""A screen built in one go reaches the browser as it is once built.

ipywidgets opens a widget's model in the browser the moment the widget is made, and sends
each change after that as a message of its own. A screen made and then filled in one go
(a tab opened for the first time) would send its widgets, then most of them again: their
classes, their values, their enabled state, each message a model update the browser
makes before it answers the click (about a millisecond each; 79 of them when the SMART
goal tab first opened). Inside :func:`built_in_one_go`, a widget made is opened in the
browser only at the end, with the state it has then, after the widgets it holds."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import ipywidgets as widgets

from collab_widgets.core.ui.closing import widgets_in_state


class _NotOpenYet:
    """Stands in for the comm of a widget made inside :func:`built_in_one_go`. ipywidgets
    reads its id (a box that holds the widget names it by that id) and sends through it:
    state updates are dropped, since the widget's whole state goes when it opens; any
    other message (a custom one) waits and goes after the opening."""

    kernel = True  # ipywidgets hands a comm without a kernel nothing to send

    def __init__(self) -> None:
        self.comm_id = uuid.uuid4().hex
        self.waiting: list[tuple[object, object, object]] = []

    def on_msg(self, callback) -> None:
        """Nothing comes from a browser that has no model yet."""

    def send(self, data=None, metadata=None, buffers=None) -> None:
        if not (isinstance(data, dict) and data.get("method") == "update"):
            self.waiting.append((data, metadata, buffers))

    def close(self, *args, **kwargs) -> None:
        """Closed before it was opened: the browser never heard of it."""


class _Build:
    """The widgets made during a build, and the holds on the widgets that will show them."""

    def __init__(self) -> None:
        self.made: list[widgets.Widget] = []
        self.held = ExitStack()

    def hold(self, showing: tuple[widgets.Widget, ...]) -> None:
        for widget in showing:
            if not isinstance(widget.comm, _NotOpenYet):  # (one made here opens whole)
                self.held.enter_context(widget.hold_sync())


_build: _Build | None = None  # the build under way


@contextmanager
def built_in_one_go(*showing: widgets.Widget) -> Iterator[None]:
    """Widgets made inside are opened in the browser when the block ends, each with its
    state then (a widget closed inside is never sent). ``showing``: widgets already open
    that will show what is made (the box it goes in); their changes are sent after the new
    widgets are open, so that the browser knows every widget a message names.

    Inside another such block, this one is part of it: all opens when the outer one ends."""
    global _build
    if _build is not None:
        _build.hold(showing)
        yield
        return
    build = _build = _Build()
    before = widgets.Widget._widget_construction_callback

    def stand_in(widget: widgets.Widget) -> None:
        widget.comm = _NotOpenYet()  # ipywidgets opens a widget only if it has no comm
        build.made.append(widget)
        if before is not None:
            before(widget)

    with build.held:  # released last: the boxes' changes name widgets opened by then
        build.hold(showing)
        widgets.Widget.on_widget_constructed(stand_in)
        try:
            yield
        finally:
            widgets.Widget.on_widget_constructed(before)
            _build = None
            opened: set[int] = set()
            failures: list[Exception] = []
            for widget in build.made:
                _open(widget, opened, failures)
            if failures:
                raise failures[0]


def _open(widget: widgets.Widget, opened: set[int], failures: list[Exception]) -> None:
    """Open ``widget`` after the widgets it holds (the browser makes a box's model only
    once it knows its children, layout and style). One that cannot be opened (its state
    names a widget closed meanwhile) is left closed, and the others still open."""
    if id(widget) in opened or not isinstance(widget.comm, _NotOpenYet):
        return
    opened.add(id(widget))
    for part in widgets_in_state(widget):
        _open(part, opened, failures)
    stand_in = widget.comm
    widget.comm = None
    try:
        widget.open()  # under the id the stand-in gave it: the boxes holding it name that one
    except Exception as exc:  # raised once every other widget is open
        failures.append(exc)
        return
    for data, metadata, buffers in stand_in.waiting:
        widget.comm.send(data=data, metadata=metadata, buffers=buffers)
