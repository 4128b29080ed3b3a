"""The parts of a page that need the browser itself: a link's Copy button, the device's
memory of a member's personal link, a chart picture with its text alternative, and a
form's button that sends what was typed with its click. Each is an ES module shipped
beside this file (no build step, nothing fetched from outside)."""

from __future__ import annotations

from pathlib import Path

import anywidget
import ipywidgets as widgets
import traitlets

HERE = Path(__file__).parent


class CopyLink(anywidget.AnyWidget):
    """``value`` shown as text with a Copy button labelled by ``description``."""

    _esm = (HERE / "copy_link.js").read_text(encoding="utf-8")
    value = traitlets.Unicode("").tag(sync=True)
    description = traitlets.Unicode("Copy the link").tag(sync=True)


class DeviceMemory(anywidget.AnyWidget):
    """This browser's memory of one member's personal token for the team ``team``.

    The browser reports what it remembers by setting ``token``; the kernel remembers a
    token by setting it, and forgets by setting ``""``. A browser can send any token, so
    the page opens what it reports only as a personal link typed in would be opened.
    """

    _esm = (HERE / "device_memory.js").read_text(encoding="utf-8")
    team = traitlets.Unicode("").tag(sync=True)  # the team code the page was opened with
    token = traitlets.Unicode("").tag(sync=True)


class ChartImage(anywidget.AnyWidget):
    """A PNG (``value``) shown as an image whose alt text is ``alt`` (ipywidgets' Image
    has no alt text, and a chart without one says nothing to a screen reader)."""

    _esm = (HERE / "chart_image.js").read_text(encoding="utf-8")
    value = traitlets.Bytes(b"").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)


class FormButton(anywidget.AnyWidget):
    """A button for a form whose text boxes (``reads``) are read when it is clicked: the
    click carries what each box holds in the browser at that moment, set on the box before
    the ``on_click`` callbacks run.

    ipywidgets sends a click at once but holds a text box's newest value back while the
    box's previous change is still on its way (jupyter-widgets/ipywidgets#1382): a code
    typed or pasted just before a click could reach the kernel after it, which then acted
    on the older text (a code without its last letters, counted as a wrong one)."""

    _esm = (HERE / "form_button.js").read_text(encoding="utf-8")
    description = traitlets.Unicode("").tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    button_style = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    reads = traitlets.List(
        traitlets.Union([traitlets.Instance(widgets.Text), traitlets.Instance(widgets.Textarea)])
    ).tag(sync=True, **widgets.widget_serialization)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._clicked = widgets.CallbackDispatcher()
        self.on_msg(self._message)

    def on_click(self, callback, remove: bool = False) -> None:
        self._clicked.register_callback(callback, remove=remove)

    def click(self) -> None:
        """Run the callbacks, as a click does. As with ipywidgets' own Button, a click the
        page sends while the button shows disabled still reaches them (a page can send
        anything): each action checks for itself what it needs."""
        self._clicked(self)

    def _message(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("event") != "click":
            return
        values = content.get("values")
        typed = values if isinstance(values, dict) else {}
        for box in self.reads:  # only the form's own boxes, and only text
            value = typed.get(box.model_id)
            if isinstance(value, str):
                box.value = value
        self.click()
