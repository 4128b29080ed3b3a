"""The parts of a page that need the browser itself: a link's Copy button, the device's
memory of a member's personal link, and a chart picture with its text alternative. Each
is an ES module shipped beside this file (no build step, nothing fetched from outside)."""

from __future__ import annotations

from pathlib import Path

import anywidget
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
