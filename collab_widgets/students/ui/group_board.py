"""The groups as a board in the browser (``group_board.js``, ``group_board.css``): a
column per group, a chip per student, moved by dragging, by a tap and a tap, or from the
keyboard.

The browser only asks: ``{"event": "moved", "student": id, "group": index}``. The board
hands a request of the right shape to its ``on_moved`` callbacks, which check it against
the kernel's own groups (the student is on the board, the group exists), move, and draw
the board again from the kernel's state; anything else a browser sends is refused with
``on_refused``. Nothing the browser holds is trusted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anywidget
import ipywidgets as widgets
import traitlets

HERE = Path(__file__).parent
NOT_UNDERSTOOD = "That move did not reach the groups; reload the page and try again."


class GroupBoard(anywidget.AnyWidget):
    """``groups``: one dict per group, in order: ``title`` ("Group 3"), ``students`` (each
    ``{"id", "name"}``, the name as the page shows students now: the pseudonym unless a
    team member chose "Show names") and ``spreads`` (plain sentences). ``can_move``:
    whether the visitor may move students (the class's teacher)."""

    _esm = (HERE / "group_board.js").read_text(encoding="utf-8")
    _css = (HERE / "group_board.css").read_text(encoding="utf-8")
    groups = traitlets.List(traitlets.Dict()).tag(sync=True)
    can_move = traitlets.Bool(False).tag(sync=True)
    title = traitlets.Unicode("Groups").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._moved = widgets.CallbackDispatcher()
        self._refused = widgets.CallbackDispatcher()
        self.on_msg(self._message)

    def on_moved(self, callback: Callable[[str, int], None]) -> None:
        """``callback(student, group)``: the browser asks to move ``student`` (an id as
        text) to the group at index ``group``; the callback checks both."""
        self._moved.register_callback(callback)

    def on_refused(self, callback: Callable[[str], None]) -> None:
        """``callback(message)``: the browser sent something that is not a move."""
        self._refused.register_callback(callback)

    def say(self, words: str) -> None:
        """Words for a screen reader, spoken by the board (e.g. "Student 4KQ7ZD moved to
        group 3"; students named as on the board)."""
        self.send({"say": words})

    def _message(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("event") != "moved":
            self._refused(NOT_UNDERSTOOD)
            return
        student, group = content.get("student"), content.get("group")
        if not isinstance(student, str) or type(group) is not int:  # not a bool, not 2.0
            self._refused(NOT_UNDERSTOOD)
            return
        self._moved(student, group)
