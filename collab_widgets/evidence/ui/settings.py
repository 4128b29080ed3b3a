"""The Settings tab of the evidence page: bands and cut scores, the question 3/4 cut
points, the smallest group shown and teacher comparison. The facilitator (or the coach)
changes them; they are saved as typed once they make sense together."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import Permission, TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.ui.autosave import autosave
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.core.ui.layout import heading, note, text_block
from collab_widgets.evidence import store
from collab_widgets.evidence.analysis import Bands, GroupCuts
from collab_widgets.evidence.model import EvidenceSettings


def _numbers(text: str, what: str) -> tuple[float, ...]:
    try:
        return tuple(float(part.strip().rstrip("%")) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise InvalidInput(
            f"Write the {what} as numbers separated by commas, e.g. 60, 80, 90."
        ) from exc


def parse_settings(
    names: str, cuts: str, group_cuts: str, min_n: int, compare: bool, salt: str
) -> EvidenceSettings:
    """What was typed, as settings, or InvalidInput saying what to change."""
    band_names = tuple(part.strip() for part in names.split(",") if part.strip())
    bands = Bands(band_names, _numbers(cuts, "cut scores"))
    groups = _numbers(group_cuts, "group cut points")
    if len(groups) != 3:
        raise InvalidInput("Give three group cut points: close, proficient, extension.")
    GroupCuts(*groups)
    return EvidenceSettings(bands.names, bands.cuts, groups, min_n, compare, salt)


class SettingsPanel(widgets.VBox):
    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        indicator: SavedIndicator,
        on_changed: Callable[[], None],
    ):
        self.scope = scope
        self.status = status
        self.on_changed = on_changed
        self.names = widgets.Text(description="Band names", layout=widgets.Layout(width="100%"))
        self.cuts = widgets.Text(description="Cut scores (%)", layout=widgets.Layout(width="100%"))
        self.groups = widgets.Text(
            description="Group cut points (%)", layout=widgets.Layout(width="100%")
        )
        self.min_n = widgets.BoundedIntText(
            description="Smallest group shown", min=store.MIN_MIN_N, max=100
        )
        self.compare = widgets.Checkbox(
            description="Allow comparing teachers and sections", indent=False
        )
        for box in (self.names, self.cuts, self.groups, self.min_n):
            box.style.description_width = "170px"  # (a new style would leave the old open)
        self.explained = text_block()
        self.savers = [
            autosave(control, lambda _v: self._save(), indicator, "evidence-settings")
            for control in (self.names, self.cuts, self.groups, self.min_n, self.compare)
        ]
        super().__init__(
            [
                heading("Evidence settings"),
                note(
                    "Bands: names from lowest to highest, and the lowest percent of each band "
                    "after the first. Groups for questions 3 and 4: below the first cut point "
                    "is intervention, below the second close, from the third extension."
                ),
                self.names,
                self.cuts,
                self.groups,
                self.min_n,
                self.compare,
                self.explained,
            ]
        )
        self.add_class("collab-evidence-settings")

    def refresh(self) -> None:
        for saver in self.savers:
            saver.flush()
        current = store.settings(self.scope)
        self.salt = current.pseudonym_salt
        self.names.value = ", ".join(current.band_names)
        self.cuts.value = ", ".join(f"{c:g}" for c in current.band_cuts)
        self.groups.value = ", ".join(f"{c:g}" for c in current.group_cuts)
        self.min_n.value = current.min_n
        self.compare.value = current.compare_teachers
        may = self.scope.allows(Permission.FACILITATE)
        for control in (self.names, self.cuts, self.groups, self.min_n, self.compare):
            control.disabled = not may
        self.explained.value = (
            ""
            if may
            else f"<p class='collab-note'>{html.escape('Only the facilitator changes these.')}</p>"
        )

    def _save(self) -> None:
        chosen = parse_settings(
            self.names.value,
            self.cuts.value,
            self.groups.value,
            self.min_n.value,
            self.compare.value,
            self.salt,
        )
        if chosen != store.settings(self.scope):
            store.set_settings(self.scope, chosen)
            self.on_changed()
