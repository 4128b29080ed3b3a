"""The live board of one prompt: sticky notes, a dot vote, a fist-to-five or a rating.

Notes and votes are a :class:`BoardCanvas` (the board drawn in the browser, see
``board_canvas.js``): cards written in place, sorted into groups by dragging or from the
keyboard, dots on the cards, ranked once voting closes. What the browser asks for comes
back here as a message (:meth:`BoardView.act`), is checked and written by the live
store, and the board is drawn again from the store: a teammate's change arrives by the
page's polling (:meth:`BoardView.refresh`). A closed check's outcome is
:func:`.render.results_html` (also for earlier runs). Everything people typed is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anywidget
import ipywidgets as widgets
import traitlets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.model import MAX_TEXT
from collab_widgets.core.ui.autosave import save_reported
from collab_widgets.core.ui.debounce import Debouncer
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import button, set_shown, text_block
from collab_widgets.live import rules
from collab_widgets.live import store as live
from collab_widgets.live.model import OPEN, Board, LiveNote
from collab_widgets.live.render import FIST_WORDS, results_html


def _how_many(count: int, done: str) -> str:
    return f"{count} member{'s have' if count != 1 else ' has'} {done}."


class BoardCanvas(anywidget.AnyWidget):
    """The board as the browser draws it. ``mode``: "board" (notes, sorted into
    ``groups``), "vote" (a dot vote open: ``voting`` members put dots) or "ranked" (the
    vote's result). ``cards``: one dict per note (id, text, group, byline, own,
    removable, mine: my dots, total: all dots once closed)."""

    _esm = (Path(__file__).parent / "board_canvas.js").read_text(encoding="utf-8")
    mode = traitlets.Unicode("board").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    cards = traitlets.List(traitlets.Dict()).tag(sync=True)
    groups = traitlets.List(traitlets.Unicode()).tag(sync=True)
    can_write = traitlets.Bool(False).tag(sync=True)
    can_group = traitlets.Bool(False).tag(sync=True)
    voting = traitlets.Bool(False).tag(sync=True)
    dots_left = traitlets.Int(0).tag(sync=True)
    max_length = traitlets.Int(MAX_TEXT).tag(sync=True)  # of a note, as the store allows
    max_group = traitlets.Int(rules.MAX_GROUP).tag(sync=True)  # of a group's name
    pile = traitlets.Unicode(rules.UNGROUPED).tag(sync=True)  # the notes in no group


NOT_UNDERSTOOD = "That did not reach the board; reload the page and try again."


def _note_id(message: dict, key: str = "id") -> int:
    value = message.get(key)
    if type(value) is not int:  # not a bool, a float or a string that looks like one
        raise InvalidInput(NOT_UNDERSTOOD)
    return value


def _text(message: dict, key: str) -> str:
    value = message.get(key)
    if not isinstance(value, str):
        raise InvalidInput(NOT_UNDERSTOOD)
    return value


def _card(
    item: LiveNote,
    *,
    byline: str = "",
    own: bool = False,
    removable: bool = False,
    mine: int = 0,
    total: int = 0,
) -> dict:
    """A note as the board in the browser draws it (see :class:`BoardCanvas`)."""
    return {
        "id": item.id,
        "text": item.text,
        "group": item.group or "",
        "byline": byline,
        "own": own,
        "removable": removable,
        "mine": mine,
        "total": total,
    }


class BoardView(widgets.VBox):
    """The open prompt of a live session, for one member (or the coach). Its parts are
    built once and shown or hidden."""

    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        prompt_id: int,
        *,
        moderates: bool,
        mine: set[int],
        indicator: SavedIndicator,
        on_change: Callable[[], None] = lambda: None,
    ):
        self.scope = scope
        self.status = status
        self.prompt_id = prompt_id
        self.moderates = moderates
        self.mine = mine  # anonymous notes this page wrote: only it may change them
        self.indicator = indicator
        self.on_change = on_change
        self.typed: dict[int, str] = {}  # note id -> the latest text the browser sent
        self.savers: dict[int, Debouncer] = {}
        self.canvas = BoardCanvas()
        self.canvas.add_class("collab-board")
        # the browser's messages: a failure is a message in the page, never a traceback
        self.canvas.on_msg(lambda _widget, message, _buffers: self._from_browser(message))
        self.mark = widgets.ToggleButtons(description="Your mark")
        self.mark.add_class("collab-mark")
        self.mark.observe(guarded(status)(self._marked), "value")
        self.summary = text_block()
        self.close_button = button(
            "Close", "Everyone sees the results now", "warning", "close-prompt"
        )
        self.close_button.on_click(guarded(status)(self._close))
        super().__init__([self.mark, self.summary, self.canvas, self.close_button])
        self.refresh()

    def refresh(self) -> None:
        board = live.board(self.scope, self.prompt_id)
        self.board = board
        kind, is_open = board.prompt.kind, board.prompt.status == OPEN
        member = self.scope.member_id is not None
        set_shown(self.mark, kind in ("fist-to-five", "rating") and is_open and member)
        set_shown(self.summary, kind in ("fist-to-five", "rating"))
        set_shown(self.canvas, kind in ("board", "dot-vote"))
        if kind == "board":
            self._draw_notes(board, is_open)
        elif kind == "dot-vote":
            self._draw_vote(board, is_open)
        elif kind in ("fist-to-five", "rating"):
            self._draw_check(board, is_open)
        closable = kind in ("dot-vote", "fist-to-five", "rating")
        self.close_button.description = (
            "Close voting and show results" if kind == "dot-vote" else "Show the spread"
        )
        set_shown(self.close_button, self.moderates and is_open and closable)

    # --- what the browser asks for ----------------------------------------------------

    def _from_browser(self, message: object) -> None:
        # a keystroke must not write out the typing it belongs to; anything else first
        # writes every save still waiting, as every action on the page does
        typing = isinstance(message, dict) and message.get("action") == "edit"
        guarded(self.status, flush=not typing)(self.act)(message)

    def act(self, message: object) -> None:
        """Do what the board in the browser asked (``{"action": …}``), as this page's
        visitor: anything else a browser sends is refused with a message."""
        action = message.get("action") if isinstance(message, dict) else None
        handler = {
            "new": self._new_note,
            "edit": self._edit,
            "remove": self._remove,
            "group": self._group,
            "group_with": self._group_with,
            "new_group": self._new_group,
            "rename": self._rename,
            "dot": self._dot,
        }.get(action)
        if handler is None:
            raise InvalidInput(NOT_UNDERSTOOD)
        handler(message)

    def _note(self, note_id: int) -> LiveNote:
        """A note of the board this page shows (never one of another step)."""
        for item in self.board.notes:
            if item.id == note_id:
                return item
        raise InvalidInput("That note is not on the board any more.")

    def _require_open_board(self) -> None:
        """Only while a board is open is a card written, moved, removed or a group renamed
        from the page (the facilitator removes later ones from the trash)."""
        prompt = self.board.prompt
        if prompt.kind != "board" or prompt.status != OPEN:  # a vote's choices stay too
            raise InvalidInput("This board has closed; its notes stay as they are.")

    def _open_note(self, note_id: int) -> LiveNote:
        """A note of this board while it is open."""
        self._require_open_board()
        return self._note(note_id)

    # --- sticky notes -----------------------------------------------------------------

    def _draw_notes(self, board: Board, is_open: bool) -> None:
        """Cards in the order they were started, by group (in the order groups first
        appear); the writer's own card is a text box while the board is open."""
        member = self.scope.member_id is not None
        self._forget_gone({item.id for item in board.notes})
        groups = [name for name, _ in rules.grouped(board.notes) if name != rules.UNGROUPED]
        cards = [
            _card(
                item,
                byline=item.author or "",
                own=is_open and self._own(item),
                removable=is_open and (self._own(item) or self.moderates),
            )
            for item in board.notes
        ]
        if is_open:
            status = "" if cards else "No notes yet. One idea per note; others see it as you write."
        else:
            status = "" if cards else "No notes were added."
        self._set_canvas(
            mode="board",
            title=board.prompt.title or "The board",
            status=status,
            cards=cards,
            groups=groups,
            can_write=is_open and member,
            can_group=is_open and (member or self.moderates),
            voting=False,
            dots_left=0,
        )

    def _set_canvas(self, **values) -> None:
        with self.canvas.hold_sync():  # one message, one redraw in the browser
            for name, value in values.items():
                if getattr(self.canvas, name) != value:
                    setattr(self.canvas, name, value)

    def _own(self, item: LiveNote) -> bool:
        return rules.is_own_note(item.author_id, item.id, self.scope.member_id, self.mine)

    def _changed(self) -> None:
        self.on_change()  # the page reads the store again, this board included

    def _new_note(self, _message: dict) -> None:
        self._require_open_board()
        blank = [n.id for n in self.board.notes if self._own(n) and not self._typed_text(n)]
        if blank:  # one empty card of yours at a time: it is the one to write in
            self.canvas.send(
                {"say": "Your empty card is waiting: type your note in it.", "focus": blank[0]}
            )
            return
        note_id = live.add_note(self.scope, self.prompt_id)
        self.mine.add(note_id)
        self.canvas.send({"say": "A new card is on the board: type your note in it."})
        self._changed()

    def _typed_text(self, item: LiveNote) -> str:
        """A note's text as this page last heard it typed (saved or not yet)."""
        return self.typed.get(item.id, item.text)

    def _edit(self, message: dict) -> None:
        """Every keystroke arrives here; it is saved after a pause in typing, at least
        every two seconds, before any other action on the page and when the kernel stops
        (as every text box is). The card keeps what is typed: nothing is redrawn for it."""
        item, text = self._open_note(_note_id(message)), _text(message, "text")
        if not self._own(item):
            raise InvalidInput("You can change only your own notes.")
        self.typed[item.id] = text
        saver = self.savers.get(item.id)
        if saver is None:
            saver = self.savers[item.id] = Debouncer(lambda: self._save_typed(item.id))
        self.indicator.saving(self._key(item.id))
        saver.trigger()

    def _forget_gone(self, present: set[int]) -> None:
        """A note gone from the board (to the trash) has nothing left to save: no "Not
        saved" stays on the page for it."""
        for note_id in [n for n in self.savers if n not in present]:
            self.savers.pop(note_id).flush()  # a save still waiting is refused: forgotten
            self.typed.pop(note_id, None)
            self.indicator.forget(self._key(note_id))

    @staticmethod
    def _key(note_id: int) -> str:
        return f"board-note-{note_id}"

    def _save_typed(self, note_id: int) -> None:
        save_reported(
            lambda: live.edit_note(self.scope, note_id, self.typed[note_id], self.mine),
            self.indicator,
            self._key(note_id),
            "a note",
        )

    def _remove(self, message: dict) -> None:
        live.delete_note(self.scope, self._open_note(_note_id(message)).id, self.mine)
        self.status.ok("Note moved to the trash; the Start page's Trash tab can restore it.")
        self._changed()

    def _group(self, message: dict) -> None:
        note_id, group = _note_id(message), _text(message, "group")
        live.group_note(self.scope, self._open_note(note_id).id, group)
        self.canvas.send({"say": f"Moved to {group}." if group else "Moved out of its group."})
        self._changed()

    def _new_group(self, message: dict) -> None:
        self._start_group([self._open_note(_note_id(message)).id])

    def _start_group(self, note_ids: list[int]) -> None:
        group = live.group_together(self.scope, note_ids)
        self.canvas.send({"say": f"Moved to {group}."})
        self._changed()

    def _group_with(self, message: dict) -> None:
        """A card dropped on another: into the other's group, or both into a new one."""
        moved = self._open_note(_note_id(message))
        target = self._open_note(_note_id(message, "target"))
        if moved.id == target.id:
            return
        if target.group:
            self._group({"id": moved.id, "group": target.group})
        else:
            self._start_group([target.id, moved.id])

    def _rename(self, message: dict) -> None:
        old, new = _text(message, "group"), rules.group_name(_text(message, "to"))
        self._require_open_board()
        merged = old != new and any(item.group == new for item in self.board.notes)
        if live.rename_group(self.scope, self.prompt_id, old, new):
            said = f"The notes of {old} are now in {new}." if merged else ""
            self.canvas.send({"say": said or f"The group is now called {new}."})
            self._changed()

    # --- dot vote ---------------------------------------------------------------------

    def _draw_vote(self, board: Board, is_open: bool) -> None:
        voting = is_open and self.scope.member_id is not None
        budget = board.prompt.budget or 0
        if not is_open:
            ranked = rules.vote_results(board.notes, board.totals or {})
            notes = [(item, dots) for item, dots in ranked]
            status = "Results: the most dots first." if notes else "Nothing was voted on."
        else:
            notes = [(item, 0) for item in board.notes]
            left = f"You have {board.dots_left} of {budget} dots left. " if voting else ""
            status = f"{left}{_how_many(board.answered, 'voted')} Results show when voting closes."
            if not notes:
                status = "There is nothing to vote on: the board before this was empty."
        # no byline: a choice is the team's, whoever wrote it
        cards = [
            _card(item, mine=board.my_dots.get(item.id, 0), total=dots) for item, dots in notes
        ]
        self._set_canvas(
            mode="vote" if is_open else "ranked",
            title=board.prompt.title or "Dot vote",
            status=status,
            cards=cards,
            groups=[],
            can_write=False,
            can_group=False,
            voting=voting,
            dots_left=board.dots_left,
        )

    def _dot(self, message: dict) -> None:
        change = message.get("change")
        if type(change) is not int or change not in (1, -1):
            raise InvalidInput(NOT_UNDERSTOOD)
        note_id = self._note(_note_id(message)).id
        live.vote(self.scope, self.prompt_id, note_id, change)
        self._changed()

    # --- fist to five and ratings -----------------------------------------------------

    def _draw_check(self, board: Board, is_open: bool) -> None:
        prompt = board.prompt
        fist = prompt.kind == "fist-to-five"
        low, high = prompt.mark_range
        # what each mark means is written on it, not hidden in a tooltip
        options = [
            (f"{v} · {FIST_WORDS[v]}" if fist else f"{v} of {high}", v)
            for v in range(low, high + 1)
        ]
        if list(self.mark.options) != options:
            self.mark.options = options
        if self.mark.value != board.my_mark:
            self.mark.value = board.my_mark
        if is_open:
            self.summary.value = (
                f"<p>{_how_many(board.answered, 'answered')} The spread shows when the "
                "facilitator reveals it.</p>"
            )
        else:
            self.summary.value = results_html(board)

    def _marked(self, change) -> None:
        if change["new"] is None or change["new"] == self.board.my_mark:
            return
        live.mark(self.scope, self.prompt_id, change["new"])
        self.on_change()

    def _close(self, _button=None) -> None:
        live.close_prompt(self.scope, self.prompt_id)
        self.on_change()
