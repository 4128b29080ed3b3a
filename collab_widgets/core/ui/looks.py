"""Layouts and styles that many widgets share.

Every ipywidgets widget comes with a layout of its own, and most with a style of their
own: each one more model the browser makes, a message at about half a millisecond, before
a tab it opens answers the click (55 of the SMART goal tab's 105 models were these). The
widgets that look alike share one here instead: a shared look never changes (a change
would move every widget that shows it), so :func:`relayout` and
:func:`~collab_widgets.core.ui.layout.set_shown` give a widget another shared look, and a
change made to one in place is refused loudly. The page's looks are closed with the page."""

from __future__ import annotations

import ipywidgets as widgets
from ipywidgets.widgets.widget import _instances  # every open widget (ipywidgets 8.1)


class _Shared:
    """A layout or style that several widgets show: set once, when it is made."""

    _fixed = False

    def __setattr__(self, name: str, value: object) -> None:
        if self._fixed and name in self.keys:
            raise TypeError(
                f"this {type(self).__name__} is shared by several widgets: give the widget "
                f"another look (relayout(widget, {name}=…)) instead of changing this one"
            )
        super().__setattr__(name, value)

    def set_state(self, sync_data) -> None:
        """The browser never changes a layout or a style: a message that tries is ignored."""


class SharedLayout(_Shared, widgets.Layout):
    pass


_styles: dict[type, type] = {}
_looks: dict[tuple, widgets.Widget] = {}


def _shared_class(kind: type) -> type:
    if kind not in _styles:
        _styles[kind] = type(f"Shared{kind.__name__}", (_Shared, kind), {})
    return _styles[kind]


def _look(kind: type, values: dict) -> widgets.Widget:
    key = (kind, tuple(sorted(values.items())))
    look = _looks.get(key)
    if look is None or look.comm is None:  # none yet, or closed with a page
        # opened at once, even inside ``built_in_one_go``: a widget already open may be
        # given it there (``set_shown``), and a look names no other widget
        building = widgets.Widget._widget_construction_callback
        widgets.Widget.on_widget_constructed(None)
        try:
            look = _looks[key] = kind(**values)
        finally:
            widgets.Widget.on_widget_constructed(building)
        look._fixed = True
    return look


def shared_layout(**values: object) -> widgets.Layout:
    """The page's one layout with these values (e.g. ``width="100%"``)."""
    return _look(SharedLayout, values)


def shared_style(kind: type, **values: object) -> widgets.Widget:
    """The page's one style of this kind (e.g. ``HTMLStyle``) with these values."""
    return _look(_shared_class(kind), values)


def layout_values(layout: widgets.Layout) -> dict[str, object]:
    """What a layout sets (its other properties are the browser's defaults)."""
    return {
        name: getattr(layout, name)
        for name in layout.keys
        if not name.startswith("_") and getattr(layout, name) is not None
    }


def relayout(widget: widgets.DOMWidget, **changes: object) -> None:
    """Change ``widget``'s layout: its own in place, or a shared one for another shared
    one with the changes (``None`` takes a property back to the browser's default)."""
    if not isinstance(widget.layout, SharedLayout):
        for name, value in changes.items():
            setattr(widget.layout, name, value)
        return
    values = {**layout_values(widget.layout), **changes}
    changed = shared_layout(**{name: value for name, value in values.items() if value is not None})
    if changed is not widget.layout:
        widget.layout = changed


def is_shared(widget: widgets.Widget) -> bool:
    return isinstance(widget, _Shared)


def close_looks() -> None:
    """Close the shared looks no open widget shows: the page that showed them is gone
    (another page in the same kernel, as in JupyterLab or a test, keeps its own)."""
    shown = {
        id(part)
        for widget in list(_instances.values())
        if not is_shared(widget)
        for part in (getattr(widget, "layout", None), getattr(widget, "style", None))
    }
    for key, look in list(_looks.items()):
        if id(look) not in shown:
            look.close()
            del _looks[key]
