"""A screen built in one go reaches the browser as it is once built: each widget made is
opened once, with its final state, after the widgets it holds; nothing is lost."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from collab_widgets.core.ui.batch import built_in_one_go
from tests.unit.widget_helpers import SentToBrowser


@pytest.fixture
def browser(monkeypatch) -> SentToBrowser:
    return SentToBrowser().install(monkeypatch)


def test_widgets_made_and_changed_inside_are_opened_once_with_their_final_state(browser):
    box = widgets.VBox()
    known = set(browser.opened())
    browser.messages.clear()
    with built_in_one_go(box):
        label = widgets.HTML("first")
        label.add_class("collab-note")
        label.value = "last"
        field = widgets.Text(disabled=True)
        field.disabled = False
        box.children = (label, field)
        box.add_class("collab-filled")
    assert browser.unknown_to_the_browser(known) == []
    opened = {model: data["state"] for kind, model, data in browser.messages if kind == "comm_open"}
    assert opened[label.model_id]["value"] == "last"
    assert list(opened[label.model_id]["_dom_classes"]) == ["collab-note"]
    assert opened[field.model_id]["disabled"] is False
    # no update for a widget made inside; the box that shows them: one, after they open
    assert browser.updates() == [
        (
            box.model_id,
            {
                "children": [f"IPY_MODEL_{label.model_id}", f"IPY_MODEL_{field.model_id}"],
                "_dom_classes": ("collab-filled",),
            },
        )
    ]
    assert browser.messages[-1][1] == box.model_id


def test_a_box_made_before_its_children_is_opened_after_them(browser):
    with built_in_one_go():
        outer = widgets.VBox()
        inner = widgets.HBox()
        leaf = widgets.Button(description="Go")
        inner.children = (leaf,)
        outer.children = (inner,)
    assert browser.unknown_to_the_browser(set()) == []
    order = browser.opened()
    assert order.index(leaf.model_id) < order.index(inner.model_id) < order.index(outer.model_id)
    assert order.index(leaf.layout.model_id) < order.index(leaf.model_id)
    assert browser.updates() == []


def test_after_the_block_widgets_send_their_changes_again(browser):
    with built_in_one_go():
        label = widgets.HTML("made")
    label.value = "changed"
    assert browser.updates()[-1] == (label.model_id, {"value": "changed"})


def test_a_widget_closed_inside_is_never_sent(browser):
    with built_in_one_go():
        kept = widgets.HTML("kept")
        dropped = widgets.HTML("dropped")
        dropped_id = dropped.model_id
        dropped.close()
    assert dropped_id not in browser.opened()
    assert kept.model_id in browser.opened()
    assert all(model != dropped_id for _, model, _ in browser.messages)


def test_a_custom_message_sent_inside_arrives_after_the_widget_opens(browser):
    with built_in_one_go():
        button = widgets.Button()
        button.send({"focus": True})
    kinds = [
        (kind, data.get("method"))
        for kind, model, data in browser.messages
        if model == button.model_id
    ]
    assert kinds == [("comm_open", None), ("comm_msg", "custom")]


def test_a_failure_inside_still_opens_what_was_made_and_the_next_widget_opens_at_once(browser):
    with pytest.raises(ValueError), built_in_one_go():
        made = widgets.HTML("made")
        raise ValueError("the build failed")
    assert made.model_id in browser.opened()
    after = widgets.HTML("after")
    assert browser.opened()[-1] == after.model_id  # opened when made: the block is over


def test_a_block_inside_another_adds_to_it(browser):
    box = widgets.VBox()
    browser.messages.clear()
    with built_in_one_go():
        with built_in_one_go(box):
            label = widgets.HTML("inner")
            box.children = (label,)
        assert browser.messages == []  # nothing until the outer block ends
    assert browser.unknown_to_the_browser({box.model_id}) == []
    assert label.model_id in browser.opened()


def test_a_widget_that_cannot_open_leaves_the_others_opened_and_the_failure_raised(browser):
    """A box whose child was closed inside the block cannot be sent (its state names a
    widget the browser will never have); what was made after it still opens."""
    with pytest.raises(AttributeError), built_in_one_go():
        child = widgets.HTML("closed too soon")
        box = widgets.VBox([child])
        child.close()
        after = widgets.HTML("made after")
    assert box.comm is None  # left closed, not waiting for ever
    assert after.model_id in browser.opened()
    after.value = "changed"
    assert browser.updates()[-1] == (after.model_id, {"value": "changed"})


def test_a_box_made_in_the_block_and_shown_by_an_inner_one_is_sent_once(browser):
    with built_in_one_go():
        panel = widgets.VBox()
        with built_in_one_go(panel):
            panel.children = (widgets.HTML("inside"),)
    assert browser.updates() == []
    assert browser.unknown_to_the_browser(set()) == []
