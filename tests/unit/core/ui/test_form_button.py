"""A form's button carries what its text boxes hold in the browser at the click, so the
kernel never acts on older text whose update is still on its way (ipywidgets holds a text
box's newest value back while its previous one is in flight; a click goes at once)."""

from __future__ import annotations

import ipywidgets as widgets

from collab_widgets.core.ui.layout import form_button


def clicked_from_browser(button, values) -> None:
    """The message the page sends for a click (see form_button.js)."""
    button._message(button, {"event": "click", "values": values}, [])


def test_the_click_sets_what_was_typed_before_the_callbacks_run():
    code = widgets.Text(value="ABCD-EFGH-JK")  # the kernel has the text up to here
    seen = []
    button = form_button("Open", "Open the team", [code], "primary", "open")
    button.on_click(lambda b: seen.append(code.value))
    clicked_from_browser(button, {code.model_id: "ABCD-EFGH-JKMN"})  # typed in full
    assert seen == ["ABCD-EFGH-JKMN"] and code.value == "ABCD-EFGH-JKMN"
    assert "collab-btn-open" in button._dom_classes and button.button_style == "primary"


def test_only_the_forms_own_text_boxes_and_only_text():
    mine, other = widgets.Text(value="mine"), widgets.Text(value="other")
    button = form_button("Add", "Add it", [mine])
    button.on_click(lambda b: None)
    clicked_from_browser(button, {other.model_id: "changed", mine.model_id: 42})
    assert (mine.value, other.value) == ("mine", "other")
    clicked_from_browser(button, "not a mapping")  # a page can send anything
    button._message(button, {"event": "hover"}, [])
    assert mine.value == "mine"


def test_a_disabled_button_still_hands_a_forged_click_to_its_action_as_ipywidgets_does():
    """The action checks for itself what it needs (see the upload's Save, which says what
    to do first when clicked before a file passed)."""
    box = widgets.Text()
    seen = []
    button = form_button("Add", "Add it", [box])
    button.on_click(lambda b: seen.append(box.value))
    button.disabled = True
    clicked_from_browser(button, {box.model_id: "text"})
    assert seen == ["text"]
