"""The live board of one prompt: sticky notes, a dot vote, a fist-to-five or a rating.

:class:`BoardView` keeps its widgets across redraws, so a teammate's note arriving never
disturbs typing or swallows a click; :meth:`BoardView.refresh` redraws what the others
did. A note is typed straight onto the board ("New note") and saved as typed.
A closed prompt's outcome is :func:`.render.results_html` (also for earlier runs).
Everything people typed is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.ui.autosave import autosave
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import button, note, replace_children
from collab_widgets.live import store as live
from collab_widgets.live.model import OPEN, Board, LiveNote
from collab_widgets.live.render import FIST_WORDS, byline, note_text, results_html


def _how_many(count: int, done: str) -> str:
    return f"{count} member{'s have' if count != 1 else ' has'} {done}."


def _show(widget: widgets.Widget, visible: bool) -> None:
    widget.layout.display = None if visible else "none"


class _NoteRow:
    """One note's row on the board, kept while the note is there: a redraw updates it in
    place, so a click on its buttons is never lost to a teammate's change. The writer's
    own note is a text box saved as typed; everyone else sees a card."""

    def __init__(self, view: BoardView, item: LiveNote, own: bool, is_open: bool):
        self.item = item
        self.view = view
        self.card = widgets.HTML()
        self.text: widgets.Textarea | None = None
        self.saver = None
        parts: list[widgets.Widget] = []
        if is_open and own:
            self.text = widgets.Textarea(
                value=item.text,
                description="My note",
                placeholder="Type your note; it is saved as you type",
                rows=2,
                layout=widgets.Layout(width="60%"),
            )
            self.text.add_class("collab-own-note")
            self.saver = autosave(self.text, self._save_text, view.indicator)
            parts.append(self.text)
        else:
            parts.append(self.card)
        self.group: widgets.Combobox | None = None
        if is_open and view.moderates:
            self.group = widgets.Combobox(
                value=item.group or "",
                placeholder="Group…",
                description="Group",
                ensure_option=False,
                layout=widgets.Layout(width="220px"),
                tooltip="Type a group name or pick one; saved as you type",
            )
            self.group.add_class("collab-group-input")
            self.group_saver = autosave(self.group, self._save_group, view.indicator)
            parts.append(self.group)
        if is_open and (own or view.moderates):
            remove = Confirm(
                "Remove",
                "Move this note to the trash",
                "Take this note off the board?",
                "Yes, remove it",
                lambda: view.remove(self.item.id),
                view.status,
                name="remove-note",
            )
            parts.append(remove)
        self.box = widgets.HBox(parts, layout=widgets.Layout(align_items="center"))
        self.update(item, [])

    def _save_text(self, text: str) -> None:
        if text != self.item.text:  # a redraw setting the box is not a change
            live.edit_note(self.view.scope, self.item.id, text, self.view.mine)

    def _save_group(self, group: str) -> None:
        if (group or "").strip() != (self.item.group or ""):
            live.group_note(self.view.scope, self.item.id, group)

    def update(self, item: LiveNote, groups: list[str]) -> None:
        self.item = item
        if self.text is not None:
            # Written on another device too: take it, unless typing here right now.
            if not self.saver.waiting and self.text.value != item.text:
                self.text.value = item.text
        else:
            tag = (
                f" <span class='collab-tag'>{html.escape(item.group)}</span>" if item.group else ""
            )
            card = (
                f"<div class='collab-sticky'>{note_text(item)}<br><small>{byline(item)}</small>"
                f"{tag}</div>"
            )
            if self.card.value != card:
                self.card.value = card
        if self.group is not None:
            if list(self.group.options) != groups:
                self.group.options = groups
            if self.group.value != (item.group or "") and not self.group_saver.waiting:
                self.group.value = item.group or ""


class _VoteRow:
    """One choice of a dot vote, kept across redraws like :class:`_NoteRow`."""

    def __init__(self, view: BoardView, item: LiveNote, voting: bool):
        self.label = widgets.HTML()
        parts: list[widgets.Widget] = [self.label]
        self.plus = self.minus = None
        if voting:
            guard = guarded(view.status)
            self.plus = button("+", "Put one of your dots on this", name="dot-plus")
            self.plus.on_click(guard(lambda _b: view.vote(item.id, 1)))
            self.minus = button("−", "Take one of your dots back", name="dot-minus")
            self.minus.on_click(guard(lambda _b: view.vote(item.id, -1)))
            parts += [self.plus, self.minus]
        self.box = widgets.HBox(parts, layout=widgets.Layout(align_items="center"))

    def update(self, item: LiveNote, mine: int, dots_left: int) -> None:
        label = (
            f"<div class='collab-sticky'>{note_text(item)}</div>"
            f"<span class='collab-dots' title='your dots'>{'●' * mine}</span>"
        )
        if self.label.value != label:
            self.label.value = label
        if self.plus is not None:
            self.plus.disabled = dots_left <= 0
            self.minus.disabled = mine <= 0


class BoardView(widgets.VBox):
    """The open prompt of a live session, for one member (or the coach).

    Its parts are built once and shown or hidden; rows are kept per note. Only rows of
    notes that went away, and group headings, are replaced on a redraw.
    """

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
        self.was_open: bool | None = None
        self.note_rows: dict[int, _NoteRow] = {}
        self.vote_rows: dict[int, _VoteRow] = {}
        new = button(
            "New note",
            "Add a note to the board and type it; saved as you type",
            "primary",
            "new-note",
        )
        new.on_click(guarded(status)(self._new_note))
        self.compose = widgets.HBox(
            [new, note("One idea per note. Others see it as you write it.")],
            layout=widgets.Layout(align_items="center"),
        )
        self.mark = widgets.ToggleButtons(description="Your mark")
        self.mark.add_class("collab-mark")
        self.mark.observe(guarded(status)(self._marked), "value")
        self.summary = widgets.HTML()
        self.items = widgets.VBox()
        self.items.add_class("collab-board")
        self.no_notes = widgets.HTML()
        self.groups = widgets.HTML()
        self.groups.add_class("collab-groups")
        self.close_button = button(
            "Close", "Everyone sees the results now", "warning", "close-prompt"
        )
        self.close_button.on_click(guarded(status)(self._close))
        super().__init__(
            [self.compose, self.mark, self.summary, self.items, self.groups, self.close_button]
        )
        self.refresh()

    def refresh(self) -> None:
        board = live.board(self.scope, self.prompt_id)
        self.board = board
        kind, is_open = board.prompt.kind, board.prompt.status == OPEN
        if is_open != self.was_open:  # opened or closed: rows gain or lose their buttons
            self.note_rows, self.vote_rows = {}, {}
            self.was_open = is_open
        member = self.scope.member_id is not None
        _show(self.compose, kind == "board" and is_open and member)
        _show(self.mark, kind in ("fist-to-five", "rating") and is_open and member)
        _show(self.summary, kind != "board")
        _show(self.items, kind in ("board", "dot-vote"))
        _show(self.groups, kind == "board")
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
        _show(self.close_button, self.moderates and is_open and closable)

    # --- sticky notes -----------------------------------------------------------------

    def _draw_notes(self, board: Board, is_open: bool) -> None:
        """Rows are only ever appended: notes show in the order they were started (one
        being written shows as such), and a removed note's row is hidden, not taken out.
        The browser redraws a list from its first change onwards, so the box someone is
        typing in is never redrawn under their fingers. Groups show as tags and as a
        summary below."""
        groups = sorted({n.group for n in board.notes if n.group})
        for item in board.notes:
            row = self.note_rows.get(item.id)
            if row is None:
                row = self.note_rows[item.id] = _NoteRow(self, item, self._own(item), is_open)
            row.update(item, groups)
        present = {n.id for n in board.notes}
        for note_id, row in self.note_rows.items():
            _show(row.box, note_id in present)
        rows = [row.box for row in self.note_rows.values()]
        replace_children(self.items, [self.no_notes, *rows])
        _show(self.no_notes, not present)
        empty = "No notes yet." if is_open else "No notes were added."
        self.no_notes.value = f'<p class="collab-note">{empty}</p>'
        written = tuple(n for n in board.notes if n.text.strip())
        grouping = groups and written
        self.groups.value = (
            "<b>By group</b>" + results_html(Board(board.prompt, written)) if grouping else ""
        )

    def _own(self, item: LiveNote) -> bool:
        if item.author_id is not None:
            return item.author_id == self.scope.member_id
        return item.id in self.mine

    def _new_note(self, _button=None) -> None:
        note_id = live.add_note(self.scope, self.prompt_id)
        self.mine.add(note_id)
        self.status.info("Type your note in the new box; it is saved as you type.")
        self.on_change()

    def remove(self, note_id: int) -> None:
        live.delete_note(self.scope, note_id, self.mine)
        self.status.ok("Note moved to the trash; the Start page's Trash tab can restore it.")
        self.on_change()

    # --- dot vote ---------------------------------------------------------------------

    def _draw_vote(self, board: Board, is_open: bool) -> None:
        if not is_open:
            self.summary.value = "<b>Results</b>" + results_html(board)
            replace_children(self.items, [])
            return
        budget = board.prompt.budget or 0
        voting = self.scope.member_id is not None
        left = f"You have <b>{board.dots_left}</b> of {budget} dots left · " if voting else ""
        self.summary.value = (
            f"<p>{left}{_how_many(board.answered, 'voted')} Results show when voting closes.</p>"
        )
        rows: list[widgets.Widget] = []
        for item in board.notes:
            row = self.vote_rows.get(item.id)
            if row is None:
                row = self.vote_rows[item.id] = _VoteRow(self, item, voting)
            row.update(item, board.my_dots.get(item.id, 0), board.dots_left)
            rows.append(row.box)
        if not board.notes:
            rows.append(note("There is nothing to vote on: the board before this was empty."))
        replace_children(self.items, rows)

    def vote(self, note_id: int, change: int) -> None:
        live.vote(self.scope, self.prompt_id, note_id, change)
        self.on_change()

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
