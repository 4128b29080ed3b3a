"""Closing a tree of widgets: everything a widget holds in its traits (children, layout,
style, any other widget-valued trait), with what it keeps aside when the whole page goes,
and never what is still shown."""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from collab_widgets.core.ui.closing import close_tree, tree, widgets_in_state
from collab_widgets.core.ui.layout import replace_children


def is_open(widget: widgets.Widget) -> bool:
    return widget.comm is not None  # closing a widget closes its channel to the browser


class Pair(widgets.DOMWidget):
    """A widget holding others in traits that are not ``children``."""

    first = traitlets.Instance(widgets.Widget, allow_none=True)
    rest = traitlets.List(traitlets.Instance(widgets.Widget))


class AskFirst(widgets.HBox):
    """Like the confirmation button: its question is built now and shown only when asked,
    and it was given the page's status line."""

    def __init__(self, status: widgets.HTML):
        self.status = status
        self.question = widgets.HTML("Sure?")
        self.answers = [widgets.Button(description="Yes"), widgets.Button(description="No")]
        super().__init__([widgets.Button(description="Delete")])


def test_close_tree_closes_children_layouts_styles_and_every_widget_valued_trait():
    leaf = widgets.Text()
    pair = Pair(first=widgets.HTML("first"), rest=[widgets.HTML("second"), widgets.Label()])
    root = widgets.VBox([widgets.HBox([leaf]), pair])
    outside = widgets.HTML("not in the tree")
    made = tree(root)
    assert leaf.layout in made and leaf.style in made and pair.first in made
    assert all(part in made for part in pair.rest)
    close_tree(root)
    assert not any(is_open(widget) for widget in made)
    assert is_open(outside) and is_open(outside.layout)


def test_the_walk_visits_each_widget_once_even_in_a_loop():
    shared = widgets.Layout(width="auto")
    first, second = widgets.Button(layout=shared), widgets.Button(layout=shared)
    box = widgets.VBox([first, second])
    pair = Pair(first=box, rest=[box])
    box.children = (*box.children, pair)  # box holds pair, which holds box
    made = tree(box)
    assert len(made) == len({id(widget) for widget in made})
    assert {first, second, pair, shared} <= set(made)


def test_what_is_still_shown_stays_open_with_its_layout():
    moved, dropped = widgets.HTML("moved"), widgets.HTML("dropped")
    shared = widgets.Layout(width="auto")
    kept = widgets.HTML("kept", layout=shared)
    old = widgets.VBox([moved, dropped, widgets.HTML("sharing a layout", layout=shared)])
    new = widgets.VBox([moved, kept])
    close_tree(old, still_shown=[new])
    assert not is_open(old) and not is_open(dropped) and not is_open(dropped.layout)
    assert is_open(moved) and is_open(kept) and is_open(shared)


def test_what_a_widget_keeps_aside_is_closed_only_when_asked():
    status = widgets.HTML()
    asking = AskFirst(status)
    close_tree(asking)
    assert not is_open(asking) and is_open(asking.question)
    close_tree(asking, kept_aside=True)
    aside = [asking.question, *asking.answers, asking.question.style, status]
    assert not any(is_open(widget) for widget in aside)


def test_a_page_that_goes_closes_what_its_screens_kept_aside():
    status, body = widgets.HTML(), widgets.VBox()
    page = widgets.VBox([status, body])
    old_view, new_view = AskFirst(status), AskFirst(status)
    replace_children(body, [old_view])
    replace_children(body, [new_view], page=page)
    assert not is_open(old_view) and not is_open(old_view.question)
    assert not any(is_open(answer) for answer in old_view.answers)
    # the page's status line, given to both views, and the new view stay open
    assert is_open(status) and is_open(page) and is_open(new_view.question)


def test_replace_children_without_the_page_leaves_what_is_kept_aside_to_its_owner():
    status, body = widgets.HTML(), widgets.VBox()
    old_view = AskFirst(status)
    replace_children(body, [old_view])
    replace_children(body, [widgets.HTML("next")])
    assert not is_open(old_view) and not is_open(old_view.layout)
    assert is_open(status)  # not the box's to close: it may be shown elsewhere on the page


class Shared(widgets.DOMWidget):
    """Holds one widget in its state (synced) and one only in the kernel."""

    shown = traitlets.Instance(widgets.Widget).tag(sync=True, **widgets.widget_serialization)
    kept = traitlets.Instance(widgets.Widget, allow_none=True)


def test_the_widgets_in_a_state_are_those_the_browser_is_sent():
    shown, kept = widgets.HTML("shown"), widgets.HTML("kept")
    holder = Shared(shown=shown, kept=kept)
    in_state = list(widgets_in_state(holder))
    assert shown in in_state and holder.layout in in_state
    assert kept not in in_state
    box = widgets.VBox([shown])
    assert set(map(id, widgets_in_state(box))) == {id(shown), id(box.layout)}
