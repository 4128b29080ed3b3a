"""Widgets that look alike share one layout and one style model; a shared look never
changes under the widgets that show it; the page's looks go with the page."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from collab_widgets.core.ui.batch import built_in_one_go
from collab_widgets.core.ui.closing import close_tree
from collab_widgets.core.ui.layout import (
    button,
    heading,
    note,
    replace_children,
    set_shown,
    stacked,
)
from collab_widgets.core.ui.looks import (
    close_looks,
    relayout,
    shared_layout,
    shared_style,
)
from tests.unit.widget_helpers import SentToBrowser


@pytest.fixture
def browser(monkeypatch) -> SentToBrowser:
    return SentToBrowser().install(monkeypatch)


def test_widgets_that_look_alike_send_one_layout_and_one_style(browser):
    known = set(browser.opened())
    parts = [heading("Norms"), note("Agreed ways of working."), heading("Roles")]
    buttons = [button("Save", "Save it"), button("Undo", "Take it back")]
    sent = set(browser.opened()) - known
    assert len({part.layout.model_id for part in parts}) == 1
    assert len({part.style.model_id for part in parts}) == 1
    assert len({b.layout.model_id for b in buttons}) == 1
    assert len({b.style.model_id for b in buttons}) == 1
    assert isinstance(parts[0].style, HTMLStyle) and isinstance(buttons[0].style, ButtonStyle)
    # five widgets; their two looks at most two more each kind (none if sent before)
    assert len(sent) <= 5 + 4
    assert shared_layout(width="auto") is buttons[0].layout
    assert shared_layout(width="100%") is not shared_layout(width="auto")


def test_a_shared_look_refuses_a_change_in_place():
    first, second = heading("One"), heading("Two")
    with pytest.raises(TypeError, match="relayout"):
        first.layout.display = "none"
    with pytest.raises(TypeError, match="shared"):
        first.style.font_size = "40px"
    assert second.layout.display is None and second.style.font_size is None


def test_hiding_a_widget_gives_it_another_look_and_leaves_its_lookalikes_shown():
    first, second = button("One", ""), button("Two", "")
    set_shown(first, False)
    assert first.layout.display == "none" and first.layout.width == "auto"
    assert second.layout.display is None
    assert first.layout is shared_layout(width="auto", display="none")  # shared too
    set_shown(first, True)
    assert first.layout is second.layout
    relayout(second, width="100%")
    assert second.layout is shared_layout(width="100%") and first.layout.width == "auto"


def test_a_widget_with_a_layout_of_its_own_is_changed_in_place():
    box = widgets.VBox(layout=widgets.Layout(width="50%"))
    own = box.layout
    set_shown(box, False)
    relayout(box, width="70%")
    assert box.layout is own and (own.display, own.width) == ("none", "70%")


def test_the_browser_cannot_change_a_shared_look(browser):
    part = heading("Norms")
    layout = part.layout
    layout.set_state({"display": "none"})  # as a message from the page would
    assert layout.display is None
    assert shared_layout() is layout


def test_a_screen_replaced_leaves_the_looks_open_and_the_page_closes_them(browser):
    page = widgets.VBox()
    replace_children(page, [heading("Before"), button("Go", "")])
    layout = page.children[0].layout
    replace_children(page, [heading("After")])  # the old heading is closed, not its look
    assert page.children[0].layout is layout and layout.comm is not None
    close_tree(page, kept_aside=True)
    assert layout.comm is not None  # closing a tree never closes a look another may show
    close_looks()  # the page is gone
    assert layout.comm is None
    again = heading("A new page")
    assert again.layout is not layout and again.layout.comm is not None


def test_a_style_with_values_is_shared_by_its_values(browser):
    wide = shared_style(HTMLStyle, font_size="20px")
    assert shared_style(HTMLStyle, font_size="20px") is wide
    assert shared_style(HTMLStyle) is not wide
    assert wide.font_size == "20px"


def test_a_look_first_needed_inside_a_build_reaches_the_browser_before_it_is_named(browser):
    """An open widget hidden while a view is built in one go is given a look the
    browser already has, not one waiting for the block to end."""
    shown = stacked(align_items="flex-start")
    known = set(browser.opened())
    with built_in_one_go():
        set_shown(shown, False)  # a look no widget had before
        assert browser.unknown_to_the_browser(known) == []
        heading("Made inside")
    assert browser.unknown_to_the_browser(known) == []
    assert shown.layout.display == "none"


def test_a_page_closing_leaves_the_looks_another_open_page_shows(browser):
    first_page, other_page = stacked([heading("One")]), stacked([heading("Two")])
    kept = other_page.children[0].layout
    close_tree(first_page, kept_aside=True)
    close_looks()
    assert kept.comm is not None and other_page.children[0].layout is kept
    close_tree(other_page, kept_aside=True)
    close_looks()
    assert kept.comm is None
