"""The wall of wins: members post what went well (a student's breakthrough, a strategy
that worked); a met goal posts itself. Shown on the Start page and the Goals page."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.core.db import Permission, TeamScope
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import (
    form_button,
    heading,
    note,
    replace_children,
    stacked,
    text_block,
)
from collab_widgets.goals import store


class WinsPanel(widgets.VBox):
    def __init__(self, scope: TeamScope, status: StatusLine):
        self.scope = scope
        self.status = status
        self.text = widgets.Textarea(
            description="A win",
            placeholder="What went well, for whom? e.g. Maya explained equivalent fractions "
            "to her group today.",
            layout=widgets.Layout(width="100%", height="70px"),
        )
        self.text.add_class("collab-win-text")
        post = form_button(
            "Post the win", "Put it on the team's wall of wins", [self.text], name="post-win"
        )
        post.on_click(guarded(status)(lambda _b: self._post()))
        self.wall = stacked()
        self.wall.add_class("collab-wins")
        super().__init__(
            [
                heading("Wall of wins"),
                note("Celebrate progress: small wins keep a team going. Met goals appear here."),
                self.text,
                post,
                self.wall,
            ]
        )

    def refresh(self) -> None:
        rows = []
        may_remove_any = self.scope.allows(Permission.FACILITATE)
        for win in store.wins(self.scope):
            who = html.escape(win.by) if win.by else "🎯 goal met"
            label = text_block(
                f"<div class='collab-win'>{html.escape(win.text)}"
                f"<br><small>{who}, {win.posted_at.astimezone():%d %b %Y}</small></div>"
            )
            row = [label]
            if win.member_id == self.scope.member_id or may_remove_any:
                delete = Confirm(
                    "Remove",
                    "Move this win to the trash",
                    "Take this win off the wall? It goes to the trash, where it can be restored.",
                    "Yes, remove it",
                    lambda i=win.id: self._remove(i),
                    self.status,
                    name="remove-win",
                )
                row.append(delete)
            shown = stacked(row)  # a card on the wall
            shown.add_class("collab-win-card")
            rows.append(shown)
        replace_children(self.wall, rows or [note("No wins yet: post the first one!")])

    def _post(self) -> None:
        store.post_win(self.scope, self.text.value)
        self.text.value = ""
        self.refresh()
        self.status.ok("Posted on the wall of wins.")

    def _remove(self, win_id: int) -> None:
        store.delete_win(self.scope, win_id)
        self.refresh()
        self.status.ok("The win is in the trash (Start page, Trash and history).")
