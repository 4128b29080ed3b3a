"""Closing a tree of widgets: ipywidgets keeps every widget until it is closed (in its
registry, and as a model in the browser), so a screen that goes away closes all it built."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import ipywidgets as widgets

from collab_widgets.core.ui.looks import is_shared


def _widgets_in(value: object) -> Iterator[widgets.Widget]:
    """``value`` if it is a widget, else the widgets in it if it is a tuple, list, set or
    dict (its values)."""
    if isinstance(value, widgets.Widget):
        yield value
    elif isinstance(value, tuple | list | set | dict):
        items = value.values() if isinstance(value, dict) else value
        yield from (item for item in items if isinstance(item, widgets.Widget))


def widgets_held(widget: widgets.Widget, kept_aside: bool = False) -> Iterator[widgets.Widget]:
    """The widgets ``widget`` holds in its traits: its children, its layout and style, and
    any other trait whose value is a widget or a collection of them. With ``kept_aside``,
    also those in its other attributes: the parts it shows only at times (a question that
    replaces a button, a note shown when a list is empty)."""
    for name in widget.trait_names():
        yield from _widgets_in(getattr(widget, name, None))
    if kept_aside:
        for value in vars(widget).values():
            yield from _widgets_in(value)


def widgets_in_state(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """The widgets ``widget``'s state names, the traits it shares with the browser (its
    children, layout and style): what the browser must have before it makes ``widget``."""
    for name in widget.keys:
        yield from _widgets_in(getattr(widget, name, None))


def tree(*roots: widgets.Widget, kept_aside: bool = False) -> list[widgets.Widget]:
    """Every widget reachable from ``roots`` through what each holds, once each."""
    seen: dict[int, widgets.Widget] = {}
    waiting = list(roots)
    while waiting:
        widget = waiting.pop()
        if id(widget) not in seen:
            seen[id(widget)] = widget
            waiting.extend(widgets_held(widget, kept_aside))
    return list(seen.values())


def close_tree(
    *roots: widgets.Widget,
    still_shown: Iterable[widgets.Widget] = (),
    kept_aside: bool = False,
) -> None:
    """Close ``roots`` and every widget they hold (frees the kernel's and the browser's
    models), except what is reachable from ``still_shown``: a widget moved from the old
    tree into what replaces it stays open.

    ``kept_aside`` (see :func:`widgets_held`) is for a page that goes away as a whole:
    a widget's attributes may also name widgets it was given and does not own (the page's
    status line), which a screen replaced inside a page that stays must leave open.

    A shared layout or style stays open (other widgets of the page may show it): the page
    closes its shared looks when it goes (``looks.close_looks``)."""
    kept = {id(widget) for widget in tree(*still_shown)}
    for widget in tree(*roots, kept_aside=kept_aside):
        if id(widget) not in kept and not is_shared(widget):
            widget.close()
