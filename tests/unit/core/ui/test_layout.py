"""The widget-tree helpers: closing a tree, replacing what a box shows, a table of text and
refilling a dropdown without losing the choice."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.ui.layout import (
    button,
    close_tree,
    heading,
    html_table,
    note,
    refill,
    replace_children,
)


def is_open(widget: widgets.Widget) -> bool:
    return widget.comm is not None  # closing a widget closes its channel to the browser


def test_close_tree_closes_a_widget_and_everything_inside_it():
    leaf, other_leaf = widgets.HTML("a"), widgets.Text()
    tree = widgets.VBox([widgets.HBox([leaf]), other_leaf])
    outside = widgets.HTML("not in the tree")
    close_tree(tree)
    assert not is_open(tree) and not is_open(leaf) and not is_open(other_leaf)
    assert is_open(outside)


def test_replace_children_closes_only_what_is_no_longer_shown():
    kept, dropped, added = widgets.HTML("kept"), widgets.HTML("dropped"), widgets.HTML("new")
    box = widgets.VBox([kept, dropped])
    replace_children(box, [added, kept])
    assert box.children == (added, kept)
    assert is_open(kept) and is_open(added) and not is_open(dropped)


def test_replace_children_with_the_same_list_sends_nothing():
    shown = widgets.HTML("shown")
    box = widgets.VBox([shown])
    changes = []
    box.observe(changes.append, "children")
    replace_children(box, [shown])
    assert changes == [] and is_open(shown)


def test_html_table_escapes_every_cell_and_heading():
    table = html_table(["<Name>", "Score"], [["<b>Ana</b>", 3], ["Ben & Chen", "4"]])
    assert "<th>&lt;Name&gt;</th><th>Score</th>" in table
    assert "<td>&lt;b&gt;Ana&lt;/b&gt;</td><td>3</td>" in table
    assert "<td>Ben &amp; Chen</td>" in table
    assert "<b>" not in table and table.startswith("<table class='collab-table'>")


def test_heading_note_and_button_show_text_as_text():
    assert heading("<i>Wins</i>").value == "<h3>&lt;i&gt;Wins&lt;/i&gt;</h3>"
    assert heading("Wins", 2).value == "<h2>Wins</h2>"
    assert note("a < b").value == '<p class="collab-note">a &lt; b</p>'
    made = button("Save", "Save the goal", "primary", name="save")
    assert (made.description, made.tooltip, made.button_style) == (
        "Save",
        "Save the goal",
        "primary",
    )
    assert "collab-btn-save" in made._dom_classes


def test_refill_keeps_the_choice_while_it_is_offered_else_takes_the_first():
    dropdown = widgets.Dropdown(options=[("One", 1), ("Two", 2)], value=2)
    refill(dropdown, [("Zero", 0), ("Two", 2), ("Three", 3)])
    assert dropdown.value == 2 and dropdown.label == "Two"
    refill(dropdown, [("Zero", 0), ("Three", 3)])
    assert dropdown.value == 0
    refill(dropdown, [("Zero", 0), ("Three", 3)], keep=3)
    assert dropdown.value == 3
    refill(dropdown, [])
    assert dropdown.value is None and dropdown.options == ()


def test_refill_selects_an_option_whose_value_is_none():
    """A dropdown that had no options and gets ("—", None) shows "—", not a blank."""
    dropdown = widgets.Dropdown(options=[])
    refill(dropdown, [("—", None), ("Ana", 1)])
    assert dropdown.index == 0 and dropdown.label == "—"
