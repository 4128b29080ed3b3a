"""Reading and finding things in widget trees, and what they send the browser, for the
widget tests."""

from __future__ import annotations

import json
import re

import comm
import ipywidgets as widgets
from comm.base_comm import BaseComm

from collab_widgets.core.ui.browser_parts import FormButton
from collab_widgets.core.ui.layout import LazyPanel

# what a person clicks: ipywidgets' buttons, and a form's, which carries what was typed
BUTTONS = (widgets.Button, FormButton)


def opened(build):
    """A tab's panel as a page shows it when the tab is opened: built, then drawn."""
    return LazyPanel(build).panel


def texts(widget) -> str:
    """Everything a widget tree shows as text or HTML."""
    parts = [str(getattr(widget, "value", "")), str(getattr(widget, "description", ""))]
    for child in getattr(widget, "children", ()):
        parts.append(texts(child))
    return "\n".join(parts)


def find(widget, kind, predicate=lambda w: True):
    found = [widget] if isinstance(widget, kind) and predicate(widget) else []
    for child in getattr(widget, "children", ()):
        found += find(child, kind, predicate)
    return found


def answer_yes(widget) -> None:
    """Say yes to the question a destructive action's button has just asked."""
    from collab_widgets.core.ui.confirm import Confirm

    asking = find(widget, Confirm, lambda c: c.yes in c.children)
    assert asking, "no button is asking for a confirmation"
    for confirm in asking:
        confirm.yes.click()


class SentToBrowser:
    """Records the messages the kernel's widgets send the browser, in order, as
    ``(kind, model id, data)``: kind is comm_open, comm_msg or comm_close. Installed with
    ``install(monkeypatch)``: every widget opened after that sends through it."""

    MODEL = re.compile(r"IPY_MODEL_([0-9a-f]+)")

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, dict]] = []

    def install(self, monkeypatch) -> SentToBrowser:
        recorder = self

        class Recorded(BaseComm):
            def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
                recorder.messages.append((msg_type, self.comm_id, data or {}))

        monkeypatch.setattr(comm, "create_comm", Recorded)
        return self

    def opened(self) -> list[str]:
        return [model for kind, model, _ in self.messages if kind == "comm_open"]

    def updates(self) -> list[tuple[str, dict]]:
        return [
            (model, data["state"])
            for kind, model, data in self.messages
            if kind == "comm_msg" and data.get("method") == "update"
        ]

    def unknown_to_the_browser(self, known: set[str]) -> list[str]:
        """Messages that name a model the browser does not have when they arrive (it was
        not in ``known`` and not opened by an earlier message): the browser fails on them."""
        known = set(known)
        problems = []
        for kind, model, data in self.messages:
            if kind != "comm_open" and model not in known:
                problems.append(f"{kind} to model {model}, not open")
            for named in self.MODEL.findall(json.dumps(data)):
                if named not in known:
                    problems.append(f"{kind} of {model} names {named}, not open")
            if kind == "comm_open":
                known.add(model)
            elif kind == "comm_close":
                known.discard(model)
        return problems
