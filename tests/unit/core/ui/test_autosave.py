"""Saving as typed, in a kernel's event loop: typing without a pause is still saved at
least every LONGEST_WAIT seconds, and the page's save state is true for every box."""

from __future__ import annotations

import asyncio

import ipywidgets as widgets

from collab_widgets.core.errors import EditConflict
from collab_widgets.core.ui import debounce
from collab_widgets.core.ui.autosave import SharedText, autosave
from collab_widgets.core.ui.feedback import SavedIndicator


def test_the_longest_wait_between_saves_is_two_seconds():
    assert debounce.LONGEST_WAIT == 2.0


def test_typing_without_a_pause_is_saved_at_least_every_longest_wait(monkeypatch):
    monkeypatch.setattr(debounce, "DELAY", 0.15)
    monkeypatch.setattr(debounce, "LONGEST_WAIT", 0.3)
    saved: list[tuple[float, str]] = []

    async def type_steadily() -> tuple[float, float]:
        loop = asyncio.get_running_loop()
        box = widgets.Textarea()
        autosave(box, lambda value: saved.append((loop.time(), value)), SavedIndicator())
        began = loop.time()
        for end in range(1, 61):  # a key every 20 ms for 1.2 s: never a 0.15 s pause
            box.value = "x" * end
            await asyncio.sleep(0.02)
        stopped = loop.time()
        await asyncio.sleep(0.4)
        return began, stopped

    began, stopped = asyncio.run(type_steadily())
    while_typing = [at for at, _ in saved if at <= stopped]
    assert len(while_typing) >= 3, f"{len(while_typing)} saves in 1.2 s of steady typing"
    moments = [began, *while_typing]
    slack = 0.1  # a busy machine's timer
    assert max(b - a for a, b in zip(moments, moments[1:], strict=False)) <= 0.3 + slack
    assert saved[-1][1] == "x" * 60  # and the last keystroke after the pause


def test_the_save_state_never_says_saved_while_a_box_holds_unsaved_text():
    indicator = SavedIndicator()
    store = {"a": "theirs, newer", "b": ""}

    def save_a(typed, base):
        if store["a"] != base:
            raise EditConflict(store["a"])
        store["a"] = typed

    a = SharedText(widgets.Textarea(value="old"), save_a, indicator, "a")
    b = widgets.Textarea()
    autosave(b, lambda value: store.update(b=value), indicator)

    a.box.value = "mine"  # typed over "old": refused, both shown
    assert "Not saved" in indicator.value and not indicator.all_saved
    b.value = "another box saves fine"
    assert store["b"] == "another box saves fine"
    assert "Not saved" in indicator.value  # box a still holds text the store does not
    a.keep_mine()
    assert store["a"] == "mine"
    assert "All changes saved" in indicator.value and indicator.all_saved
