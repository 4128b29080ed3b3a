"""The trash (restore what was deleted) and the team's activity record."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope, activity
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    heading,
    note,
    replace_children,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.history import store as trash


class HistoryPanel(widgets.VBox):
    """The trash and the activity record. Every tab refreshes when it opens, so whatever
    is restored here shows in its own tab the next time that tab opens."""

    def __init__(self, scope: TeamScope, status: StatusLine):
        self.scope = scope
        self.status = status
        self.trash = stacked()
        self.record = text_block()
        super().__init__(
            [
                heading("Trash"),
                note("Deleted things wait here until you restore them."),
                self.trash,
                heading("What happened"),
                self.record,
            ]
        )

    def refresh(self) -> None:
        rows = []
        for item in trash.items(self.scope):
            when = item.deleted_at.astimezone().strftime("%d %b %H:%M")
            label = text_block(
                f"{html.escape(item.kind)}: <b>{html.escape(item.label[:120])}"
                f"</b> <small>(deleted {when})</small>"
            )
            restore = button("Restore", f"Bring this {item.kind} back", name="restore")
            restore.on_click(
                guarded(self.status)(lambda _b, k=item.kind, i=item.id: self._restore(k, i))
            )
            rows.append(side_by_side([label, restore]))
        replace_children(self.trash, rows or [note("The trash is empty.")])
        lines = [
            f"<li><small>{e.at.astimezone():%d %b %Y %H:%M}</small> {html.escape(e.summary)}"
            f" — {html.escape(e.who or 'coach')}</li>"
            for e in activity.entries(self.scope, limit=50)
        ]
        self.record.value = f"<ul class='collab-activity'>{''.join(lines)}</ul>"

    def _restore(self, kind: str, item_id: int) -> None:
        trash.restore(self.scope, kind, item_id)
        self.status.ok(f"The {kind} is back.")
        self.refresh()
