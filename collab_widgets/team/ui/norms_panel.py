"""The norms builder: suggestions by category, the team's own wording, order, retirement."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.core.db import Permission, TeamScope
from collab_widgets.core.ui.autosave import SharedText
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    heading,
    note,
    refill,
    replace_children,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.team.model import NORM_CATEGORIES
from collab_widgets.team.norm_library import load_suggestions
from collab_widgets.team.store import norms


class NormsPanel(widgets.VBox):
    def __init__(self, scope: TeamScope, status: StatusLine, indicator: SavedIndicator):
        self.scope = scope
        self.status = status
        self.indicator = indicator
        self.suggestions = load_suggestions()
        self.category = widgets.Dropdown(
            description="Category", options=list(NORM_CATEGORIES), value=NORM_CATEGORIES[0]
        )
        self.suggestion = widgets.Dropdown(
            description="Suggestion", layout=widgets.Layout(width="95%")
        )
        self.category.observe(lambda _c: self._show_suggestions(), "value")
        self._show_suggestions()
        use = button(
            "Add this norm",
            "Add the suggestion; you can reword it afterwards",
            "primary",
            "use-suggestion",
        )
        use.on_click(guarded(status)(self._use_suggestion))
        own = button(
            "Write our own norm", "Add an empty norm in this category and type it", name="add-norm"
        )
        own.on_click(guarded(status)(self._add_own))
        self.active = stacked()
        self.active.add_class("collab-norms")
        self.retired = stacked()
        super().__init__(
            [
                heading("Our norms"),
                note(
                    "Norms are commitments we make to each other. Start from a suggestion or "
                    "write your own; every word is saved as you type."
                ),
                self.category,
                self.suggestion,
                side_by_side([use, own]),
                self.active,
                heading("Retired norms", 4),
                self.retired,
            ]
        )

    def _show_suggestions(self) -> None:
        options = self.suggestions.get(self.category.value, [])
        refill(
            self.suggestion,
            [(text, text) for text in options],
            keep=options[0] if options else None,
        )

    def refresh(self) -> None:
        facilitates = self.scope.allows(Permission.FACILITATE)
        current = norms.norms(self.scope)
        active = [n for n in current if not n.retired]
        rows = [self._row(i, n, facilitates) for i, n in enumerate(active, start=1)]
        replace_children(self.active, rows or [note("No norms yet.")])
        retired_rows = []
        for n in (n for n in current if n.retired):
            label = text_block(f"<span>{html.escape(n.text or '(blank)')}</span>")
            row = [label]
            if facilitates:
                back = button("Bring back", "Make this norm active again", name="unretire")
                back.on_click(guarded(self.status)(lambda _b, i=n.id: self._retire(i, False)))
                row.append(back)
            retired_rows.append(side_by_side(row))
        replace_children(self.retired, retired_rows or [note("No norm has been retired.")])

    def _row(self, number: int, norm, facilitates: bool) -> widgets.HBox:
        text = widgets.Textarea(
            value=norm.text,
            description=f"Norm {number}",
            placeholder="We …",
            rows=1,
            continuous_update=True,
            tooltip=f"{norm.category} norm: saved as you type",
            layout=widgets.Layout(width="60%"),
        )
        text.add_class("collab-norm-text")
        shared = SharedText(
            text,
            lambda typed, base, i=norm.id: norms.set_text(self.scope, i, typed, base),
            self.indicator,
            f"norm:{norm.id}",
        )
        category = widgets.Dropdown(
            options=list(NORM_CATEGORIES),
            value=norm.category,
            description="Category",
            layout=widgets.Layout(width="auto"),
        )
        category.observe(
            guarded(self.status)(lambda c, i=norm.id: norms.set_category(self.scope, i, c["new"])),
            "value",
        )
        parts: list[widgets.Widget] = [shared.view, category]
        if facilitates:
            for label, offset, tip in (("↑", -1, "Move up"), ("↓", 1, "Move down")):
                move = button(label, tip)
                move.on_click(
                    guarded(self.status)(lambda _b, i=norm.id, o=offset: self._move(i, o))
                )
                parts.append(move)
            retire = button("Retire", "Keep this norm on record but stop using it", name="retire")
            retire.on_click(guarded(self.status)(lambda _b, i=norm.id: self._retire(i, True)))
            trash = Confirm(
                "Delete",
                "Move this norm to the trash (can be restored)",
                "Delete this norm? It goes to the trash, where it can be restored.",
                "Yes, delete it",
                lambda i=norm.id: self._delete(i),
                self.status,
                name="delete-norm",
            )
            parts += [retire, trash]
        return widgets.HBox(parts, layout=widgets.Layout(flex_flow="row wrap"))

    def _use_suggestion(self, _button=None) -> None:
        if not self.suggestion.value:
            return
        norms.add(self.scope, self.category.value, self.suggestion.value)
        self.status.ok("Norm added. Reword it so it sounds like your team.")
        self.refresh()

    def _add_own(self, _button=None) -> None:
        norms.add(self.scope, self.category.value, "")
        self.status.ok("Type your norm in the new empty box; it saves as you type.")
        self.refresh()

    def _move(self, norm_id: int, offset: int) -> None:
        norms.move(self.scope, norm_id, offset)
        self.refresh()

    def _retire(self, norm_id: int, retired: bool) -> None:
        norms.retire(self.scope, norm_id, retired)
        self.refresh()

    def _delete(self, norm_id: int) -> None:
        norms.delete(self.scope, norm_id)
        self.status.ok("Moved to the trash. You can restore it from the Trash tab.")
        self.refresh()
